/**
 * Replay buffer: preallocated Float32Array ring of fixed capacity (FIFO, like the lecture's
 * deque(maxlen=10000)), sampled uniformly. No allocation per step: `add` copies into the rings and
 * `sample` fills a caller-owned batch.
 */
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
