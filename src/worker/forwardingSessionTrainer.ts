/**
 * What both SessionTrainer adapters pass straight through to their trainer (the off-policy Trainer and
 * the OnPolicyTrainer have these members with the same meaning): counters, metrics, stop, slices, acting,
 * export, checkpoints and the training env's pushes and physics. The adapters add only what differs per
 * family (offPolicySessionTrainer.ts, onPolicySessionTrainer.ts).
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { PendulumPhysics, PendulumPush } from '../rl/env/pendulum';
import type { InsightMapData } from '../rl/insight/grid';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics, PendulumState, StopReason } from '../rl/types';
import type { SessionTrainer } from './sessionTrainer';

/** The trainer members forwarded as they are (both trainers have them). */
export interface ForwardedTrainer {
  readonly config: AlgorithmConfig;
  readonly totalSteps: number;
  readonly episodesDone: number;
  readonly updates: number;
  readonly stopReason: StopReason | null;
  readonly goalReachedAtEpisode: number | null;
  readonly trainingTimeSeconds: number;
  readonly metrics: readonly EpisodeMetrics[];
  readonly best100: { value: number; episode: number } | null;
  readonly envPhysics: { current: PendulumPhysics; pending: PendulumPhysics | null };
  pendulumState(): PendulumState;
  stop(): void;
  runFor(maxEnvSteps: number): { steps: number; episodes: EpisodeMetrics[]; stopReason: StopReason | null };
  deterministicTorque(observation: Float32Array): number;
  exportActor(runName: string, which: 'final' | 'best', weightsFileName: string): Promise<ActorFiles>;
  checkpoint(): RunCheckpoint;
  dispose(): void;
  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number };
  setEnvPhysics(physics: PendulumPhysics): void;
}

export abstract class ForwardingSessionTrainer<Trainer extends ForwardedTrainer> implements SessionTrainer {
  abstract readonly stepGranularity: number;
  abstract readonly firstUpdateStep: number;

  constructor(
    readonly algorithm: AlgorithmId,
    protected readonly trainer: Trainer,
  ) {}

  /** Live settings, checked by the trainer against its table before anything changes. */
  abstract setLiveConfig(partial: AlgorithmConfig): void;
  abstract importActor(files: ActorFiles): Promise<void>;
  abstract insightMaps(gridSize: number): Promise<InsightMapData[]>;
  abstract deterministicTorques(observations: Float32Array, count: number): Float32Array;

  get config(): AlgorithmConfig {
    return this.trainer.config;
  }
  get totalSteps(): number {
    return this.trainer.totalSteps;
  }
  get episodesDone(): number {
    return this.trainer.episodesDone;
  }
  get updates(): number {
    return this.trainer.updates;
  }
  get stopReason(): StopReason | null {
    return this.trainer.stopReason;
  }
  get goalReachedAtEpisode(): number | null {
    return this.trainer.goalReachedAtEpisode;
  }
  get trainingTimeSeconds(): number {
    return this.trainer.trainingTimeSeconds;
  }
  get metrics(): readonly EpisodeMetrics[] {
    return this.trainer.metrics;
  }
  get best100(): { value: number; episode: number } | null {
    return this.trainer.best100;
  }
  get envPhysics(): { current: PendulumPhysics; pending: PendulumPhysics | null } {
    return this.trainer.envPhysics;
  }

  pendulumState(): PendulumState {
    return this.trainer.pendulumState();
  }
  stop(): void {
    this.trainer.stop();
  }
  runFor(maxEnvSteps: number): { steps: number; episodes: EpisodeMetrics[]; stopReason: StopReason | null } {
    return this.trainer.runFor(maxEnvSteps);
  }
  deterministicTorque(observation: Float32Array): number {
    return this.trainer.deterministicTorque(observation);
  }
  exportActor(runName: string, which: 'final' | 'best', weightsFileName: string): Promise<ActorFiles> {
    return this.trainer.exportActor(runName, which, weightsFileName);
  }
  checkpoint(): RunCheckpoint {
    return this.trainer.checkpoint();
  }
  dispose(): void {
    this.trainer.dispose();
  }
  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number } {
    return this.trainer.pushEnv(push);
  }
  setEnvPhysics(physics: PendulumPhysics): void {
    this.trainer.setEnvPhysics(physics);
  }
}
