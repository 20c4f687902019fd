/**
 * SAC's forward and hand-written backward passes for K independent members at once: every tensor has a
 * leading member axis (rank 3, [R, B, n]), every layer is one batched matmul over the R rows. The
 * equations are those of src/rl/sac/gradients.ts (which the unit tests check against autodiff), with
 * the member axis added; tests/rl/population.test.ts checks each member against a SacAgent.
 *
 * Row layout: actor tensors have R = K rows (member k in row k). The twin critics have R = 2K rows,
 * twin-major: row t·K + k is twin t (0 = Q1, 1 = Q2) of member k, so [2K, …] reshapes to [2, K, …]
 * and min(Q1, Q2) is a min over axis 0, exactly as losses.ts does on [2, B, 1].
 *
 * All functions run inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { LOG_STD_MAX, LOG_STD_MIN } from '../sac/networks';
import { TANH_LOG_EPSILON } from '../sac/squashedGaussian';
import { perMemberMatMul } from './wasmPerMemberMatMul';

/**
 * How a batched matmul is computed:
 * - 'batched': one tf.matMul on rank-3 tensors (one kernel per layer for all members). What WebGL and
 *   the cpu backend are good at.
 * - 'perMember': one tfjs kernel that runs a 2-D matmul per member inside (wasmPerMemberMatMul.ts).
 *   tfjs-wasm 4.22 sends only unbatched, untransposed matmuls to XNNPACK and computes batched ones in a
 *   scalar loop (measured ~10× slower at K = 8, hidden 64), so on wasm K small XNNPACK calls win. On
 *   other backends this mode unstacks, multiplies per member and stacks (for tests, not speed).
 */
export type MatMulMode = 'batched' | 'perMember';

/** The mode measured fastest for a backend (bench/population.ts): per-member 2-D matmuls on wasm, batched elsewhere. */
export function defaultMatMulMode(backend: string): MatMulMode {
  return backend === 'wasm' ? 'perMember' : 'batched';
}

/** Batched matmul a·b over the leading axis with optional transposes, [R, m, k]·[R, k, n] → [R, m, n]. */
export class BatchMatMul {
  readonly mode: MatMulMode;

  constructor(mode: MatMulMode) {
    this.mode = mode;
  }

  matMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
    // Rank-3 matMul: transposes are flags (no copies) on webgl and cpu.
    if (this.mode === 'batched') return tf.matMul(a, b, transposeA, transposeB);
    if (tf.getBackend() === 'wasm') return perMemberMatMul(a, b, transposeA, transposeB);
    const left = tf.unstack(a) as tf.Tensor2D[];
    const right = tf.unstack(b) as tf.Tensor2D[];
    return tf.stack(left.map((member, index) => tf.matMul(member, right[index] as tf.Tensor2D, transposeA, transposeB))) as tf.Tensor3D;
  }
}

/** Parameters of Dense(relu) → Dense(relu) → Dense for R rows: kernels [R, in, out], biases [R, 1, out]. */
export type BatchedStack = readonly [kernel1: tf.Tensor3D, bias1: tf.Tensor3D, kernel2: tf.Tensor3D, bias2: tf.Tensor3D, kernel3: tf.Tensor3D, bias3: tf.Tensor3D];

export interface BatchedActivations {
  input: tf.Tensor3D;
  hidden1: tf.Tensor3D;
  hidden2: tf.Tensor3D;
  output: tf.Tensor3D;
}

/** Dense(relu) → Dense(relu) → Dense on [R, B, in], keeping the activations for the backward pass. */
export function batchedStackForward(mm: BatchMatMul, params: BatchedStack, input: tf.Tensor3D): BatchedActivations {
  const [kernel1, bias1, kernel2, bias2, kernel3, bias3] = params;
  const hidden1 = tf.relu(tf.add(mm.matMul(input, kernel1), bias1)) as tf.Tensor3D;
  const hidden2 = tf.relu(tf.add(mm.matMul(hidden1, kernel2), bias2)) as tf.Tensor3D;
  const output = tf.add(mm.matMul(hidden2, kernel3), bias3) as tf.Tensor3D;
  return { input, hidden1, hidden2, output };
}

/**
 * Parameter gradients of a loss given dLoss/dOutput [R, B, out] (gradients.ts's
 * denseStackParameterGradients per row): dW = xᵀ·δ, db = Σ_batch δ, δ_prev = (δ·Wᵀ) ⊙ [h_prev > 0].
 */
export function batchedStackParameterGradients(mm: BatchMatMul, params: BatchedStack, activations: BatchedActivations, dOutput: tf.Tensor3D): tf.Tensor3D[] {
  const [, , kernel2, , kernel3] = params;
  const { input, hidden1, hidden2 } = activations;
  const dKernel3 = mm.matMul(hidden2, dOutput, true, false);
  const dBias3 = tf.sum(dOutput, 1, true) as tf.Tensor3D;
  const dHidden2 = tf.mul(mm.matMul(dOutput, kernel3, false, true), tf.step(hidden2)) as tf.Tensor3D;
  const dKernel2 = mm.matMul(hidden1, dHidden2, true, false);
  const dBias2 = tf.sum(dHidden2, 1, true) as tf.Tensor3D;
  const dHidden1 = tf.mul(mm.matMul(dHidden2, kernel2, false, true), tf.step(hidden1)) as tf.Tensor3D;
  const dKernel1 = mm.matMul(input, dHidden1, true, false);
  const dBias1 = tf.sum(dHidden1, 1, true) as tf.Tensor3D;
  return [dKernel1, dBias1, dKernel2, dBias2, dKernel3, dBias3];
}

/** dLoss/dInput columns [from, from + count) (the actor needs dQ/da only): δ₁·W₁[rows]ᵀ, per row. */
export function batchedStackInputGradient(mm: BatchMatMul, params: BatchedStack, activations: BatchedActivations, dOutput: tf.Tensor3D, from: number, count: number): tf.Tensor3D {
  const [kernel1, , kernel2, , kernel3] = params;
  const dHidden2 = tf.mul(mm.matMul(dOutput, kernel3, false, true), tf.step(activations.hidden2)) as tf.Tensor3D;
  const dHidden1 = tf.mul(mm.matMul(dHidden2, kernel2, false, true), tf.step(activations.hidden1)) as tf.Tensor3D;
  return mm.matMul(dHidden1, tf.slice(kernel1, [0, from, 0], [-1, count, -1]) as tf.Tensor3D, false, true);
}

/** Q1 and Q2 of [s, a] for K members: q [2, K, B, 1] (twin axis first, as losses.ts), with the 2K-row activations. */
export function batchedTwinForward(mm: BatchMatMul, critic: BatchedStack, observations: tf.Tensor3D, actions: tf.Tensor3D): { q: tf.Tensor4D; activations: BatchedActivations } {
  const [members, batchSize] = observations.shape;
  const input = tf.concat([observations, actions], 2) as tf.Tensor3D;
  const activations = batchedStackForward(mm, critic, tf.concat([input, input], 0) as tf.Tensor3D);
  return { q: tf.reshape(activations.output, [2, members, batchSize, 1]) as tf.Tensor4D, activations };
}

export interface BatchedPolicyOutput {
  actorActivations: BatchedActivations;
  /** Raw log σ head before the clamp (its gradient is masked outside [−20, 2]). */
  rawLogStd: tf.Tensor3D;
  std: tf.Tensor3D;
  epsilon: tf.Tensor3D;
  /** a = tanh(μ + σ·ε), [K, B, A]. */
  action: tf.Tensor3D;
  /** log π(a|s), [K, B, 1] (squashedGaussian.ts). */
  logProb: tf.Tensor3D;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Actor forward and reparameterised squashed-Gaussian sample (squashedGaussian.ts, SAC-SPEC.md "Sampling"). */
export function batchedPolicyForward(mm: BatchMatMul, actor: BatchedStack, observations: tf.Tensor3D, epsilon: tf.Tensor3D): BatchedPolicyOutput {
  const actionSize = epsilon.shape[2];
  const actorActivations = batchedStackForward(mm, actor, observations);
  const [mean, rawLogStd] = tf.split(actorActivations.output, [actionSize, actionSize], 2) as [tf.Tensor3D, tf.Tensor3D];
  const logStd = tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX);
  const std = tf.exp(logStd) as tf.Tensor3D;
  const action = tf.tanh(tf.add(mean, tf.mul(std, epsilon))) as tf.Tensor3D;
  // log N(z; μ, σ) = −ε²/2 − log σ − ½ log 2π (since (z − μ)/σ = ε), minus log(1 − tanh² z + 1e−6).
  const gaussianLogProb = tf.sub(tf.sub(tf.mul(tf.square(epsilon), -0.5), logStd), HALF_LOG_TWO_PI);
  const tanhCorrection = tf.log(tf.add(tf.sub(1, tf.square(action)), TANH_LOG_EPSILON));
  const logProb = tf.sum(tf.sub(gaussianLogProb, tanhCorrection), 2, true) as tf.Tensor3D;
  return { actorActivations, rawLogStd, std, epsilon, action, logProb };
}

/** Per-member hyperparameters as [K, 1, 1] tensors (broadcast over batch and features). */
export interface MemberScalars {
  gamma: tf.Tensor3D;
  /** α = exp(log α) before this step's temperature update. */
  alpha: tf.Tensor3D;
}

/** y = r + γ·mask·(min(Q̄1, Q̄2)(s', a') − α·log π(a'|s')), [K, B, 1] (losses.ts criticTarget per member). */
export function batchedCriticTarget(rewards: tf.Tensor3D, masks: tf.Tensor3D, nextTargetQ: tf.Tensor4D, nextLogProb: tf.Tensor3D, scalars: MemberScalars): tf.Tensor3D {
  const softValue = tf.sub(tf.min(nextTargetQ, 0), tf.mul(scalars.alpha, nextLogProb));
  return tf.add(rewards, tf.mul(tf.mul(masks, scalars.gamma), softValue)) as tf.Tensor3D;
}

/** Critic loss per member [K] = Σ_twin Σ_b (Q − y)²/B, and gradients dL/dQ = 2(Q − y)/B through the 2K-row stack. */
export function batchedCriticStep(mm: BatchMatMul, critic: BatchedStack, observations: tf.Tensor3D, actions: tf.Tensor3D, target: tf.Tensor3D): { loss: tf.Tensor1D; gradients: tf.Tensor3D[] } {
  const [members, batchSize] = target.shape;
  const { q, activations } = batchedTwinForward(mm, critic, observations, actions);
  const error = tf.sub(q, target); // [2, K, B, 1]
  const loss = tf.div(tf.sum(tf.square(error), [0, 2, 3]), batchSize) as tf.Tensor1D;
  const dOutput = tf.reshape(tf.mul(error, 2 / batchSize), [2 * members, batchSize, 1]) as tf.Tensor3D;
  return { loss, gradients: batchedStackParameterGradients(mm, critic, activations, dOutput) };
}

export interface BatchedActorStep {
  /** Per member: mean(α·log π(ã|s) − min(Q1, Q2)(s, ã)), [K]. */
  loss: tf.Tensor1D;
  gradients: tf.Tensor3D[];
  /** log π(ã|s), [K, B, 1]: reused (detached) by the temperature loss. */
  logProb: tf.Tensor3D;
  /** min(Q1, Q2)(s, ã), [K, B, 1]. */
  minQ: tf.Tensor3D;
}

/**
 * Actor loss and its gradients with respect to the actor only, per member (gradients.ts's
 * actorLossAndGradients, with α a [K, 1, 1] tensor):
 *   dL/dã = −(1/B)·d minQ/dã + (α/B)·2ã/(1 − ã² + 1e−6),  dL/dz = dL/dã·(1 − ã²),  dL/dμ = dL/dz,
 *   dL/dlog σ = (dL/dz·σ·ε − α/B)·[log σ not clamped]; the min passes its gradient to the smaller twin (ties: both).
 */
export function batchedActorStep(mm: BatchMatMul, actor: BatchedStack, critic: BatchedStack, observations: tf.Tensor3D, epsilon: tf.Tensor3D, alpha: tf.Tensor3D): BatchedActorStep {
  const [members, batchSize, observationSize] = observations.shape;
  const actionSize = epsilon.shape[2];
  const policy = batchedPolicyForward(mm, actor, observations, epsilon);
  const { q, activations } = batchedTwinForward(mm, critic, observations, policy.action);
  const minQ = tf.min(q, 0) as tf.Tensor3D;
  const loss = tf.mean(tf.sub(tf.mul(alpha, policy.logProb), minQ), [1, 2]) as tf.Tensor1D;

  const dQ = tf.reshape(tf.mul(tf.cast(tf.equal(q, minQ), 'float32'), -1 / batchSize), [2 * members, batchSize, 1]) as tf.Tensor3D;
  const dTwinAction = batchedStackInputGradient(mm, critic, activations, dQ, observationSize, actionSize); // [2K, B, A]
  const dActionFromQ = tf.sum(tf.reshape(dTwinAction, [2, members, batchSize, actionSize]), 0);
  const alphaOverBatch = tf.div(alpha, batchSize);
  const { action, std, rawLogStd } = policy;
  const oneMinusActionSquared = tf.sub(1, tf.square(action));
  const dAction = tf.add(dActionFromQ, tf.mul(alphaOverBatch, tf.div(tf.mul(action, 2), tf.add(oneMinusActionSquared, TANH_LOG_EPSILON))));
  const dZ = tf.mul(dAction, oneMinusActionSquared);
  const notClamped = tf.cast(tf.equal(rawLogStd, tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX)), 'float32');
  const dLogStd = tf.mul(tf.sub(tf.mul(dZ, tf.mul(std, epsilon)), alphaOverBatch), notClamped);
  const gradients = batchedStackParameterGradients(mm, actor, policy.actorActivations, tf.concat([dZ, dLogStd], 2) as tf.Tensor3D);
  return { loss, gradients, logProb: policy.logProb, minQ };
}

/**
 * Temperature loss per member J = −mean(log α·(log π + H̄)) with log π detached, and dJ/dlog α =
 * −mean(log π + H̄) (SAC paper eq. 18), [K] and [K, 1, 1].
 */
export function batchedAlphaStep(logAlpha: tf.Tensor3D, logProb: tf.Tensor3D, targetEntropy: tf.Tensor3D): { loss: tf.Tensor1D; gradient: tf.Tensor3D } {
  const shifted = tf.add(logProb, targetEntropy);
  const gradient = tf.neg(tf.mean(shifted, 1, true)) as tf.Tensor3D;
  const loss = tf.neg(tf.mean(tf.mul(logAlpha, shifted), [1, 2])) as tf.Tensor1D;
  return { loss, gradient };
}
