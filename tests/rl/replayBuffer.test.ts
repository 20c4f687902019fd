/** FIFO replay buffer: wrap-around, row-consistent uniform sampling, determinism. */
import { describe, expect, it } from 'vitest';
import { ReplayBuffer, allocateBatch, type Transition } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';

const OBS = 3;
const ACT = 1;

/** Transition k: every field encodes k, so a sampled row tells which transition it came from. */
function transition(k: number): Transition {
  return {
    observation: [k, k + 0.25, -k],
    action: [k / 100],
    reward: -k,
    nextObservation: [k + 1, k + 1.25, -(k + 1)],
    mask: k % 2, // 0/1 alternating, to see the mask travel with its row
  };
}

/** Decodes one sampled row; NaN when its fields do not all belong to the same transition. */
function rowId(batch: ReturnType<typeof allocateBatch>, row: number): number {
  const k = batch.observations[row * OBS] ?? Number.NaN;
  const consistent =
    batch.observations[row * OBS + 1] === Math.fround(k + 0.25) &&
    batch.observations[row * OBS + 2] === -k &&
    batch.actions[row * ACT] === Math.fround(k / 100) &&
    batch.rewards[row] === -k &&
    batch.nextObservations[row * OBS] === k + 1 &&
    batch.nextObservations[row * OBS + 1] === Math.fround(k + 1.25) &&
    batch.nextObservations[row * OBS + 2] === -(k + 1) &&
    batch.masks[row] === k % 2;
  return consistent ? k : Number.NaN;
}

/** Samples `size` rows and returns their ids, after checking every row is one whole stored transition. */
function sampledIds(buffer: ReplayBuffer, rng: Rng, size: number): number[] {
  const batch = buffer.sample(rng, allocateBatch(size, OBS, ACT));
  const ids = Array.from({ length: size }, (_, row) => rowId(batch, row));
  expect(ids.filter((k) => Number.isNaN(k)).length).toBe(0);
  return ids;
}

it('rowId detects a row mixed from two transitions (the consistency check can fail)', () => {
  const batch = allocateBatch(1, OBS, ACT);
  const a = transition(3);
  const b = transition(4);
  batch.observations.set(Array.from(a.observation));
  batch.actions.set(Array.from(a.action));
  batch.rewards[0] = a.reward;
  batch.nextObservations.set(Array.from(a.nextObservation));
  batch.masks[0] = a.mask;
  expect(rowId(batch, 0)).toBe(3);
  batch.rewards[0] = b.reward;
  expect(rowId(batch, 0)).toBeNaN();
});

describe('ReplayBuffer', () => {
  it('size grows to capacity and stays there', () => {
    const buffer = new ReplayBuffer(5, OBS, ACT);
    expect(buffer.size).toBe(0);
    for (let k = 0; k < 8; k++) {
      buffer.add(transition(k));
      expect(buffer.size).toBe(Math.min(k + 1, 5));
    }
    expect(buffer.capacity).toBe(5);
  });

  it('FIFO: capacity 5, 8 added → transitions 0, 1, 2 are gone and exactly 3…7 remain', () => {
    const buffer = new ReplayBuffer(5, OBS, ACT);
    for (let k = 0; k < 8; k++) buffer.add(transition(k));
    const seen = new Set(sampledIds(buffer, new Rng(1), 2000));
    expect([...seen].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
  });

  it('before it is full, only the stored transitions are sampled', () => {
    const buffer = new ReplayBuffer(10, OBS, ACT);
    for (let k = 0; k < 3; k++) buffer.add(transition(k));
    const seen = new Set(sampledIds(buffer, new Rng(2), 500));
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('keeps evicting the oldest over several wraps', () => {
    const buffer = new ReplayBuffer(4, OBS, ACT);
    for (let k = 0; k < 23; k++) buffer.add(transition(k));
    const seen = new Set(sampledIds(buffer, new Rng(3), 1000));
    expect([...seen].sort((a, b) => a - b)).toEqual([19, 20, 21, 22]);
  });

  it('samples every slot roughly uniformly', () => {
    const buffer = new ReplayBuffer(8, OBS, ACT);
    for (let k = 0; k < 13; k++) buffer.add(transition(k)); // wrapped: 5…12 stored
    const draws = 16_000;
    const counts = new Map<number, number>();
    for (const k of sampledIds(buffer, new Rng(4), draws)) counts.set(k, (counts.get(k) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    // Each slot expects 2000 with SD ≈ 42.
    for (const c of counts.values()) expect(Math.abs(c - draws / 8)).toBeLessThan(250);
  });

  it('is deterministic under a seeded Rng and follows the Rng', () => {
    const buffer = new ReplayBuffer(50, OBS, ACT);
    for (let k = 0; k < 50; k++) buffer.add(transition(k));
    const first = sampledIds(buffer, new Rng(77), 64);
    const second = sampledIds(buffer, new Rng(77), 64);
    const other = sampledIds(buffer, new Rng(78), 64);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    // Row i is slot rng.integer(size) of the i-th draw (here slot k holds transition k).
    const reference = new Rng(77);
    expect(first).toEqual(Array.from({ length: 64 }, () => reference.integer(50)));
  });

  it('copies the input (later mutation of the caller’s arrays does not leak in)', () => {
    const buffer = new ReplayBuffer(2, OBS, ACT);
    const t = transition(4);
    const obs = [4, 4.25, -4];
    buffer.add({ ...t, observation: obs });
    obs[0] = 999;
    expect(sampledIds(buffer, new Rng(0), 3)).toEqual([4, 4, 4]);
  });

  it('sampling an empty buffer throws', () => {
    const buffer = new ReplayBuffer(5, OBS, ACT);
    expect(() => buffer.sample(new Rng(0), allocateBatch(4, OBS, ACT))).toThrow(/empty/);
  });

  it('rejects a non-positive or fractional capacity', () => {
    expect(() => new ReplayBuffer(0, OBS, ACT)).toThrow(RangeError);
    expect(() => new ReplayBuffer(2.5, OBS, ACT)).toThrow(RangeError);
  });
});
