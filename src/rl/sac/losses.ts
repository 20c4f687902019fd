/**
 * The three SAC losses of one gradient step, exactly as SAC-SPEC.md ("Losses, one gradient step")
 * writes them; each is a pure function of tensors, so tests can check it on hand-made numbers.
 * Twin-critic tensors are [2, B, 1]: index 0 = Q1, index 1 = Q2. Callers run these inside tidy.
 */
import * as tf from '@tensorflow/tfjs';

/** min(Q1, Q2) over the twin axis: [2, B, 1] → [B, 1]. */
export function minOfTwin(q: tf.Tensor3D): tf.Tensor2D {
  return tf.min(q, 0) as tf.Tensor2D;
}

/**
 * Critic target y = r + γ·mask·( min(Q̄1, Q̄2)(s', a') − α·log π(a'|s') ), a' ~ π(·|s').
 * Built from target-network values; the caller keeps it out of any gradient (no gradient through y).
 */
export function criticTarget(args: {
  rewards: tf.Tensor2D; // [B, 1]
  masks: tf.Tensor2D; // [B, 1]
  nextTargetQ: tf.Tensor3D; // [2, B, 1]
  nextLogProb: tf.Tensor2D; // [B, 1]
  alpha: tf.Scalar;
  gamma: number;
}): tf.Tensor2D {
  const softValue = tf.sub(minOfTwin(args.nextTargetQ), tf.mul(args.alpha, args.nextLogProb));
  return tf.add(args.rewards, tf.mul(tf.mul(args.masks, args.gamma), softValue)) as tf.Tensor2D;
}

/** Critic loss MSE(Q1(s,a), y) + MSE(Q2(s,a), y): squared errors summed over both critics, mean over the batch. */
export function criticLoss(q: tf.Tensor3D, target: tf.Tensor2D): tf.Scalar {
  const batchSize = target.shape[0];
  return tf.div(tf.sum(tf.squaredDifference(q, target)), batchSize) as tf.Scalar;
}

/** Actor loss mean( α·log π(ã|s) − min(Q1, Q2)(s, ã) ), ã ~ π(·|s) reparameterised. */
export function actorLoss(alpha: tf.Scalar, logProb: tf.Tensor2D, q: tf.Tensor3D): tf.Scalar {
  return tf.mean(tf.sub(tf.mul(alpha, logProb), minOfTwin(q))) as tf.Scalar;
}

/**
 * Temperature loss J(α) = −mean( log α · (log π(ã|s) + H̄) ). log π must arrive detached (a constant
 * here): the α step only moves log α toward the entropy target (SAC paper, eq. 18; SB3 detaches too).
 */
export function alphaLoss(logAlpha: tf.Tensor, logProbDetached: tf.Tensor2D, targetEntropy: number): tf.Scalar {
  return tf.neg(tf.mean(tf.mul(logAlpha, tf.add(logProbDetached, targetEntropy)))) as tf.Scalar;
}
