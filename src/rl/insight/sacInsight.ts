/**
 * SAC's phase-space maps (issue 9), one batched evaluation over the whole grid inside tf.tidy and one
 * read-back:
 *   policyMean = actionScale · tanh(μ(s))   (the deterministic torque of the lecture's test.py)
 *   value      = (1/K) Σ_k [min(Q1, Q2)(s, ã_k) − α log π(ã_k|s)],  ã_k = tanh(μ + σ ε_k)
 *                (the soft state value V(s) the critic target uses; ε_k from a fixed-seed generator of
 *                its own, the same every refresh, so the map moves only when the networks do; never the run's)
 *   spread     = σ(s) = exp(log σ(s)), the pre-tanh Gaussian's standard deviation (log σ clamped to [−20, 2])
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { SacAgent } from '../sac/agent';

/** What the maps read of a SAC agent: SacAgent itself, or KernelSacAgent's temporary tfjs copy (tfjsNetworks). */
export type SacNetworks = Pick<SacAgent, 'shape' | 'actor' | 'critic' | 'logAlpha'>;
import { sampleSquashedGaussian } from '../sac/squashedGaussian';
import { gridObservations, type InsightMapData } from './grid';

/** Seed of the maps' own noise (not the run's generator). */
export const INSIGHT_NOISE_SEED = 0x5ac1_9a9e;

/**
 * Samples ã per cell for SAC's value map: the two critics run K times over the grid, which dominates the
 * cost. K = 4 on WebGL / wasm up to hidden 128; 1 above, and on tfjs's plain-JS cpu backend (measured in
 * Node: 64 × 64 grid, hidden 64, K = 4 ≈ 5 s per refresh on a busy 2-core machine; K = 1 a quarter of it).
 */
export function sacValueSamples(hiddenSize: number, backend: string = tf.getBackend()): number {
  return hiddenSize <= 128 && backend !== 'cpu' ? 4 : 1;
}

const noiseCache = new Map<string, Float32Array>();

/** ε [K·N] for the value map: sample k of cell i at k·N + i, from Rng(INSIGHT_NOISE_SEED). */
export function sacInsightNoise(cells: number, samples: number): Float32Array {
  const key = `${cells}x${samples}`;
  let noise = noiseCache.get(key);
  if (!noise) {
    noise = new Rng(INSIGHT_NOISE_SEED).fillNormal(new Float32Array(cells * samples));
    noiseCache.set(key, noise);
  }
  return noise;
}

/** `samples`: K for the value map (default sacValueSamples). */
export async function sacInsightMaps(agent: SacNetworks, gridSize: number, samples?: number): Promise<InsightMapData[]> {
  const { observationSize: O, actionSize: A, hiddenSize, actionScale } = agent.shape;
  if (A !== 1) throw new RangeError(`the maps need a one-dimensional action, this agent has ${A}`);
  const N = gridSize * gridSize;
  const K = samples ?? sacValueSamples(hiddenSize);
  const noise = sacInsightNoise(N, K);
  const stacked = tf.tidy(() => {
    const observations = tf.tensor2d(gridObservations(gridSize), [N, O]);
    const { mean, logStd } = agent.actor.forward(observations);
    const policyMean = tf.mul(tf.tanh(mean), actionScale);
    const spread = tf.exp(logStd);
    // K copies of the grid, sample k of cell i at row k·N + i.
    const repeat = (t: tf.Tensor2D): tf.Tensor2D => tf.tile(t, [K, 1]);
    const sample = sampleSquashedGaussian(repeat(mean), repeat(logStd), tf.tensor2d(noise, [K * N, 1]));
    const q = agent.critic.forward(repeat(observations), sample.action); // [2, K·N, 1]
    const alpha = tf.exp(agent.logAlpha);
    const soft = tf.sub(tf.min(q, 0), tf.mul(alpha, sample.logProb)); // [K·N, 1]
    const value = tf.mean(tf.reshape(soft, [K, N]), 0);
    return tf.concat([tf.reshape(policyMean, [N]), value, tf.reshape(spread, [N])]);
  });
  let data: Float32Array;
  try {
    data = (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
  return [
    {
      key: 'policyMean',
      label: 'Mean torque actionScale·tanh(μ(s)) (N·m)',
      description: `The deterministic torque the actor would apply: actionScale · tanh(μ(s)), actionScale = ${actionScale}.`,
      values: data.slice(0, N),
    },
    {
      key: 'value',
      label: 'Soft state value V(s)',
      description: `min(Q1, Q2)(s, ã) − α log π(ã|s), averaged over ${K} sampled action${K === 1 ? '' : 's'} ã = tanh(μ + σε) (fixed noise, the same every refresh), with the current critics and α.`,
      values: data.slice(N, 2 * N),
    },
    {
      key: 'spread',
      label: 'Policy spread σ(s)',
      description: 'Standard deviation σ(s) = exp(log σ(s)) of the Gaussian before the tanh squash (log σ clamped to [−20, 2]).',
      values: data.slice(2 * N, 3 * N),
    },
  ];
}
