/**
 * The quantities of ALGORITHMS.md's DDPG and TD3 sections, written as tensor functions so the tests can
 * check them against hand computations. Actions are in units of the bound (the env gets scale · a);
 * `bound` lets the smoothing be stated in either unit (the agent calls it with bound 1).
 * All functions run inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';

export interface SmoothingSettings {
  /** σ of the smoothing noise, in units of the bound (TD3: 0.2). */
  noiseStd: number;
  /** The noise is clipped to ±noiseClip·bound (TD3: 0.5). */
  noiseClip: number;
  /** The action bound: the target action is clipped to ±bound. */
  bound: number;
}

/**
 * TD3's target policy smoothing: ã′ = clip(μ̄(s′) + clip(bound·σ·ε, −c·bound, c·bound), −bound, bound),
 * ε ~ N(0, 1) given. [B, A].
 */
export function smoothedTargetAction(targetAction: tf.Tensor2D, standardNormal: tf.Tensor2D, settings: SmoothingSettings): tf.Tensor2D {
  const { noiseStd, noiseClip, bound } = settings;
  const noise = tf.clipByValue(tf.mul(standardNormal, bound * noiseStd), -noiseClip * bound, noiseClip * bound);
  return tf.clipByValue(tf.add(targetAction, noise), -bound, bound) as tf.Tensor2D;
}

/** y = r + γ·mask·min_k Q̄_k(s′, ã′): `nextTargetQ` is [K, B, 1] (K = 1 for DDPG, 2 for TD3). [B, 1]. */
export function deterministicCriticTarget(rewards: tf.Tensor2D, masks: tf.Tensor2D, nextTargetQ: tf.Tensor3D, gamma: number): tf.Tensor2D {
  const minQ = tf.min(nextTargetQ, 0);
  return tf.add(rewards, tf.mul(tf.mul(masks, gamma), minQ)) as tf.Tensor2D;
}

/** Σ_k mean_b (Q_k(s_b, a_b) − y_b)²: one MSE for DDPG, the sum of two for TD3. `q` is [K, B, 1]. */
export function deterministicCriticLoss(q: tf.Tensor3D, target: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.mean(tf.square(tf.sub(q, target)), [1, 2])) as tf.Scalar;
}

/** −mean_b Q_1(s_b, μ(s_b)): `q1` is Q1 at the actor's actions, [B, 1]. */
export function deterministicActorLoss(q1: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(q1)) as tf.Scalar;
}
