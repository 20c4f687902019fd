/**
 * Replay buffer: preallocated Float32Array ring of fixed capacity (FIFO, like the lecture's
 * deque(maxlen=10000)), sampled uniformly. No allocation per step: `add` copies into the rings and
 * `sample` fills a caller-owned batch.
 */
import { isFloat32Array } from './plainData';
import type { Rng } from './rng';

export interface Transition {
  observation: ArrayLike<number>;
  action: ArrayLike<number>;
  reward: number;
  nextObservation: ArrayLike<number>;
  /** 1 to bootstrap from nextObservation, 0 at a true terminal state. Pendulum: always 1. */
  mask: number;
}

/** A minibatch in row-major typed arrays (row i = transition i). */
export interface Batch {
  size: number;
  observations: Float32Array; // [size, observationSize]
  actions: Float32Array; // [size, actionSize]
  rewards: Float32Array; // [size]
  nextObservations: Float32Array; // [size, observationSize]
  masks: Float32Array; // [size]
}

export function allocateBatch(size: number, observationSize: number, actionSize: number): Batch {
  return {
    size,
    observations: new Float32Array(size * observationSize),
    actions: new Float32Array(size * actionSize),
    rewards: new Float32Array(size),
    nextObservations: new Float32Array(size * observationSize),
    masks: new Float32Array(size),
  };
}

/**
 * A buffer's contents as plain data (a checkpoint stores it). Only the `count` filled rows are kept:
 * slots fill from 0 and wrap, so rows [0, count) are exactly the filled ones.
 */
export interface ReplayBufferState {
  observations: Float32Array; // [count, observationSize]
  actions: Float32Array; // [count, actionSize]
  rewards: Float32Array; // [count]
  nextObservations: Float32Array; // [count, observationSize]
  masks: Float32Array; // [count]
  /** Slot the next transition goes to. */
  writeIndex: number;
  count: number;
}

/** Why `value` is not the state of a buffer of this capacity and these sizes, or null when it is one. */
export function replayBufferStateProblem(value: unknown, capacity: number, observationSize: number, actionSize: number): string | null {
  if (typeof value !== 'object' || value === null) return 'the replay buffer state must be an object';
  const state = value as Partial<Record<keyof ReplayBufferState, unknown>>;
  const { count, writeIndex } = state;
  if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > capacity) {
    return `the replay buffer count must be an integer in [0, ${capacity}] (buffer_size), got ${String(count)}`;
  }
  const rows = count as number;
  // Until the ring is full the next slot is the count; once full it can be any slot.
  const writeIndexOk = Number.isInteger(writeIndex) && (rows < capacity ? writeIndex === rows : (writeIndex as number) >= 0 && (writeIndex as number) < capacity);
  if (!writeIndexOk) return `the replay buffer write index ${String(writeIndex)} does not fit count ${rows} and capacity ${capacity}`;
  const widths: Array<[Exclude<keyof ReplayBufferState, 'writeIndex' | 'count'>, number]> = [
    ['observations', observationSize],
    ['actions', actionSize],
    ['rewards', 1],
    ['nextObservations', observationSize],
    ['masks', 1],
  ];
  for (const [key, width] of widths) {
    const array = state[key];
    if (!isFloat32Array(array)) return `the replay buffer's ${key} must be a Float32Array`;
    if (array.length !== rows * width) return `the replay buffer's ${key} has ${array.length} values, ${rows} transitions need ${rows * width}`;
    if (!array.every(Number.isFinite)) return `the replay buffer's ${key} contain NaN or infinite values`;
  }
  return null;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  readonly actionSize: number;
  private readonly observations: Float32Array;
  private readonly actions: Float32Array;
  private readonly rewards: Float32Array;
  private readonly nextObservations: Float32Array;
  private readonly masks: Float32Array;
  /** Slot the next transition is written to. */
  private writeIndex = 0;
  private count = 0;

  constructor(capacity: number, observationSize: number, actionSize: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ReplayBuffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.observations = new Float32Array(capacity * observationSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.nextObservations = new Float32Array(capacity * observationSize);
    this.masks = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The filled rows, copied, with the write position: setState on a buffer of the same capacity continues exactly. */
  getState(): ReplayBufferState {
    const rows = this.count;
    return {
      observations: this.observations.slice(0, rows * this.observationSize),
      actions: this.actions.slice(0, rows * this.actionSize),
      rewards: this.rewards.slice(0, rows),
      nextObservations: this.nextObservations.slice(0, rows * this.observationSize),
      masks: this.masks.slice(0, rows),
      writeIndex: this.writeIndex,
      count: rows,
    };
  }

  /** Replaces the contents with a state taken by getState. Throws RangeError (changing nothing) if it does not fit. */
  setState(state: ReplayBufferState): void {
    const problem = replayBufferStateProblem(state, this.capacity, this.observationSize, this.actionSize);
    if (problem !== null) throw new RangeError(`ReplayBuffer.setState: ${problem}`);
    this.observations.fill(0).set(state.observations);
    this.actions.fill(0).set(state.actions);
    this.rewards.fill(0).set(state.rewards);
    this.nextObservations.fill(0).set(state.nextObservations);
    this.masks.fill(0).set(state.masks);
    this.writeIndex = state.writeIndex;
    this.count = state.count;
  }

  /** Appends a transition, overwriting the oldest once full. */
  add(transition: Transition): void {
    const slot = this.writeIndex;
    this.observations.set(transition.observation, slot * this.observationSize);
    this.actions.set(transition.action, slot * this.actionSize);
    this.rewards[slot] = transition.reward;
    this.nextObservations.set(transition.nextObservation, slot * this.observationSize);
    this.masks[slot] = transition.mask;
    this.writeIndex = (slot + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /**
   * Fills `batch` with `batch.size` transitions drawn uniformly with replacement. (The lecture's
   * random.sample draws without replacement; with 64 of up to 10,000 the difference is negligible,
   * and independent draws are what SAC's expectation over D assumes.)
   */
  sample(rng: Rng, batch: Batch): Batch {
    if (this.count === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    const obsSize = this.observationSize;
    const actSize = this.actionSize;
    for (let row = 0; row < batch.size; row++) {
      const slot = rng.integer(this.count);
      batch.observations.set(this.observations.subarray(slot * obsSize, (slot + 1) * obsSize), row * obsSize);
      batch.actions.set(this.actions.subarray(slot * actSize, (slot + 1) * actSize), row * actSize);
      batch.rewards[row] = this.rewards[slot] ?? 0;
      batch.nextObservations.set(this.nextObservations.subarray(slot * obsSize, (slot + 1) * obsSize), row * obsSize);
      batch.masks[row] = this.masks[slot] ?? 0;
    }
    return batch;
  }
}
