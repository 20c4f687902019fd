/**
 * The tanh-squashed Gaussian policy of SAC (SAC-SPEC.md, "Sampling and log-probability"; SAC paper,
 * appendix C): z = μ + σ·ε, a = tanh(z),
 *   log π(a|s) = Σ_i [ log N(z_i; μ_i, σ_i) − log(1 − tanh²(z_i) + 1e−6) ].
 */
import * as tf from '@tensorflow/tfjs';

/** The lecture's epsilon inside log(1 − a² + ε), which keeps the log finite as |a| → 1. */
export const TANH_LOG_EPSILON = 1e-6;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export interface SquashedSample {
  /** σ = exp(log σ), [B, A] (the backward pass needs it). */
  std: tf.Tensor2D;
  /** a = tanh(z) ∈ (−1, 1), [B, A]. */
  action: tf.Tensor2D;
  /** log π(a|s) summed over action dimensions, [B, 1]. */
  logProb: tf.Tensor2D;
}

/**
 * Reparameterised sample from noise ε ~ N(0, 1) given by the caller (from the run's seeded generator),
 * so gradients flow through μ and σ. Caller disposes.
 *
 * log N(z; μ, σ) = −(z − μ)²/(2σ²) − log σ − ½ log 2π, and (z − μ)/σ = ε exactly, so the first term is
 * −ε²/2: the same value and the same gradient as PyTorch's Normal.log_prob(rsample()).
 */
export function sampleSquashedGaussian(mean: tf.Tensor2D, logStd: tf.Tensor2D, epsilon: tf.Tensor2D): SquashedSample {
  return tf.tidy(() => {
    const std = tf.exp(logStd) as tf.Tensor2D;
    const z = tf.add(mean, tf.mul(std, epsilon));
    const action = tf.tanh(z) as tf.Tensor2D;
    const gaussianLogProb = tf.sub(tf.sub(tf.mul(tf.square(epsilon), -0.5), logStd), HALF_LOG_TWO_PI);
    const tanhCorrection = tf.log(tf.add(tf.sub(1, tf.square(action)), TANH_LOG_EPSILON));
    const logProb = tf.sum(tf.sub(gaussianLogProb, tanhCorrection), 1, true) as tf.Tensor2D;
    return { std, action, logProb };
  });
}

/** The same formula on plain numbers (one action dimension), for readers and scalar checks; training uses the tensor form. */
export function squashedLogProb(mean: number, logStd: number, epsilon: number): { action: number; logProb: number } {
  const z = mean + Math.exp(logStd) * epsilon;
  const action = Math.tanh(z);
  const logProb = -0.5 * epsilon * epsilon - logStd - HALF_LOG_TWO_PI - Math.log(1 - action * action + TANH_LOG_EPSILON);
  return { action, logProb };
}
