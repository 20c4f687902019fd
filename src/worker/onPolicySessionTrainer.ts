/**
 * PPO and TRPO as a SessionTrainer: a thin adapter over OnPolicyTrainer (rl/onPolicy/trainer.ts).
 * What differs from the off-policy runs, and why:
 *  - a step is a vector step of all n_envs pendulums, so slices are whole multiples of n_envs
 *    (stepGranularity; runFor would round a partial one up anyway, this keeps the pacing honest);
 *  - the first update phase runs when the first rollout is full (n_steps · n_envs env steps);
 *  - the networks live outside tfjs (Float64Array parameters): no tensor lives between calls (tfjs only
 *    builds the exported actor's files), and an exported SAC actor can't be loaded into them.
 */
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { InsightMapData } from '../rl/insight/grid';
import { OnPolicyInsight } from '../rl/insight/onPolicyInsight';
import type { OnPolicyConfig } from '../rl/onPolicy/config';
import type { OnPolicyTrainer } from '../rl/onPolicy/trainer';
import type { ActorFiles } from '../rl/sac/weights';
import { ForwardingSessionTrainer } from './forwardingSessionTrainer';

/** The sentence an on-policy run answers an actor import with. */
export function onPolicyImportRefusal(label: string): string {
  return `Loading actor weights is supported for SAC, DDPG and TD3 runs; this is a ${label} run`;
}

export class OnPolicySessionTrainer extends ForwardingSessionTrainer<OnPolicyTrainer<OnPolicyConfig>> {
  /** The maps' and the robustness sweep's own evaluator (made on first use). */
  private insight: OnPolicyInsight | null = null;

  /** n_envs is restart-only: fixed for the life of the run. */
  get stepGranularity(): number {
    return this.trainer.config.nEnvs;
  }
  /** The first update phase runs when the first rollout is full. */
  get firstUpdateStep(): number {
    const { nSteps, nEnvs } = this.trainer.config;
    return nSteps * nEnvs;
  }

  setLiveConfig(partial: AlgorithmConfig): void {
    // The trainer checks every key against its table (unknown keys, ranges, restart-only) before
    // changing anything, so handing it the record as its config type names nothing unchecked.
    this.trainer.setLiveConfig(partial as Partial<OnPolicyConfig>);
  }

  /** Refused: the page's weight files are SAC/DDPG/TD3 actors, and this policy has another head (μ and log σ / log S). */
  importActor(_files: ActorFiles): Promise<void> {
    return Promise.reject(new Error(onPolicyImportRefusal(this.trainer.algorithm.descriptor.label)));
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
}
