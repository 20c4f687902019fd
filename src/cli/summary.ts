/** The final `done: true` object of `npm run train -- --json`. */
import type { AlgorithmId } from '../rl/algorithm';
import type { EpisodeMetrics, StopReason } from '../rl/types';

export { SWING_UP_THRESHOLD } from '../rl/benchmark';

export interface RunSummary {
  done: true;
  /** The algorithm's id (sac, ddpg, td3, ppo, trpo). */
  algorithm: string;
  stopReason: StopReason | null;
  goalReached: boolean;
  goalEpisode: number | null;
  goalStep: number | null;
  /** First env step at which the last-10 mean exceeded −200, or null. */
  swingUpStep: number | null;
  steps: number;
  episodes: number;
  updates: number;
  updatesPerSecond: number;
  wallSeconds: number;
  finalAvg100: number | null;
  finalAvg10: number | null;
  backend: string;
}

/** What the summary reads of a run: the off-policy Trainer and the on-policy trainer both have it. */
export interface SummarizedRun {
  readonly metrics: readonly EpisodeMetrics[];
  readonly goalReachedAtEpisode: number | null;
  readonly stopReason: StopReason | null;
  readonly totalSteps: number;
  readonly episodesDone: number;
  readonly updates: number;
}

export function summarizeRun(trainer: SummarizedRun, algorithm: AlgorithmId, wallSeconds: number, swingUpStep: number | null, backend: string): RunSummary {
  const last = trainer.metrics[trainer.metrics.length - 1];
  const goalEpisode = trainer.goalReachedAtEpisode;
  const goalMetrics = goalEpisode === null ? undefined : trainer.metrics[goalEpisode - 1];
  return {
    done: true,
    algorithm,
    stopReason: trainer.stopReason,
    goalReached: goalEpisode !== null,
    goalEpisode,
    goalStep: goalMetrics?.step ?? null,
    swingUpStep,
    steps: trainer.totalSteps,
    episodes: trainer.episodesDone,
    updates: trainer.updates,
    updatesPerSecond: wallSeconds > 0 ? trainer.updates / wallSeconds : 0,
    wallSeconds,
    finalAvg100: last?.avg100 ?? null,
    finalAvg10: last?.avg10 ?? null,
    backend,
  };
}
