/**
 * The complete state of an on-policy run as plain data (numbers, arrays, plain objects, Float64Array),
 * the same outer shape as the off-policy TrainerCheckpoint (version, algorithm, config, counters,
 * stopReason, goal, scores, state) so the page can store and move both alike. `state` holds the
 * partial rollout, every env, the gSDE matrices, the parameters and the optimiser.
 * validateOnPolicyCheckpoint checks it all before anything is restored.
 */
import { MAX_EPISODE_STEPS, PENDULUM_SHAPE, pendulumSnapshotProblem, type PendulumSnapshot } from '../env/pendulum';
import { isFiniteNumber, isNonNegativeInteger, isPlainObject } from '../plainData';
import { rngStateProblem, type RngState } from '../rng';
import type { StopReason } from '../types';
import { ActorCritic } from './actorCritic';
import type { OnPolicyAlgorithm } from './algorithmDefinition';
import { tableKeys, validateTablePartial, type OnPolicyConfig } from './config';
import type { OnPolicyAlgorithmId } from './descriptors';
import { isFloat64Array } from './learnerState';
import { rolloutStateProblem, type RolloutState } from './rollout';

export const ON_POLICY_CHECKPOINT_VERSION = 1;

export type OnPolicyTrainerState = {
  rng: RngState;
  envs: PendulumSnapshot[];
  /** Current observation of every env [n_envs, obs]. */
  observations: Float64Array;
  /** gSDE exploration matrices [n_envs, H, A] (empty without gSDE). */
  explorationMatrices: Float64Array;
  /** Reward summed so far in each env's unfinished episode. */
  episodeScores: number[];
  /** The unfinished rollout. */
  rollout: RolloutState;
  /** [policy | value] parameters. */
  parameters: Float64Array;
  /** The algorithm's optimiser state (PpoLearnerState, TrpoLearnerState). */
  learner: unknown;
  /** Metrics of the latest update phase, null before the first. */
  lastPhaseMetrics: Record<string, number> | null;
  /** Updates since the last episode record and the training time of that record. */
  pendingUpdates: number;
  pendingSince: number;
  best: { value: number; episode: number; step: number; actor: Float64Array } | null;
  swingUpStep: number | null;
};

export interface OnPolicyCheckpoint<Config> {
  version: typeof ON_POLICY_CHECKPOINT_VERSION;
  algorithm: OnPolicyAlgorithmId;
  config: Config;
  counters: { totalSteps: number; episodesDone: number; updates: number; trainingSeconds: number };
  stopReason: StopReason | null;
  goalReachedAtEpisode: number | null;
  scores: number[];
  state: OnPolicyTrainerState;
}

export class OnPolicyCheckpointError extends Error {
  constructor(problem: string) {
    super(`This is not a usable run checkpoint: ${problem}.`);
    this.name = 'OnPolicyCheckpointError';
  }
}

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>(['goal', 'maxEpisodes', 'maxSteps', 'nonFinite', 'user']);

function float64Problem(name: string, value: unknown, length: number, allowNonFinite: boolean): string | null {
  if (!isFloat64Array(value)) return `${name} must be a Float64Array`;
  if (value.length !== length) return `${name} has ${value.length} values, expected ${length}`;
  if (!allowNonFinite && !value.every(Number.isFinite)) return `${name} contains NaN or infinite values`;
  return null;
}

/**
 * Checks that `value` is a complete, consistent checkpoint of `algorithm` that this code can resume;
 * returns it with the config reduced to the table's keys, or throws OnPolicyCheckpointError naming the
 * first problem.
 */
export function validateOnPolicyCheckpoint<Config extends OnPolicyConfig>(algorithm: OnPolicyAlgorithm<Config>, value: unknown): OnPolicyCheckpoint<Config> {
  const fail = (problem: string | null): void => {
    if (problem !== null) throw new OnPolicyCheckpointError(problem);
  };
  if (!isPlainObject(value)) throw new OnPolicyCheckpointError('expected an object');
  if (value.version !== ON_POLICY_CHECKPOINT_VERSION) fail(`it has version ${JSON.stringify(value.version) ?? 'none'}, this code reads version ${ON_POLICY_CHECKPOINT_VERSION}`);
  if (value.algorithm !== algorithm.descriptor.id) fail(`it is a ${JSON.stringify(value.algorithm) ?? 'unnamed'} run, not ${algorithm.descriptor.id}`);
  const rawConfig = value.config;
  if (!isPlainObject(rawConfig)) throw new OnPolicyCheckpointError('its config is missing');
  const keys = tableKeys(algorithm.table);
  const missing = keys.filter((key) => !(key in rawConfig));
  if (missing.length > 0) fail(`its config lacks ${missing.join(', ')}`);
  const config = Object.fromEntries(keys.map((key) => [key, rawConfig[key]])) as unknown as Config;
  const errors = validateTablePartial(algorithm.table, config);
  if (errors.length > 0) fail(`its config is out of range (${errors.join('; ')})`);

  const counters = value.counters;
  if (!isPlainObject(counters)) throw new OnPolicyCheckpointError('its counters are missing');
  for (const key of ['totalSteps', 'episodesDone', 'updates'] as const) {
    if (!isNonNegativeInteger(counters[key])) fail(`its counter ${key} must be a non-negative integer`);
  }
  if (!isFiniteNumber(counters.trainingSeconds) || counters.trainingSeconds < 0) fail('its training time must be a non-negative number of seconds');
  const checkedCounters = counters as OnPolicyCheckpoint<Config>['counters'];
  const stopReason = value.stopReason;
  if (stopReason !== null && (typeof stopReason !== 'string' || !STOP_REASONS.has(stopReason))) fail(`its stop reason ${JSON.stringify(stopReason) ?? 'is missing'} is not known`);
  const allowNonFinite = stopReason === 'nonFinite';
  const goal = value.goalReachedAtEpisode;
  if (goal !== null && (!isNonNegativeInteger(goal) || goal < 1 || goal > checkedCounters.episodesDone)) fail(`its goal episode must be null or in [1, ${checkedCounters.episodesDone}]`);
  const scores = value.scores;
  if (!Array.isArray(scores) || scores.length !== checkedCounters.episodesDone || !scores.every(isFiniteNumber)) {
    fail(`it must hold one finite score per finished episode (${checkedCounters.episodesDone})`);
  }

  const state = value.state;
  if (!isPlainObject(state)) throw new OnPolicyCheckpointError('its state is missing');
  fail(rngStateProblem(state.rng));
  const { observationSize: O, actionSize: A } = PENDULUM_SHAPE;
  const N = config.nEnvs;
  const H = config.hiddenSize;
  if (!Array.isArray(state.envs) || state.envs.length !== N) fail(`it must hold the state of ${N} envs`);
  const envs = state.envs as unknown[];
  envs.forEach((env) => fail(pendulumSnapshotProblem(env)));
  // Every env steps in lockstep and every episode lasts MAX_EPISODE_STEPS: the counters must agree.
  const stepsInEpisode = (envs[0] as PendulumSnapshot).stepsInEpisode;
  if (!envs.every((env) => (env as PendulumSnapshot).stepsInEpisode === stepsInEpisode)) fail('its envs are not in lockstep');
  if (checkedCounters.totalSteps !== checkedCounters.episodesDone * MAX_EPISODE_STEPS + N * stepsInEpisode) {
    fail(`its step count ${checkedCounters.totalSteps} does not match ${checkedCounters.episodesDone} episodes of ${MAX_EPISODE_STEPS} steps plus ${N} envs × ${stepsInEpisode}`);
  }
  fail(float64Problem('its observations', state.observations, N * O, false));
  fail(float64Problem('its gSDE exploration matrices', state.explorationMatrices, config.useSde ? N * H * A : 0, allowNonFinite));
  if (!Array.isArray(state.episodeScores) || state.episodeScores.length !== N || !state.episodeScores.every(isFiniteNumber)) fail(`its unfinished episode scores must be ${N} finite numbers`);
  fail(rolloutStateProblem(state.rollout, { nSteps: config.nSteps + 1, nEnvs: N, observationSize: O, actionSize: A }));
  // Rollouts are n_steps vector steps long and the first began at step 0: the partial one's length follows.
  const vectorSteps = checkedCounters.totalSteps / N;
  const filled = (state.rollout as RolloutState).filled;
  if (!Number.isInteger(vectorSteps) || filled > vectorSteps || (vectorSteps - filled) % config.nSteps !== 0) {
    fail(`its partial rollout of ${filled} steps does not fit ${checkedCounters.totalSteps} env steps in rollouts of ${config.nSteps} × ${N}`);
  }
  const model = new ActorCritic({ observationSize: O, actionSize: A, hiddenSize: H, exploration: config.useSde ? 'gsde' : 'gaussian' }, null, 0);
  fail(float64Problem('its parameters', state.parameters, model.parameters.length, allowNonFinite));
  fail(algorithm.createLearner(model).stateProblem(state.learner));
  const phase = state.lastPhaseMetrics;
  if (phase !== null && (!isPlainObject(phase) || !algorithm.descriptor.metrics.every(({ key }) => typeof phase[key] === 'number'))) {
    fail(`its last update metrics must be null or hold ${algorithm.descriptor.metrics.map(({ key }) => key).join(', ')}`);
  }
  if (!isNonNegativeInteger(state.pendingUpdates) || state.pendingUpdates > checkedCounters.updates) fail('its pending update count is out of range');
  if (!isFiniteNumber(state.pendingSince) || state.pendingSince < 0 || state.pendingSince > checkedCounters.trainingSeconds) fail('its last record time is out of range');
  const best = state.best;
  if (best !== null) {
    if (!isPlainObject(best) || !isFiniteNumber(best.value) || !isNonNegativeInteger(best.episode) || best.episode < 1 || best.episode > checkedCounters.episodesDone) {
      fail(`its best actor must name a finite mean and an episode in [1, ${checkedCounters.episodesDone}]`);
    }
    const checkedBest = best as Record<string, unknown>;
    if (!isNonNegativeInteger(checkedBest.step) || checkedBest.step > checkedCounters.totalSteps) fail(`its best actor's step must be in [0, ${checkedCounters.totalSteps}]`);
    fail(float64Problem("its best actor's parameters", checkedBest.actor, model.policyParameters.length, false));
  } else if (checkedCounters.episodesDone > 0 && !allowNonFinite) {
    fail('its best actor is missing although episodes have finished');
  }
  const swingUp = state.swingUpStep;
  if (swingUp !== null && (!isNonNegativeInteger(swingUp) || swingUp > checkedCounters.totalSteps)) fail(`its swing-up step must be null or in [0, ${checkedCounters.totalSteps}]`);

  return {
    version: ON_POLICY_CHECKPOINT_VERSION,
    algorithm: algorithm.descriptor.id,
    config,
    counters: { ...checkedCounters },
    stopReason: stopReason as StopReason | null,
    goalReachedAtEpisode: goal as number | null,
    scores: scores as number[],
    state: state as unknown as OnPolicyTrainerState,
  };
}
