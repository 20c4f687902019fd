/**
 * Adam with PyTorch's rule and defaults (β1 0.9, β2 0.999, ε 1e−8), the same formula as ../adam.ts:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * on one contiguous run of the heap (a whole network: layout.ts keeps padding at zero gradient, so the
 * padded parameters stay zero). Arithmetic in f64; θ, m and v are stored rounded to float32 (Math.fround),
 * as the tfjs agent stores them, so a checkpoint of the float32 values continues bit for bit.
 */

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPSILON = 1e-8;

/** The per-step scalars of step `t` (1-based): lr/(1 − β1^t) and 1/√(1 − β2^t). The sweep itself is SacHeap.adam (sacHeap.ts). */
export function adamStepScalars(learningRate: number, t: number): { stepSize: number; inverseRootCorrection2: number } {
  return { stepSize: learningRate / (1 - BETA1 ** t), inverseRootCorrection2: 1 / Math.sqrt(1 - BETA2 ** t) };
}

/** A scalar parameter's Adam (log α): float32 value and moments, and the step count. */
export interface ScalarAdam {
  value: number;
  firstMoment: number;
  secondMoment: number;
  steps: number;
}

/** One step of the same rule on a scalar, in place. */
export function scalarAdamStep(state: ScalarAdam, gradient: number, learningRate: number): void {
  state.steps += 1;
  const t = state.steps;
  const m = Math.fround(BETA1 * state.firstMoment + (1 - BETA1) * gradient);
  const v = Math.fround(BETA2 * state.secondMoment + (1 - BETA2) * gradient * gradient);
  state.firstMoment = m;
  state.secondMoment = v;
  state.value = Math.fround(state.value - (m / (Math.sqrt(v) * (1 / Math.sqrt(1 - BETA2 ** t)) + EPSILON)) * (learningRate / (1 - BETA1 ** t)));
}
