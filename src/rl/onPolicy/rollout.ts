/**
 * One rollout of `nEnvs` Pendulum copies × `nSteps` steps (ALGORITHMS.md, PPO "Rollout"), stored
 * [step][env] (index t·nEnvs + e), and what the update phase derives from it.
 */

export interface RolloutShape {
  nSteps: number;
  nEnvs: number;
  observationSize: number;
  actionSize: number;
}

/** The stored transitions of a rollout (plain data: a checkpoint keeps a partial one). */
export interface RolloutState {
  /** Vector steps stored so far (0 … nSteps). */
  filled: number;
  observations: Float64Array;
  /** The real successor s'_t (the final observation at a truncation). */
  nextObservations: Float64Array;
  /** Unclipped sampled actions (log-probabilities use these; the env got them clipped). */
  actions: Float64Array;
  rewards: Float64Array;
  /** 1 on a real termination (Pendulum: never). */
  terminated: Float64Array;
  /** 1 where the episode ended (terminated or truncated). */
  episodeEnded: Float64Array;
}

export class RolloutBuffer {
  readonly shape: RolloutShape;
  filled = 0;
  readonly observations: Float64Array;
  readonly nextObservations: Float64Array;
  readonly actions: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Float64Array;
  readonly episodeEnded: Float64Array;

  constructor(shape: RolloutShape) {
    this.shape = shape;
    const size = shape.nSteps * shape.nEnvs;
    this.observations = new Float64Array(size * shape.observationSize);
    this.nextObservations = new Float64Array(size * shape.observationSize);
    this.actions = new Float64Array(size * shape.actionSize);
    this.rewards = new Float64Array(size);
    this.terminated = new Float64Array(size);
    this.episodeEnded = new Float64Array(size);
  }

  /** Transitions in a full rollout. */
  get capacity(): number {
    return this.shape.nSteps * this.shape.nEnvs;
  }

  get isFull(): boolean {
    return this.filled === this.shape.nSteps;
  }

  /** Stores env `env`'s transition of the current vector step (call add for every env, then advance). */
  add(env: number, observation: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObservation: ArrayLike<number>, terminated: boolean, ended: boolean): void {
    const { nEnvs, observationSize: O, actionSize: A } = this.shape;
    const i = this.filled * nEnvs + env;
    for (let k = 0; k < O; k++) {
      this.observations[i * O + k] = observation[k] as number;
      this.nextObservations[i * O + k] = nextObservation[k] as number;
    }
    for (let k = 0; k < A; k++) this.actions[i * A + k] = action[k] as number;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.episodeEnded[i] = ended ? 1 : 0;
  }

  advance(): void {
    this.filled += 1;
  }

  clear(): void {
    this.filled = 0;
  }

  /** The stored part as plain data (copies). */
  getState(): RolloutState {
    const { nEnvs, observationSize: O, actionSize: A } = this.shape;
    const n = this.filled * nEnvs;
    return {
      filled: this.filled,
      observations: this.observations.slice(0, n * O),
      nextObservations: this.nextObservations.slice(0, n * O),
      actions: this.actions.slice(0, n * A),
      rewards: this.rewards.slice(0, n),
      terminated: this.terminated.slice(0, n),
      episodeEnded: this.episodeEnded.slice(0, n),
    };
  }

  /** Continues from getState's result (checked by rolloutStateProblem first). */
  setState(state: RolloutState): void {
    this.filled = state.filled;
    this.observations.set(state.observations);
    this.nextObservations.set(state.nextObservations);
    this.actions.set(state.actions);
    this.rewards.set(state.rewards);
    this.terminated.set(state.terminated);
    this.episodeEnded.set(state.episodeEnded);
  }
}

/** Why `value` is not a RolloutState of this shape, or null. */
export function rolloutStateProblem(value: unknown, shape: RolloutShape): string | null {
  if (typeof value !== 'object' || value === null) return 'the partial rollout must be an object';
  const state = value as Partial<Record<keyof RolloutState, unknown>>;
  const filled = state.filled;
  if (typeof filled !== 'number' || !Number.isInteger(filled) || filled < 0 || filled >= shape.nSteps) {
    return `the partial rollout's step count must be an integer in [0, ${shape.nSteps - 1}]`;
  }
  const n = filled * shape.nEnvs;
  const lengths: Array<[keyof RolloutState, number]> = [
    ['observations', n * shape.observationSize],
    ['nextObservations', n * shape.observationSize],
    ['actions', n * shape.actionSize],
    ['rewards', n],
    ['terminated', n],
    ['episodeEnded', n],
  ];
  for (const [key, length] of lengths) {
    const array = state[key];
    if (Object.prototype.toString.call(array) !== '[object Float64Array]') return `the partial rollout's ${key} must be a Float64Array`;
    const typed = array as Float64Array;
    if (typed.length !== length) return `the partial rollout's ${key} has ${typed.length} values, ${filled} steps of ${shape.nEnvs} envs need ${length}`;
    if (!typed.every(Number.isFinite)) return `the partial rollout's ${key} contains NaN or infinite values`;
  }
  return null;
}
