/** The final `done: true` object of `npm run train -- --json`. */
import type { AnyOffPolicyTrainer } from '../rl/trainer';
import type { StopReason } from '../rl/types';

export { SWING_UP_THRESHOLD } from '../rl/benchmark';

export interface RunSummary {
  done: true;
  /** The algorithm's id (sac, ddpg, td3). */
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

export function summarizeRun(trainer: AnyOffPolicyTrainer, wallSeconds: number, swingUpStep: number | null, backend: string): RunSummary {
  const last = trainer.metrics[trainer.metrics.length - 1];
  const goalEpisode = trainer.goalReachedAtEpisode;
  const goalMetrics = goalEpisode === null ? undefined : trainer.metrics[goalEpisode - 1];
  return {
    done: true,
    algorithm: trainer.agent.descriptor.id,
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
