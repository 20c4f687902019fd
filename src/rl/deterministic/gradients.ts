/**
 * Hand-written backpropagation of DDPG's and TD3's critic and actor losses (losses.ts), with SAC's dense
 * stack helpers (sac/gradients.ts), for the same reason as SAC: tfjs autodiff costs about 1.5× the kernels
 * and runs transposed matmuls slowly on wasm. tests/rl/td3Losses.test.ts checks every
 * gradient here against tfjs autodiff of losses.ts. Run inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { denseStackForward, type DenseStack, type DenseStackActivations } from '../sac/networks';
import { denseStackInputGradient, denseStackParameterGradients } from '../sac/gradients';
import { deterministicActorLoss, deterministicCriticLoss } from './losses';

/** μ(s) = tanh(f(s)) in units of the bound, [B, A], with the activations the backward pass needs. */
export function actorForward(actor: DenseStack, observations: tf.Tensor2D): { action: tf.Tensor2D; activations: DenseStackActivations } {
  const activations = denseStackForward(actor, observations);
  return { action: tf.tanh(activations.output) as tf.Tensor2D, activations };
}

/** Q_k(s, a) of every critic, stacked [K, B, 1], with each critic's activations. */
export function criticsForward(critics: readonly DenseStack[], observations: tf.Tensor2D, actions: tf.Tensor2D): { q: tf.Tensor3D; activations: DenseStackActivations[] } {
  const input = tf.concat([observations, actions], 1);
  const activations = critics.map((critic) => denseStackForward(critic, input));
  return { q: tf.stack(activations.map((a) => a.output)) as tf.Tensor3D, activations };
}

/**
 * Critic loss L = Σ_k (1/B) Σ_b (Q_k − y_b)² and its gradients, critic by critic in order:
 * dL/dQ_k = 2(Q_k − y)/B. y carries no gradient. Also returns Q [K, B, 1] (for the Q-mean statistic).
 */
export function criticLossAndGradients(
  critics: readonly DenseStack[],
  observations: tf.Tensor2D,
  actions: tf.Tensor2D,
  target: tf.Tensor2D,
): { loss: tf.Scalar; gradients: tf.Tensor[]; q: tf.Tensor3D } {
  const batchSize = target.shape[0];
  const { q, activations } = criticsForward(critics, observations, actions);
  const gradients = activations.flatMap((critic, index) =>
    denseStackParameterGradients(critics[index] as DenseStack, critic, tf.mul(tf.sub(critic.output, target), 2 / batchSize)),
  );
  return { loss: deterministicCriticLoss(q, target), gradients, q };
}

/**
 * Actor loss L = −(1/B) Σ_b Q_1(s_b, μ(s_b)) (the critic held fixed), its value alone when
 * `withGradients` is false (TD3 between delayed actor steps), and otherwise its gradients:
 *   dL/dμ = −(1/B)·dQ_1/da,   dL/df = dL/dμ · (1 − μ²)   (μ = tanh f)
 */
export function actorLossAndGradients(
  actor: DenseStack,
  critic1: DenseStack,
  observations: tf.Tensor2D,
  withGradients: boolean,
): { loss: tf.Scalar; gradients: tf.Tensor[] | null } {
  const batchSize = observations.shape[0];
  const observationSize = observations.shape[1];
  const { action, activations } = actorForward(actor, observations);
  const input = tf.concat([observations, action], 1);
  const q1 = denseStackForward(critic1, input);
  const loss = deterministicActorLoss(q1.output as tf.Tensor2D);
  if (!withGradients) return { loss, gradients: null };
  const actionSize = action.shape[1];
  const dAction = denseStackInputGradient(critic1, q1, tf.fill([batchSize, 1], -1 / batchSize), observationSize, actionSize);
  const dPreTanh = tf.mul(dAction, tf.sub(1, tf.square(action)));
  return { loss, gradients: denseStackParameterGradients(actor, activations, dPreTanh) };
}
