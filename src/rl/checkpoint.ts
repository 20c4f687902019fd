/**
 * CONTRACT (filled in by the rl work of issue 7): the complete state of a run as plain data, so a run can
 * be saved (IndexedDB, a run file), moved between workers, and resumed to exactly the episode metrics an
 * uninterrupted run would have produced (on the cpu backend, bit for bit).
 *
 * Plain data only: numbers, strings, booleans, null, arrays, plain objects and Float32Array /
 * Float64Array / Uint32Array. No tensors, no class instances: it must survive structured clone
 * (postMessage, IndexedDB) and the run-file encoding (typed arrays stored as binary entries).
 *
 * The Trainer provides:
 *   trainer.checkpoint(): TrainerCheckpoint                 (reads tensors back; call between slices)
 *   Trainer.restore(checkpoint: TrainerCheckpoint): Promise<Trainer>   (validates first; throws Error naming what is wrong)
 *   trainer.actorParameters('final' | 'best'): Float32Array | null      (flat actor weights)
 * and this module:
 *   validateCheckpoint(value: unknown): TrainerCheckpoint   (throws Error with a clear message for foreign/malformed data)
 *   checkpointTransferables(checkpoint): ArrayBuffer[]       (the typed arrays' buffers, to transfer over postMessage)
 */
import { ALGORITHM_IDS, type AlgorithmId } from './algorithm';
import type { ConfigRules, RunConfig } from './hyperparameterTable';
import { MAX_EPISODE_STEPS, PENDULUM_SHAPE, pendulumSnapshotProblem, type PendulumSnapshot } from './env/pendulum';
import type { AgentStateRules } from './offPolicyAgent';
import { isFiniteNumber, isFloat32Array, isNonNegativeInteger, isPlainObject } from './plainData';
import { replayBufferStateProblem, type ReplayBufferState } from './replayBuffer';
import { rngStateProblem, type RngState } from './rng';
import { SAC_AGENT_STATE_RULES } from './sac/agentState';
import { HYPERPARAMETERS, validateConfig, type SacConfig } from './sac/config';
import type { StopReason } from './types';

/** Bumped whenever the shape changes; restore refuses other versions with a message. */
export const CHECKPOINT_VERSION = 1;

export interface TrainerCheckpoint<Config = SacConfig> {
  version: typeof CHECKPOINT_VERSION;
  algorithm: AlgorithmId;
  /** The run's config including live changes made so far (the algorithm's own table: SacConfig, DdpgConfig, …). */
  config: Config;
  counters: {
    totalSteps: number;
    episodesDone: number;
    updates: number;
    /** Seconds spent inside runFor so far (the wallSeconds metric continues from here). */
    trainingSeconds: number;
  };
  stopReason: StopReason | null;
  goalReachedAtEpisode: number | null;
  /** Every episode score so far (the 100- and 10-episode means and the stop rule need them). */
  scores: number[];
  /** Everything else, owned by the rl implementation: rng, env, observation, episode accumulators, buffer, agent (networks, Adam moments, log α), best actor. */
  state: Record<string, unknown>;
}

/**
 * The trainer's `state`, as this implementation writes and reads it. (A type alias, not an interface,
 * so it is assignable to the contract's Record<string, unknown>.)
 */
export type TrainerState = {
  /** The run's one generator: action noise, minibatch indices, update noise. */
  rng: RngState;
  env: PendulumSnapshot;
  /** The observation the next action is chosen from. */
  observation: Float32Array;
  episode: {
    /** Reward summed so far in the unfinished episode. */
    score: number;
    /** Updates made so far in it. */
    updates: number;
    /** Sum of the update statistics over those updates (null before the first), as the device held it. */
    statsSum: Float32Array | null;
    /** counters.trainingSeconds when the episode began (its updatesPerSecond is measured from here). */
    startTrainingSeconds: number;
  };
  buffer: ReplayBufferState;
  /** The algorithm's learner state (SAC: SacAgentState), checked by its AgentStateRules. */
  agent: unknown;
  /** The actor at the best 100-episode mean so far, or null before the first episode. */
  best: { value: number; episode: number; step: number; actor: Float32Array } | null;
  /** First env step at which the last-10 mean exceeded the swing-up threshold, or null. */
  swingUpStep: number | null;
};

/**
 * What the validation of one algorithm's checkpoint needs (no tfjs): its agent state rules and its config
 * table. Every TrainerAlgorithm (offPolicyAgent.ts) is one; the page can use the tfjs-free parts alone.
 */
export type CheckpointRules<Config> = AgentStateRules<Config> & { readonly configRules: ConfigRules<Config> };

/** SAC's checkpoint rules: its agent state and the table of sac/config.ts. */
export const SAC_CHECKPOINT_RULES: CheckpointRules<SacConfig> = {
  ...SAC_AGENT_STATE_RULES,
  configRules: { table: HYPERPARAMETERS, validate: validateConfig },
};

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>(['goal', 'maxEpisodes', 'maxSteps', 'nonFinite', 'user']);

/** Thrown by validateCheckpoint: the message says what is wrong, for the user. */
export class CheckpointError extends Error {
  constructor(problem: string) {
    super(`This is not a usable run checkpoint: ${problem}.`);
    this.name = 'CheckpointError';
  }
}

function checkConfig<Config>(value: unknown, rules: ConfigRules<Config>): Config {
  if (!isPlainObject(value)) throw new CheckpointError('its config is missing');
  const keys = Object.keys(rules.table);
  const missing = keys.filter((key) => !(key in value));
  if (missing.length > 0) throw new CheckpointError(`its config lacks ${missing.join(', ')}`);
  // Only the known keys are kept: the restored run's config is exactly the hyperparameter table's.
  const config = Object.fromEntries(keys.map((key) => [key, value[key]])) as unknown as Config;
  const errors = rules.validate(config);
  if (errors.length > 0) throw new CheckpointError(`its config is out of range (${errors.join('; ')})`);
  return config;
}

function checkTrainerState<Config extends RunConfig>(
  value: unknown,
  config: Config,
  counters: TrainerCheckpoint['counters'],
  rules: AgentStateRules<Config>,
  allowNonFinite: boolean,
): TrainerState {
  if (!isPlainObject(value)) throw new CheckpointError('its state is missing');
  const shape = PENDULUM_SHAPE;
  const fail = (problem: string | null): void => {
    if (problem !== null) throw new CheckpointError(problem);
  };
  fail(rngStateProblem(value.rng));
  fail(pendulumSnapshotProblem(value.env));
  const env = value.env as PendulumSnapshot;
  // Every Pendulum episode is exactly MAX_EPISODE_STEPS long, so the counters and the env must agree.
  if (counters.totalSteps !== counters.episodesDone * MAX_EPISODE_STEPS + env.stepsInEpisode) {
    throw new CheckpointError(
      `its step count ${counters.totalSteps} does not match ${counters.episodesDone} episodes of ${MAX_EPISODE_STEPS} steps plus ${env.stepsInEpisode}`,
    );
  }
  const observation = value.observation;
  if (!isFloat32Array(observation) || observation.length !== shape.observationSize || !observation.every(Number.isFinite)) {
    throw new CheckpointError(`its observation must be ${shape.observationSize} finite float32 values`);
  }

  const episode = value.episode;
  if (!isPlainObject(episode)) throw new CheckpointError('its episode accumulators are missing');
  if (!isFiniteNumber(episode.score)) throw new CheckpointError("the unfinished episode's score must be a finite number");
  if (!isNonNegativeInteger(episode.updates) || episode.updates > env.stepsInEpisode) {
    throw new CheckpointError(`the unfinished episode's update count must be an integer in [0, ${env.stepsInEpisode}]`);
  }
  const statsSum = episode.statsSum;
  if (episode.updates === 0 ? statsSum !== null : !isFloat32Array(statsSum)) {
    throw new CheckpointError("the unfinished episode's statistics sum must be a Float32Array exactly when it had updates");
  }
  if (isFloat32Array(statsSum)) {
    if (statsSum.length !== rules.updateStatKeys.length) {
      throw new CheckpointError(`the statistics sum has ${statsSum.length} values, ${rules.descriptor.label} reports ${rules.updateStatKeys.length}`);
    }
    if (!allowNonFinite && !statsSum.every(Number.isFinite)) throw new CheckpointError('the statistics sum contains NaN or infinite values');
  }
  if (!isFiniteNumber(episode.startTrainingSeconds) || episode.startTrainingSeconds < 0 || episode.startTrainingSeconds > counters.trainingSeconds) {
    throw new CheckpointError(`the episode's start time must be in [0, ${counters.trainingSeconds}] s`);
  }

  fail(replayBufferStateProblem(value.buffer, config.bufferSize, shape.observationSize, shape.actionSize));
  const bufferCount = (value.buffer as ReplayBufferState).count;
  if (bufferCount !== Math.min(counters.totalSteps, config.bufferSize)) {
    throw new CheckpointError(`its replay buffer holds ${bufferCount} transitions, ${counters.totalSteps} steps with buffer_size ${config.bufferSize} give ${Math.min(counters.totalSteps, config.bufferSize)}`);
  }
  fail(rules.agentStateProblem(value.agent, shape, config, allowNonFinite));

  const best = value.best;
  if (best !== null) {
    if (!isPlainObject(best)) throw new CheckpointError('its best actor must be an object or null');
    if (!isFiniteNumber(best.value)) throw new CheckpointError('the best 100-episode mean must be a finite number');
    if (!isNonNegativeInteger(best.episode) || best.episode < 1 || best.episode > counters.episodesDone) {
      throw new CheckpointError(`the best actor's episode must be in [1, ${counters.episodesDone}]`);
    }
    if (!isNonNegativeInteger(best.step) || best.step > counters.totalSteps) throw new CheckpointError(`the best actor's step must be in [0, ${counters.totalSteps}]`);
    const size = rules.actorParameterCount(shape, config);
    if (!isFloat32Array(best.actor) || best.actor.length !== size || !best.actor.every(Number.isFinite)) {
      throw new CheckpointError(`the best actor must be ${size} finite float32 values (hidden size ${config.hiddenSize})`);
    }
  } else if (counters.episodesDone > 0 && !allowNonFinite) {
    // (A run whose first episode ended in NaN never had a best actor.)
    throw new CheckpointError('its best actor is missing although episodes have finished');
  }
  const swingUpStep = value.swingUpStep;
  if (swingUpStep !== null && (!isNonNegativeInteger(swingUpStep) || swingUpStep > counters.totalSteps)) {
    throw new CheckpointError(`its swing-up step must be null or an integer in [0, ${counters.totalSteps}]`);
  }
  return value as TrainerState;
}

/**
 * Checks that `value` is a complete, consistent checkpoint this code can resume (version, algorithm,
 * config, counters, and every array's length for the config's sizes, values finite unless the run
 * stopped on NaN). Returns it with the config reduced to the known keys; throws CheckpointError naming
 * the first problem. Creates no tensors.
 */
export function validateCheckpoint(value: unknown): TrainerCheckpoint {
  return validateCheckpointFor(value, SAC_CHECKPOINT_RULES);
}

/**
 * validateCheckpoint for the algorithm of `rules` (SAC, DDPG, TD3): a checkpoint of another known
 * algorithm is refused naming both (restoreTrainer in offPolicyAlgorithms.ts picks the rules by id).
 */
export function validateCheckpointFor<Config extends RunConfig>(value: unknown, rules: CheckpointRules<Config>): TrainerCheckpoint<Config> {
  if (!isPlainObject(value)) throw new CheckpointError('expected an object');
  if (value.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`it has version ${JSON.stringify(value.version) ?? 'none'}, this page reads version ${CHECKPOINT_VERSION}`);
  }
  const algorithm = value.algorithm;
  if (typeof algorithm !== 'string' || !(ALGORITHM_IDS as readonly string[]).includes(algorithm)) {
    throw new CheckpointError(`its algorithm ${JSON.stringify(algorithm) ?? 'is missing'}${typeof algorithm === 'string' ? ' is not one this page knows' : ''} (known: ${ALGORITHM_IDS.join(', ')})`);
  }
  if (algorithm !== rules.descriptor.id) {
    throw new CheckpointError(`it is a ${algorithm.toUpperCase()} run, and this reads ${rules.descriptor.label} runs`);
  }
  const config = checkConfig(value.config, rules.configRules);

  const counters = value.counters;
  if (!isPlainObject(counters)) throw new CheckpointError('its counters are missing');
  for (const key of ['totalSteps', 'episodesDone', 'updates'] as const) {
    if (!isNonNegativeInteger(counters[key])) throw new CheckpointError(`its counter ${key} must be a non-negative integer`);
  }
  if (!isFiniteNumber(counters.trainingSeconds) || counters.trainingSeconds < 0) {
    throw new CheckpointError('its training time must be a non-negative number of seconds');
  }
  const checkedCounters = counters as TrainerCheckpoint['counters'];
  if (checkedCounters.updates > checkedCounters.totalSteps) throw new CheckpointError(`it counts ${checkedCounters.updates} updates in ${checkedCounters.totalSteps} steps`);

  const stopReason = value.stopReason;
  if (stopReason !== null && (typeof stopReason !== 'string' || !STOP_REASONS.has(stopReason))) {
    throw new CheckpointError(`its stop reason ${JSON.stringify(stopReason) ?? 'is missing'} is not one of ${[...STOP_REASONS].join(', ')}`);
  }
  const goal = value.goalReachedAtEpisode;
  if (goal !== null && (!isNonNegativeInteger(goal) || goal < 1 || goal > checkedCounters.episodesDone)) {
    throw new CheckpointError(`its goal episode must be null or in [1, ${checkedCounters.episodesDone}]`);
  }
  const scores = value.scores;
  if (!Array.isArray(scores) || scores.length !== checkedCounters.episodesDone) {
    throw new CheckpointError(`it must hold one score per finished episode (${checkedCounters.episodesDone})`);
  }
  if (!scores.every(isFiniteNumber)) throw new CheckpointError('its episode scores must be finite numbers');

  const state = checkTrainerState(value.state, config, checkedCounters, rules, stopReason === 'nonFinite');
  return {
    version: CHECKPOINT_VERSION,
    algorithm: algorithm as AlgorithmId,
    config,
    counters: { ...checkedCounters },
    stopReason: stopReason as StopReason | null,
    goalReachedAtEpisode: goal as number | null,
    scores: scores as number[],
    state,
  };
}

/**
 * The distinct ArrayBuffers behind the checkpoint's typed arrays, to pass as postMessage's transfer
 * list (the arrays are then unusable on the sending side: send a checkpoint you no longer need).
 */
export function checkpointTransferables(checkpoint: { state: unknown }): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    } else if (Array.isArray(value)) {
      // Score lists and other number arrays hold no buffers: skip them without walking each number.
      if (value.length > 0 && typeof value[0] !== 'number') value.forEach(visit);
    } else if (isPlainObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  visit(checkpoint.state);
  return [...buffers];
}
