/**
 * What the on-policy loop (onPolicy/trainer.ts) hands an algorithm after each rollout, and what the
 * algorithm (PPO, TRPO) gives back: the update phase as one call, its metrics, its state.
 */
import type { Rng } from '../rng';
import type { ActorCritic } from './actorCritic';

/** A finished rollout with everything the update phase needs, flattened to M = nSteps·nEnvs rows. */
export interface RolloutData {
  size: number;
  observations: Float64Array;
  /** Unclipped sampled actions [M, A]. */
  actions: Float64Array;
  /** log π_old(a|s) at collection time. */
  oldLogProbs: Float64Array;
  /** GAE advantages Â (not normalised). */
  advantages: Float64Array;
  /** R = Â + V_old(s). */
  returns: Float64Array;
  /** V_old(s) at collection time (explained variance). */
  values: Float64Array;
}

export interface UpdatePhaseResult {
  /** The phase's metrics under the descriptor's keys. */
  metrics: Record<string, number>;
  /** Optimiser steps made (the `updates` counter). */
  gradientSteps: number;
}

export interface OnPolicyLearner<Config, State = unknown> {
  /** Keys of `metrics`, in the descriptor's order. */
  readonly metricKeys: readonly string[];
  /** One update phase on a rollout: changes `model`'s parameters, may draw from `rng` (minibatch order). */
  learn(model: ActorCritic, data: RolloutData, rng: Rng, config: Config): UpdatePhaseResult;
  /** The optimiser state as plain data. */
  getState(): State;
  setState(state: State): void;
  /** Why `value` is not a state of this learner, or null. */
  stateProblem(value: unknown): string | null;
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates, from the run's generator). */
export function shuffledIndices(rng: Rng, n: number, out: Uint32Array): Uint32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    const swap = out[i] as number;
    out[i] = out[j] as number;
    out[j] = swap;
  }
  return out;
}

/**
 * Â ← (Â − mean Â) / (std Â + 1e−8) over the given rows, std with Bessel's correction (torch.std, as
 * SB3's PPO per minibatch and TRPO over the rollout). A single row is left as it is (SB3: "normalization
 * does not make sense if mini batchsize == 1").
 */
export function normalizeAdvantages(advantages: Float64Array, count: number): void {
  if (count <= 1) return;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += advantages[i] as number;
  mean /= count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += ((advantages[i] as number) - mean) ** 2;
  const std = Math.sqrt(squares / (count - 1));
  for (let i = 0; i < count; i++) advantages[i] = ((advantages[i] as number) - mean) / (std + 1e-8);
}

/** 1 − Var(R − V)/Var(R) (population variances, as SB3's explained_variance); NaN when Var(R) = 0. */
export function explainedVariance(values: ArrayLike<number>, returns: ArrayLike<number>, count: number): number {
  let meanReturn = 0;
  let meanResidual = 0;
  for (let i = 0; i < count; i++) {
    meanReturn += returns[i] as number;
    meanResidual += (returns[i] as number) - (values[i] as number);
  }
  meanReturn /= count;
  meanResidual /= count;
  let varReturn = 0;
  let varResidual = 0;
  for (let i = 0; i < count; i++) {
    varReturn += ((returns[i] as number) - meanReturn) ** 2;
    varResidual += ((returns[i] as number) - (values[i] as number) - meanResidual) ** 2;
  }
  return varReturn === 0 ? Number.NaN : 1 - varResidual / varReturn;
}

/** Copies rows `indices[from … from+count)` of a [M, width] array into out [count, width]. */
export function gatherRows(source: Float64Array, width: number, indices: Uint32Array, from: number, count: number, out: Float64Array): Float64Array {
  for (let r = 0; r < count; r++) {
    const row = indices[from + r] as number;
    for (let k = 0; k < width; k++) out[r * width + k] = source[row * width + k] as number;
  }
  return out;
}
