/**
 * PPO and TRPO as a SessionTrainer: a thin adapter over OnPolicyTrainer (rl/onPolicy/trainer.ts).
 * What differs from the off-policy runs, and why:
 *  - a step is a vector step of all n_envs pendulums, so slices are whole multiples of n_envs
 *    (stepGranularity; runFor would round a partial one up anyway, this keeps the pacing honest);
 *  - the first update phase runs when the first rollout is full (n_steps · n_envs env steps);
 *  - the networks live outside tfjs (Float64Array parameters): no tensor lives between calls (tfjs only
 *    builds the exported actor's files), and an exported SAC actor can't be loaded into them.
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { PendulumPhysics, PendulumPush } from '../rl/env/pendulum';
import type { InsightMapData } from '../rl/insight/grid';
import { OnPolicyInsight } from '../rl/insight/onPolicyInsight';
import type { OnPolicyConfig } from '../rl/onPolicy/config';
import type { OnPolicyTrainer } from '../rl/onPolicy/trainer';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { EpisodeMetrics, PendulumState, StopReason } from '../rl/types';
import type { ActorFiles } from '../rl/sac/weights';
import type { SessionTrainer } from './sessionTrainer';

/** The sentence an on-policy run answers an actor import with. */
export function onPolicyImportRefusal(label: string): string {
  return `Loading actor weights is supported for SAC, DDPG and TD3 runs; this is a ${label} run`;
}

export class OnPolicySessionTrainer implements SessionTrainer {
  /** The maps' and the robustness sweep's own evaluator (made on first use). */
  private insight: OnPolicyInsight | null = null;

  constructor(
    readonly algorithm: AlgorithmId,
    private readonly trainer: OnPolicyTrainer<OnPolicyConfig>,
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
  /** n_envs is restart-only: fixed for the life of the run. */
  get stepGranularity(): number {
    return this.trainer.config.nEnvs;
  }
  get firstUpdateStep(): number {
    const { nSteps, nEnvs } = this.trainer.config;
    return nSteps * nEnvs;
  }

  pendulumState(): PendulumState {
    return this.trainer.pendulumState();
  }

  setLiveConfig(partial: AlgorithmConfig): void {
    // The trainer checks every key against its table (unknown keys, ranges, restart-only) before
    // changing anything, so handing it the record as its config type names nothing unchecked.
    this.trainer.setLiveConfig(partial as Partial<OnPolicyConfig>);
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

  /** Refused: the page's weight files are SAC/DDPG/TD3 actors, and this policy has another head (μ and log σ / log S). */
  importActor(_files: ActorFiles): Promise<void> {
    return Promise.reject(new Error(onPolicyImportRefusal(this.trainer.algorithm.descriptor.label)));
  }

  checkpoint(): RunCheckpoint {
    return this.trainer.checkpoint();
  }

  dispose(): void {
    this.trainer.dispose();
  }

  private evaluator(): OnPolicyInsight {
    this.insight ??= new OnPolicyInsight(this.trainer.model);
    return this.insight;
  }

  insightMaps(gridSize: number): Promise<InsightMapData[]> {
    try {
      return Promise.resolve(this.evaluator().maps(gridSize));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  deterministicTorques(observations: Float32Array, count: number): Float32Array {
    return this.evaluator().torques(observations, count);
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
