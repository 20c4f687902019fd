/**
 * Generalized State-Dependent Exploration (Raffin et al. 2022) as Stable-Baselines3 uses it for
 * PPO/TRPO on Pendulum (ALGORITHMS.md, "gSDE"):
 *   features z(s) = the policy net's last hidden layer, detached (no gradient reaches the features
 *   through the noise or the variance); parameter log S ∈ R^{H×A};
 *   exploration matrix E ~ N(0, S²) elementwise, resampled every sde_sample_freq steps;
 *   action a = μ(s) + z(s)ᵀE;
 *   density for log-probabilities, entropy and KL: N(μ(s), diag(v(s))), v_j(s) = Σ_i z_i(s)² S_ij².
 * Plain arrays, row-major [H, A] for log S and E.
 */
import type { Rng } from '../rng';

/**
 * Added to every variance, as SB3 does (StateDependentNoiseDistribution, epsilon 1e-6), so that a state
 * whose features are all ~0 still has a finite log-density.
 */
export const GSDE_VARIANCE_FLOOR = 1e-6;

/** E_ij = S_ij · N(0, 1) = exp(log S_ij) · N(0, 1): one exploration matrix [H, A] from the run's generator. */
export function sampleExplorationMatrix(rng: Rng, logScale: ArrayLike<number>, out: Float64Array, outOffset = 0): void {
  for (let i = 0; i < logScale.length; i++) out[outOffset + i] = Math.exp(logScale[i] as number) * rng.normal();
}

/** noise_j = Σ_i z_i · E_ij for one state's features z [H] (the exploration added to μ). */
export function explorationNoise(
  features: ArrayLike<number>,
  featuresOffset: number,
  hiddenSize: number,
  matrix: ArrayLike<number>,
  matrixOffset: number,
  actionSize: number,
  out: Float64Array,
): void {
  for (let j = 0; j < actionSize; j++) out[j] = 0;
  for (let i = 0; i < hiddenSize; i++) {
    const z = features[featuresOffset + i] as number;
    for (let j = 0; j < actionSize; j++) out[j] = (out[j] as number) + z * (matrix[matrixOffset + i * actionSize + j] as number);
  }
}

/**
 * v_j = Σ_i z_i² · S_ij² (+ GSDE_VARIANCE_FLOOR) for `batch` rows of features [batch, H], written to
 * out [batch, A]: the variance of z(s)ᵀE for E ~ N(0, S²).
 */
export function gsdeVariance(features: ArrayLike<number>, batch: number, hiddenSize: number, logScale: ArrayLike<number>, actionSize: number, out: Float64Array): void {
  // S² once per call, not once per state.
  const scaleSquared = new Float64Array(logScale.length);
  for (let i = 0; i < logScale.length; i++) scaleSquared[i] = Math.exp(2 * (logScale[i] as number));
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < actionSize; j++) {
      let sum = GSDE_VARIANCE_FLOOR;
      for (let i = 0; i < hiddenSize; i++) {
        const z = features[b * hiddenSize + i] as number;
        sum += z * z * (scaleSquared[i * actionSize + j] as number);
      }
      out[b * actionSize + j] = sum;
    }
  }
}

/**
 * Adds dLoss/dlog S to `gradient` (at `offset`) given dLoss/dlog v [batch, A]:
 * ∂ log v_j / ∂ log S_ij = 2 z_i² S_ij² / v_j (z detached: nothing flows into the features).
 */
export function gsdeLogScaleGradient(
  features: ArrayLike<number>,
  batch: number,
  hiddenSize: number,
  logScale: ArrayLike<number>,
  actionSize: number,
  variance: ArrayLike<number>,
  dLogVariance: ArrayLike<number>,
  gradient: Float64Array,
  offset: number,
): void {
  for (let i = 0; i < hiddenSize; i++) {
    for (let j = 0; j < actionSize; j++) {
      const scaleSquared = Math.exp(2 * (logScale[i * actionSize + j] as number));
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        const z = features[b * hiddenSize + i] as number;
        sum += ((dLogVariance[b * actionSize + j] as number) * 2 * z * z * scaleSquared) / (variance[b * actionSize + j] as number);
      }
      gradient[offset + i * actionSize + j] = (gradient[offset + i * actionSize + j] as number) + sum;
    }
  }
}

/** Directional derivative of log v [batch, A] along a direction in log S (the JVP TRPO's Fisher product needs). */
export function gsdeLogVarianceTangent(
  features: ArrayLike<number>,
  batch: number,
  hiddenSize: number,
  logScale: ArrayLike<number>,
  actionSize: number,
  variance: ArrayLike<number>,
  direction: ArrayLike<number>,
  directionOffset: number,
  out: Float64Array,
): void {
  const scaleSquared = new Float64Array(logScale.length);
  for (let i = 0; i < logScale.length; i++) scaleSquared[i] = Math.exp(2 * (logScale[i] as number));
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < actionSize; j++) {
      let sum = 0;
      for (let i = 0; i < hiddenSize; i++) {
        const z = features[b * hiddenSize + i] as number;
        sum += 2 * z * z * (scaleSquared[i * actionSize + j] as number) * (direction[directionOffset + i * actionSize + j] as number);
      }
      out[b * actionSize + j] = sum / (variance[b * actionSize + j] as number);
    }
  }
}
