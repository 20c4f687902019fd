/**
 * What a TrainingSession needs from a run's trainer, whatever the algorithm: the off-policy Trainer
 * (SAC, DDPG, TD3; rl/trainer.ts) and the on-policy one (PPO, TRPO; rl/onPolicy/trainer.ts) both
 * have this shape, so the session, the router and the page are written once for all five.
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { PendulumPhysics, PendulumPush } from '../rl/env/pendulum';
import type { InsightMapData } from '../rl/insight/grid';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { EpisodeMetrics, PendulumState, StopReason } from '../rl/types';
import type { ActorFiles } from '../rl/sac/weights';

export interface SessionTrainer {
  readonly algorithm: AlgorithmId;
  /** The run's config including live changes (its algorithm's table). */
  readonly config: AlgorithmConfig;
  readonly totalSteps: number;
  readonly episodesDone: number;
  readonly updates: number;
  readonly stopReason: StopReason | null;
  readonly goalReachedAtEpisode: number | null;
  /** Seconds spent training, continued across checkpoints. */
  readonly trainingTimeSeconds: number;
  /** Every finished episode's metrics, in order. */
  readonly metrics: readonly EpisodeMetrics[];
  /** The best 100-episode mean so far and its episode (null before any episode). */
  readonly best100: { value: number; episode: number } | null;
  /** Env steps a slice should be a multiple of (on-policy: n_envs; off-policy: 1). */
  readonly stepGranularity: number;
  /**
   * The env step (totalSteps right after it) whose step runs the run's first update: SAC batch_size + 1,
   * DDPG/TD3 learning_starts + 1, PPO/TRPO n_steps · n_envs (the first full rollout). The session ends
   * its cheap warm-up slice there, so the slice size re-adapts to the cost of updates.
   */
  readonly firstUpdateStep: number;
  pendulumState(): PendulumState;
  /** Applies live settings from the next update; throws RangeError (changing nothing) naming every problem. */
  setLiveConfig(partial: AlgorithmConfig): void;
  stop(): void;
  runFor(maxEnvSteps: number): { steps: number; episodes: EpisodeMetrics[]; stopReason: StopReason | null };
  deterministicTorque(observation: Float32Array): number;
  exportActor(runName: string, which: 'final' | 'best', weightsFileName: string): Promise<ActorFiles>;
  /** Loads actor weights into the run; throws (changing nothing) when the files do not fit or the algorithm can't. */
  importActor(files: ActorFiles): Promise<void>;
  checkpoint(): RunCheckpoint;
  dispose(): void;

  // Issue 9: see inside the agent.
  /** The phase-space maps of the current networks over a gridSize² grid (one batched evaluation; rl/insight). */
  insightMaps(gridSize: number): Promise<InsightMapData[]>;
  /** deterministicTorque for `count` observations [count, 3] at once (the robustness sweep). */
  deterministicTorques(observations: Float32Array, count: number): Float32Array;
  /** Pokes the drawn training pendulum; throws RangeError on a bad push. Draws nothing from the run's generator. */
  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number };
  /** The training env(s)' physics from the next episode on; throws RangeError on out-of-range values. */
  setEnvPhysics(physics: PendulumPhysics): void;
  readonly envPhysics: { current: PendulumPhysics; pending: PendulumPhysics | null };
}
