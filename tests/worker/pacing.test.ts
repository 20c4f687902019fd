import { describe, expect, it } from 'vitest';
import {
  MAX_SLICE_STEPS,
  MAX_WATCH_LAG_S,
  TARGET_SLICE_MS,
  UpdateRateMeter,
  WatchClock,
  earliestDue,
  nextSliceSteps,
  pickNextDue,
  roundToGranularity,
  trainingSliceSteps,
} from '../../src/worker/pacing';

describe('slice sizing', () => {
  it('aims at TARGET_SLICE_MS of work from the measured cost per step', () => {
    // 100 steps took 50 ms: 0.5 ms/step, so 20 ms fits 40 steps (the doubling cap 201 does not bind).
    expect(nextSliceSteps(100, 100, 50)).toBe(Math.round(TARGET_SLICE_MS / 0.5));
  });

  it('grows at most to twice the last size plus one', () => {
    expect(nextSliceSteps(1, 1, 0.001)).toBe(3);
    expect(nextSliceSteps(3, 3, 0.001)).toBe(7);
  });

  it('never exceeds MAX_SLICE_STEPS nor falls below 1', () => {
    expect(nextSliceSteps(MAX_SLICE_STEPS, MAX_SLICE_STEPS, 0)).toBe(MAX_SLICE_STEPS);
    expect(nextSliceSteps(10, 10, 10_000)).toBe(1);
  });

  it('keeps the size when the slice ran no step', () => {
    expect(nextSliceSteps(17, 0, 5)).toBe(17);
  });

  it('ends the warm-up slice where updates begin (step batch_size + 1)', () => {
    expect(trainingSliceSteps(500, 0, 64)).toBe(65);
    expect(trainingSliceSteps(500, 60, 64)).toBe(5);
    expect(trainingSliceSteps(500, 65, 64)).toBe(500);
    expect(trainingSliceSteps(3, 0, 64)).toBe(3);
  });

  it('rounds a slice down to whole vector steps (n_envs), never below one', () => {
    expect(roundToGranularity(7, 1)).toBe(7);
    expect(roundToGranularity(7, 4)).toBe(4);
    expect(roundToGranularity(8, 4)).toBe(8);
    expect(roundToGranularity(1, 4)).toBe(4);
    // PPO's first update phase at n_steps · n_envs = 32: the warm-up slice ends exactly there.
    expect(roundToGranularity(trainingSliceSteps(500, 24, 31), 2)).toBe(8);
  });
});

describe('WatchClock', () => {
  it('owes rate × elapsed seconds minus the steps already run', () => {
    const clock = new WatchClock(1000);
    expect(clock.stepsDue(1000, 20)).toBe(0);
    expect(clock.stepsDue(1100, 20)).toBe(2); // 0.1 s at 20/s
    clock.advance(2);
    expect(clock.stepsDue(1100, 20)).toBe(0);
    expect(clock.stepsDue(1250, 20)).toBe(3); // 0.25 s → 5 owed, 2 run
  });

  it('says how long until the next step is owed, at least 1 ms', () => {
    const clock = new WatchClock(0);
    clock.advance(2);
    expect(clock.msUntilNextStep(100, 20)).toBeCloseTo(50); // step 3 is owed at 150 ms
    expect(clock.msUntilNextStep(500, 20)).toBe(1);
    // A run that steps 4 envs at once waits until 4 steps are owed: step 6 (2 run + 4) at 300 ms.
    expect(clock.msUntilNextStep(100, 20, 4)).toBeCloseTo(200);
  });

  it('re-anchors instead of racing when it falls more than MAX_WATCH_LAG_S behind', () => {
    const clock = new WatchClock(0);
    const rate = 20;
    const lateMs = (MAX_WATCH_LAG_S + 1) * 1000;
    expect(clock.stepsDue(lateMs, rate)).toBe(1);
    clock.advance(1);
    // Re-anchored at lateMs: nothing more is owed until another 1/rate s has passed.
    expect(clock.stepsDue(lateMs + 10, rate)).toBe(0);
    expect(clock.stepsDue(lateMs + 100, rate)).toBe(1);
  });
});

describe('UpdateRateMeter', () => {
  it('is 0 until samples span 200 ms, then the slope over the window', () => {
    const meter = new UpdateRateMeter();
    meter.record(0, 0);
    meter.record(100, 50);
    expect(meter.updatesPerSecond()).toBe(0);
    meter.record(500, 250);
    expect(meter.updatesPerSecond()).toBeCloseTo(500);
    meter.clear();
    expect(meter.updatesPerSecond()).toBe(0);
  });
});

describe('round robin', () => {
  it('picks the next due session after the last one, wrapping around', () => {
    const order = ['a', 'b', 'c'];
    const due = new Map([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
    expect(pickNextDue(order, due, null, 0)).toBe('a');
    expect(pickNextDue(order, due, 'a', 0)).toBe('b');
    expect(pickNextDue(order, due, 'c', 0)).toBe('a');
  });

  it('skips idle sessions and those due later; null when none is due', () => {
    const order = ['a', 'b', 'c'];
    const due = new Map([
      ['a', 100],
      ['c', 5],
    ]);
    expect(pickNextDue(order, due, 'a', 10)).toBe('c');
    expect(pickNextDue(order, due, 'c', 10)).toBe('c');
    expect(pickNextDue(order, due, null, 1)).toBeNull();
    expect(pickNextDue([], due, null, 1000)).toBeNull();
    expect(earliestDue(due)).toBe(5);
    expect(earliestDue(new Map())).toBeNull();
  });

  it('alternates two always-due sessions slice by slice', () => {
    const order = ['a', 'b'];
    const due = new Map([
      ['a', 0],
      ['b', 0],
    ]);
    const picked: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      last = pickNextDue(order, due, last, 0);
      if (last !== null) picked.push(last);
    }
    expect(picked).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });
});
