/**
 * SAC, DDPG and TD3 as a SessionTrainer: a thin adapter over the off-policy Trainer (rl/trainer.ts).
 * Every call is passed straight through, so a session's run is the Trainer's run step for step (same
 * seed, same episodes as the CLI and the Trainer's own tests); it only adds what the session asks of any
 * trainer: the algorithm's id, and a step granularity of 1 (one env step at a time).
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import { DeterministicAgent } from '../rl/deterministic/agent';
import type { PendulumPhysics, PendulumPush } from '../rl/env/pendulum';
import { deterministicInsightMaps } from '../rl/insight/deterministicInsight';
import type { InsightMapData } from '../rl/insight/grid';
import { sacInsightMaps } from '../rl/insight/sacInsight';
import { deterministicActorTorques, sacTorques } from '../rl/insight/torques';
import { SacAgent } from '../rl/sac/agent';
import type { RunConfig } from '../rl/hyperparameterTable';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { AnyOffPolicyTrainer } from '../rl/trainer';
import type { EpisodeMetrics, PendulumState, StopReason } from '../rl/types';
import type { ActorFiles } from '../rl/sac/weights';
import type { SessionTrainer } from './sessionTrainer';

export class OffPolicySessionTrainer implements SessionTrainer {
  readonly stepGranularity = 1;

  constructor(
    readonly algorithm: AlgorithmId,
    private readonly trainer: AnyOffPolicyTrainer,
  ) {}

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
  get firstUpdateStep(): number {
    return this.trainer.firstUpdateStep;
  }

  pendulumState(): PendulumState {
    return this.trainer.pendulumState();
  }

  setLiveConfig(partial: AlgorithmConfig): void {
    // The Trainer checks every key against its algorithm's table (unknown keys, ranges, restart-only)
    // before changing anything, so handing it the record as its config type names nothing unchecked.
    this.trainer.setLiveConfig(partial as Partial<RunConfig>);
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

  importActor(files: ActorFiles): Promise<void> {
    return this.trainer.importActor(files);
  }

  checkpoint(): RunCheckpoint {
    return this.trainer.checkpoint();
  }

  dispose(): void {
    this.trainer.dispose();
  }

  insightMaps(gridSize: number): Promise<InsightMapData[]> {
    const agent = this.trainer.agent;
    if (agent instanceof SacAgent) return sacInsightMaps(agent, gridSize);
    if (agent instanceof DeterministicAgent) return deterministicInsightMaps(agent, gridSize);
    return Promise.reject(new Error(`No phase-space maps for ${this.algorithm}'s agent`));
  }

  deterministicTorques(observations: Float32Array, count: number): Float32Array {
    const agent = this.trainer.agent;
    if (agent instanceof SacAgent) return sacTorques(agent, observations, count);
    if (agent instanceof DeterministicAgent) return deterministicActorTorques(agent, observations, count);
    // Any other agent: one observation at a time.
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.trainer.deterministicTorque(observations.subarray(3 * i, 3 * i + 3));
    return out;
  }

  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number } {
    return this.trainer.pushEnv(push);
  }

  setEnvPhysics(physics: PendulumPhysics): void {
    this.trainer.setEnvPhysics(physics);
  }

  get envPhysics(): { current: PendulumPhysics; pending: PendulumPhysics | null } {
    return this.trainer.envPhysics;
  }
}
