/**
 * Hand-written backpropagation for SAC's two MLPs and its two losses, on per-layer tensors (DenseStack).
 * SacAgent.update runs the packed, fused form of the same formulas (packedGradients.ts, issue 11); these
 * per-layer functions stay as the readable reference (and DDPG/TD3 use the dense-stack ones).
 *
 * Why not tf.variableGrads: the autodiff tape adds a copy (Identity) for every saved tensor plus casts and
 * reshapes in the generic gradient rules (427 kernels per update against ~290 here), and it runs its
 * matmuls transposed, which tfjs-wasm computes in a slow scalar loop (see matMul below). Loss values come from
 * losses.ts (SAC-SPEC.md), gradients are derived by hand from them; tests/rl/gradients.test.ts checks every gradient here against tfjs autodiff
 * of those losses. All functions are meant to run inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { actorLoss, alphaLoss, criticLoss, minOfTwin } from './losses';
import { LOG_STD_MAX, LOG_STD_MIN, denseStackForward, type DenseStack, type DenseStackActivations } from './networks';
import { TANH_LOG_EPSILON, sampleSquashedGaussian } from './squashedGaussian';

/** The twin critics: Q1's stack and Q2's. */
export type TwinStacks = readonly [DenseStack, DenseStack];

/** Splits twelve critic variables (Q1's six, then Q2's; TwinCriticNetwork.variables) into the two stacks. */
export function twinStacks(variables: readonly tf.Tensor[]): TwinStacks {
  return [variables.slice(0, 6) as unknown as DenseStack, variables.slice(6, 12) as unknown as DenseStack];
}

/**
 * a·b with optional transposes. tfjs-wasm sends only untransposed, unbatched matmuls to XNNPACK; with a
 * transpose flag it falls back to a strided scalar loop, measured 4× slower at 64×64 and 18× at 256×256
 * on this project's machine, so on wasm the operand is transposed explicitly first (one cheap copy).
 */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * Gradients of a scalar loss with respect to the six parameters (same order as DenseStack), given
 * dLoss/dOutput [B, out]. For y = relu(xW + b): dW = xᵀ·δ, db = Σ_rows δ, δ_prev = (δ·Wᵀ) ⊙ [h_prev > 0].
 */
export function denseStackParameterGradients(params: DenseStack, activations: DenseStackActivations, dOutput: tf.Tensor): tf.Tensor[] {
  const [, , kernel2, , kernel3] = params;
  const { input, hidden1, hidden2 } = activations;
  const dKernel3 = matMul(hidden2, dOutput, true, false);
  const dBias3 = tf.sum(dOutput, 0);
  const dHidden2 = tf.mul(matMul(dOutput, kernel3, false, true), tf.step(hidden2));
  const dKernel2 = matMul(hidden1, dHidden2, true, false);
  const dBias2 = tf.sum(dHidden2, 0);
  const dHidden1 = tf.mul(matMul(dHidden2, kernel2, false, true), tf.step(hidden1));
  const dKernel1 = matMul(input, dHidden1, true, false);
  const dBias1 = tf.sum(dHidden1, 0);
  return [dKernel1, dBias1, dKernel2, dBias2, dKernel3, dBias3];
}

/** dLoss/dInput columns [from, from + count) only (the actor needs dQ/da, not dQ/ds): δ₁·W₁[rows]ᵀ. */
export function denseStackInputGradient(params: DenseStack, activations: DenseStackActivations, dOutput: tf.Tensor, from: number, count: number): tf.Tensor {
  const [kernel1, , kernel2, , kernel3] = params;
  const dHidden2 = tf.mul(matMul(dOutput, kernel3, false, true), tf.step(activations.hidden2));
  const dHidden1 = tf.mul(matMul(dHidden2, kernel2, false, true), tf.step(activations.hidden1));
  return matMul(dHidden1, tf.slice(kernel1, [from, 0], [count, -1]), false, true);
}

/** Q1 and Q2 of [s, a], stacked [2, B, 1] as losses.ts takes them, with each twin's activations. */
export function twinForward(critic: TwinStacks, observations: tf.Tensor2D, actions: tf.Tensor2D): { q: tf.Tensor3D; activations: [DenseStackActivations, DenseStackActivations] } {
  const input = tf.concat([observations, actions], 1);
  const activations: [DenseStackActivations, DenseStackActivations] = [denseStackForward(critic[0], input), denseStackForward(critic[1], input)];
  return { q: tf.stack([activations[0].output, activations[1].output]) as tf.Tensor3D, activations };
}

export interface SquashedPolicyOutput {
  actorActivations: DenseStackActivations;
  /** Raw log σ head before the clamp (its gradient is masked outside [−20, 2]). */
  rawLogStd: tf.Tensor2D;
  std: tf.Tensor2D;
  epsilon: tf.Tensor2D;
  /** a = tanh(μ + σ·ε), [B, A]. */
  action: tf.Tensor2D;
  /** log π(a|s), [B, 1] (squashedGaussian.ts). */
  logProb: tf.Tensor2D;
}

/** Actor forward and reparameterised squashed-Gaussian sample, keeping what the backward pass needs. */
export function squashedPolicyForward(actor: DenseStack, observations: tf.Tensor2D, epsilon: tf.Tensor2D): SquashedPolicyOutput {
  const actionSize = epsilon.shape[1];
  const actorActivations = denseStackForward(actor, observations);
  const [mean, rawLogStd] = tf.split(actorActivations.output, [actionSize, actionSize], 1) as [tf.Tensor2D, tf.Tensor2D];
  const { std, action, logProb } = sampleSquashedGaussian(mean, tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX) as tf.Tensor2D, epsilon);
  return { actorActivations, rawLogStd, std, epsilon, action, logProb };
}

export interface CriticStep {
  /** MSE(Q1, y) + MSE(Q2, y). */
  loss: tf.Scalar;
  gradients: tf.Tensor[];
}

/**
 * Critic loss L = (1/B) Σ_b Σ_twin (Q_twin(s_b, a_b) − y_b)² and its gradients: dL/dQ = 2(Q − y)/B.
 * y is a plain tensor: nothing flows into the target.
 */
export function criticLossAndGradients(critic: TwinStacks, observations: tf.Tensor2D, actions: tf.Tensor2D, target: tf.Tensor2D): CriticStep {
  const batchSize = target.shape[0];
  const { q, activations } = twinForward(critic, observations, actions);
  const loss = criticLoss(q, target);
  const gradients = activations.flatMap((twin, index) =>
    denseStackParameterGradients(critic[index] as DenseStack, twin, tf.mul(tf.sub(twin.output, target), 2 / batchSize)),
  );
  return { loss, gradients };
}

export interface ActorStep {
  /** mean(α·log π(ã|s) − min(Q1, Q2)(s, ã)). */
  loss: tf.Scalar;
  gradients: tf.Tensor[];
  /** log π(ã|s), [B, 1]: reused (detached) by the temperature loss. */
  logProb: tf.Tensor2D;
  /** min(Q1, Q2)(s, ã), [B, 1]. */
  minQ: tf.Tensor2D;
}

/**
 * Actor loss L = (1/B) Σ_b [α·log π(ã_b|s_b) − min(Q1, Q2)(s_b, ã_b)], ã = tanh(z), z = μ + σ·ε, and its
 * gradients with respect to the actor only (the critic is held fixed). By the chain rule:
 *   dL/dã   = −(1/B)·d minQ/dã + (α/B)·2ã/(1 − ã² + 1e−6)     (the −log(1 − ã² + ε) term of log π)
 *   dL/dz   = dL/dã · (1 − ã²)                              (tanh′)
 *   dL/dμ   = dL/dz
 *   dL/dlog σ = (dL/dz · σ·ε − α/B) · [log σ not clamped]   (z depends on σ = e^{log σ}; log π has −log σ;
 *             −ε²/2 has no gradient, since (z − μ)/σ = ε)
 * and the min passes its gradient to the smaller twin (ties: both, as tf.min's gradient does).
 */
export function actorLossAndGradients(
  actor: DenseStack,
  critic: TwinStacks,
  observations: tf.Tensor2D,
  epsilon: tf.Tensor2D,
  alpha: tf.Scalar,
): ActorStep {
  const batchSize = observations.shape[0];
  const observationSize = observations.shape[1];
  const actionSize = epsilon.shape[1];
  const policy = squashedPolicyForward(actor, observations, epsilon);
  const { q, activations } = twinForward(critic, observations, policy.action);
  const minQ = minOfTwin(q);
  const loss = actorLoss(alpha, policy.logProb, q);

  // d minQ / dQ_twin = [Q_twin == min] (ties: both, as tf.min's gradient does); times dL/dminQ = −1/B.
  const dActionFromQ = activations
    .map((twin, index) => {
      const dQ = tf.mul(tf.cast(tf.equal(twin.output, minQ), 'float32'), -1 / batchSize);
      return denseStackInputGradient(critic[index] as DenseStack, twin, dQ, observationSize, actionSize);
    })
    .reduce((sum, gradient) => tf.add(sum, gradient));
  const alphaOverBatch = tf.div(alpha, batchSize);
  const { action, std, rawLogStd } = policy;
  const oneMinusActionSquared = tf.sub(1, tf.square(action));
  const dAction = tf.add(dActionFromQ, tf.mul(alphaOverBatch, tf.div(tf.mul(action, 2), tf.add(oneMinusActionSquared, TANH_LOG_EPSILON))));
  const dZ = tf.mul(dAction, oneMinusActionSquared);
  const notClamped = tf.cast(tf.equal(rawLogStd, tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX)), 'float32');
  const dLogStd = tf.mul(tf.sub(tf.mul(dZ, tf.mul(std, epsilon)), alphaOverBatch), notClamped);
  const gradients = denseStackParameterGradients(actor, policy.actorActivations, tf.concat([dZ, dLogStd], 1));
  return { loss, gradients, logProb: policy.logProb, minQ };
}

/**
 * Temperature loss J(α) = −mean(log α · (log π + H̄)) with log π detached, and its gradient
 * dJ/dlog α = −mean(log π + H̄) (SAC paper, eq. 18).
 */
export function alphaLossAndGradient(logAlpha: tf.Tensor, logProb: tf.Tensor2D, targetEntropy: number): { loss: tf.Scalar; gradient: tf.Scalar } {
  const gradient = tf.neg(tf.mean(tf.add(logProb, targetEntropy))) as tf.Scalar;
  return { loss: alphaLoss(logAlpha, logProb, targetEntropy), gradient };
}
