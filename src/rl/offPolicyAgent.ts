/**
 * What the trainer's off-policy loop needs from an algorithm, so that the loop (act → env step → store →
 * update) is written once and SAC, DDPG and TD3 slot in beside each other (issue 8).
 *
 * An agent *acts* from an observation, *learns* from the minibatches the trainer samples, reports
 * *named metrics* (declared in its AlgorithmDescriptor, with the chart each belongs on), *exports an
 * actor*, and hands its whole state out and back as plain data for checkpoints.
 */
import type * as tf from '@tensorflow/tfjs';
import type { AlgorithmDescriptor } from './algorithm';
import type { ConfigRules } from './hyperparameterTable';
import type { Batch } from './replayBuffer';
import type { Rng } from './rng';
import type { ActorFiles, ActorProvenance } from './sac/weights';

/** An exported actor's provenance with the run's own config type (SAC's ActorProvenance has SacConfig). */
export type ActorProvenanceOf<Config> = Omit<ActorProvenance, 'hyperparameters'> & { hyperparameters: Config };

export interface AgentAction {
  /** Action in the squashed range (−1, 1): what the critic sees and the buffer stores. */
  squashed: Float32Array;
  /** What the env receives (e.g. actionScale · squashed). */
  torque: Float32Array;
}

/** Sizes the trainer knows (from the env) when it creates an agent. */
export interface EnvShape {
  observationSize: number;
  actionSize: number;
}

/**
 * One off-policy learner. `Config` is the run's hyperparameter record, passed to every update so live
 * changes apply at the next one; `State` is the agent's plain-data state (typed arrays, numbers).
 */
export interface OffPolicyAgent<Config, State = unknown> {
  readonly descriptor: AlgorithmDescriptor;
  /**
   * Keys (from descriptor.metrics) of the entries of the tensor update() returns, in order. The trainer
   * sums them on the device and reports their mean over an episode's updates.
   */
  readonly updateStatKeys: readonly string[];
  /** Exploration action for one observation. Arrays may be reused: valid until the next call. */
  act(observation: Float32Array, rng: Rng): AgentAction;
  /** The policy's deterministic torque for one observation (testing the actor; reads back). */
  deterministicTorque(observation: Float32Array): Float32Array;
  /**
   * One gradient step on a minibatch. Returns the update's statistics (updateStatKeys order): a tensor
   * left on the device (tfjs agents; the caller disposes it) or a host array (agents that compute on the
   * host, e.g. KernelSacAgent; the caller may keep or overwrite it).
   */
  update(batch: Batch, rng: Rng, config: Config): tf.Tensor1D | Float32Array;
  /** The descriptor's metrics not in updateStatKeys, read at the end of an episode (one small read-back). */
  episodeEndMetrics(): Record<string, number>;
  /** The actor's flat weights (one read-back): what the trainer keeps as the best actor. */
  actorParameters(): Float32Array;
  /** The actor (or, given `parameters` from actorParameters, that actor) as tfjs LayersModel files. */
  exportActor(parameters: Float32Array | null, weightsFileName: string, provenance: ActorProvenanceOf<Config>): Promise<ActorFiles>;
  /** Loads exported actor files; throws (changing nothing) if they do not fit. */
  importActor(files: ActorFiles): Promise<void>;
  /** The complete learner state as plain data (reads tensors back: between slices, not per step). */
  getState(): State;
  /** Continues from a state taken by getState (validated by the algorithm's agentStateProblem first). */
  setState(state: State): void;
  dispose(): void;
}

/**
 * What a checkpoint's validation needs to know about an algorithm's agent state. Plain functions, no
 * tfjs: the page checks an imported run file with them before any worker is involved.
 */
export interface AgentStateRules<Config> {
  readonly descriptor: AlgorithmDescriptor;
  /** The agent's updateStatKeys (the length of the per-episode statistics sum). */
  readonly updateStatKeys: readonly string[];
  /**
   * Why `value` is not a state of an agent of these sizes, or null when it is one; checked before
   * any tensor is created. `allowNonFinite`: NaN/∞ weights are accepted (a run stopped for that reason).
   */
  agentStateProblem(value: unknown, shape: EnvShape, config: Config, allowNonFinite: boolean): string | null;
  /** Number of values in the actor's flat weights (actorParameters' length). */
  actorParameterCount(shape: EnvShape, config: Config): number;
}

/** How the trainer makes, checks and restores the agents of one algorithm. */
export interface OffPolicyAlgorithm<Config, Agent extends OffPolicyAgent<Config, State>, State> extends AgentStateRules<Config> {
  /** A fresh agent, its weights drawn from `rng` (the run's generator: one seed fixes the run). */
  createAgent(rng: Rng, shape: EnvShape, config: Config): Agent;
}

/**
 * An off-policy algorithm as the Trainer runs it (issue 8): its agents, its config table's rules, and
 * its warm-up. `learningStarts` null: SAC's rule (the policy acts from step 1, updates once steps >
 * batch_size); a number: that many steps of uniform random actions first, updates after them (DDPG, TD3).
 */
export interface TrainerAlgorithm<Config, Agent extends OffPolicyAgent<Config, State>, State> extends OffPolicyAlgorithm<Config, Agent, State> {
  readonly configRules: ConfigRules<Config>;
  learningStarts(config: Config): number | null;
}
