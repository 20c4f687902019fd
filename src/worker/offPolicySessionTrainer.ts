/**
 * SAC, DDPG and TD3 as a SessionTrainer: a thin adapter over the off-policy Trainer (rl/trainer.ts).
 * Every call is passed straight through, so a session's run is the Trainer's run step for step (same
 * seed, same episodes as the CLI and the Trainer's own tests); it only adds what the session asks of any
 * trainer: the algorithm's id, and a step granularity of 1 (one env step at a time).
 */
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import { DeterministicAgent } from '../rl/deterministic/agent';
import { deterministicInsightMaps } from '../rl/insight/deterministicInsight';
import type { InsightMapData } from '../rl/insight/grid';
import { sacInsightMaps } from '../rl/insight/sacInsight';
import { deterministicActorTorques, sacTorques } from '../rl/insight/torques';
import { SacAgent } from '../rl/sac/agent';
import { KernelSacAgent } from '../rl/sac/kernel/agent';
import type { RunConfig } from '../rl/hyperparameterTable';
import type { AnyOffPolicyTrainer } from '../rl/trainer';
import type { ActorFiles } from '../rl/sac/weights';
import { ForwardingSessionTrainer } from './forwardingSessionTrainer';

export class OffPolicySessionTrainer extends ForwardingSessionTrainer<AnyOffPolicyTrainer> {
  readonly stepGranularity = 1;

  get firstUpdateStep(): number {
    return this.trainer.firstUpdateStep;
  }

  setLiveConfig(partial: AlgorithmConfig): void {
    // The Trainer checks every key against its algorithm's table (unknown keys, ranges, restart-only)
    // before changing anything, so handing it the record as its config type names nothing unchecked.
    this.trainer.setLiveConfig(partial as Partial<RunConfig>);
  }

  importActor(files: ActorFiles): Promise<void> {
    return this.trainer.importActor(files);
  }

  insightMaps(gridSize: number): Promise<InsightMapData[]> {
    const agent = this.trainer.agent;
    if (agent instanceof SacAgent) return sacInsightMaps(agent, gridSize);
    if (agent instanceof KernelSacAgent) return withTfjsNetworks(agent, (networks) => sacInsightMaps(networks, gridSize));
    if (agent instanceof DeterministicAgent) return deterministicInsightMaps(agent, gridSize);
    return Promise.reject(new Error(`No phase-space maps for ${this.algorithm}'s agent`));
  }

  deterministicTorques(observations: Float32Array, count: number): Float32Array {
    const agent = this.trainer.agent;
    if (agent instanceof SacAgent) return sacTorques(agent, observations, count);
    if (agent instanceof DeterministicAgent) return deterministicActorTorques(agent, observations, count);
    // Any other agent (KernelSacAgent: its own plain forward, no tfjs): one observation at a time.
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.trainer.deterministicTorque(observations.subarray(3 * i, 3 * i + 3));
    return out;
  }
}

/**
 * The hand-written engine keeps its weights outside tfjs: the maps (about once a second) run on a
 * temporary tfjs copy of them, freed when the maps are read.
 */
async function withTfjsNetworks<T>(agent: KernelSacAgent, use: (networks: ReturnType<KernelSacAgent['tfjsNetworks']>) => Promise<T>): Promise<T> {
  const networks = agent.tfjsNetworks();
  try {
    return await use(networks);
  } finally {
    networks.dispose();
  }
}
