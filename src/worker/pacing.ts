/**
 * Pure pacing helpers of a training session: how many env steps the next slice runs, the *watch* clock
 * (real time: 20 env steps/s × the multiplier), the updates/s meter, and the round-robin choice of the
 * next session to run in a worker. No tfjs, no worker globals: every time is passed in (ms), so the
 * helpers are tested with plain numbers.
 */

/** Target duration of one training slice (ms): long enough to amortise overhead, short enough to stay responsive. */
export const TARGET_SLICE_MS = 20;
/** Upper bound on one slice, whatever the measured speed (a very fast step must not make a long task). */
export const MAX_SLICE_STEPS = 2000;
/** In watch mode, never try to catch up more than this far behind the wall clock (s). */
export const MAX_WATCH_LAG_S = 0.5;
/** Progress batches per second ≈ 1000 / PROGRESS_INTERVAL_MS. */
export const PROGRESS_INTERVAL_MS = 200;
/** The updates/s figure averages over about this much wall time (ms). */
export const UPDATE_RATE_WINDOW_MS = 2000;

/**
 * The next slice's size from the last one: as many steps as fit TARGET_SLICE_MS at the measured cost
 * per step, but at most doubling (+1) per slice, so one slow outlier (a GC pause, a shader compile)
 * does not make a long task and the size still adapts quickly from 1.
 */
export function nextSliceSteps(previousSliceSteps: number, stepsRun: number, durationMs: number): number {
  if (stepsRun <= 0) return previousSliceSteps;
  // 0.01 ms per step floor: a clock too coarse to see the slice must not give an infinite size.
  const msPerStep = Math.max(durationMs / stepsRun, 0.01);
  const ideal = Math.round(TARGET_SLICE_MS / msPerStep);
  return Math.max(1, Math.min(MAX_SLICE_STEPS, ideal, previousSliceSteps * 2 + 1));
}

/**
 * Steps to run in the next training slice. Updates begin once steps > `warmUpSteps` (SAC: batch_size),
 * and an update costs far more than a warm-up step: end the cheap warm-up slice exactly there, so the
 * size re-adapts to the real cost instead of running thousands of updates in one slice sized on warm-up steps.
 */
export function trainingSliceSteps(sliceSteps: number, totalSteps: number, warmUpSteps: number): number {
  const warmupEnd = warmUpSteps + 1;
  const steps = totalSteps < warmupEnd ? Math.min(sliceSteps, warmupEnd - totalSteps) : sliceSteps;
  return Math.max(1, steps);
}

/**
 * A slice size as a whole number of `granularity`-step units, at least one: an on-policy run steps all
 * its n_envs pendulums at once, so its slices are multiples of n_envs (off-policy: granularity 1).
 */
export function roundToGranularity(steps: number, granularity: number): number {
  const unit = Math.max(1, Math.floor(granularity));
  return Math.max(unit, Math.floor(steps / unit) * unit);
}

/** Env steps per wall-clock second in watch mode (dt = 0.05 s, so ×1 is real time). */
export function watchRate(stepsPerSecond: number, multiplier: number): number {
  return stepsPerSecond * multiplier;
}

/**
 * The watch clock: real-time pacing. Counts the steps done since an anchor time; `stepsDue` says how
 * many more are owed by `time` at `rate` steps/s. Falling more than MAX_WATCH_LAG_S behind (a slow
 * machine, a long pause of the tab) re-anchors instead of racing to catch up.
 */
export class WatchClock {
  private anchorTime: number;
  private stepsSinceAnchor = 0;

  constructor(time: number) {
    this.anchorTime = time;
  }

  /** Starts counting again from `time` (on resume, on a speed change). */
  reset(time: number): void {
    this.anchorTime = time;
    this.stepsSinceAnchor = 0;
  }

  /** Steps owed at `time` (0 when ahead of the clock). */
  stepsDue(time: number, rate: number): number {
    const due = Math.floor(((time - this.anchorTime) / 1000) * rate) - this.stepsSinceAnchor;
    if (due > rate * MAX_WATCH_LAG_S) {
      this.reset(time);
      return 1;
    }
    return Math.max(0, due);
  }

  /** Records steps actually run. */
  advance(steps: number): void {
    this.stepsSinceAnchor += steps;
  }

  /**
   * Milliseconds from `time` until the next `steps` steps are owed (at least 1, so a timer never spins).
   * `steps` > 1: a run that can only step n_envs at once waits until a whole vector step is owed.
   */
  msUntilNextStep(time: number, rate: number, steps = 1): number {
    const nextAt = this.anchorTime + ((this.stepsSinceAnchor + steps) / rate) * 1000;
    return Math.max(1, nextAt - time);
  }
}

/** Gradient updates per second over the last UPDATE_RATE_WINDOW_MS, from (time, total updates) samples. */
export class UpdateRateMeter {
  private samples: Array<{ time: number; updates: number }> = [];

  record(time: number, updates: number): void {
    this.samples.push({ time, updates });
    while (this.samples.length > 2 && (this.samples[0]?.time ?? time) < time - UPDATE_RATE_WINDOW_MS) this.samples.shift();
  }

  /** 0 until two samples at least 200 ms apart exist (a rate over a shorter span is noise). */
  updatesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.time - first.time < 200) return 0;
    return ((last.updates - first.updates) * 1000) / (last.time - first.time);
  }

  /** Forgets the samples (after a pause the rate starts afresh). */
  clear(): void {
    this.samples = [];
  }
}

/**
 * Round robin over the sessions that want to run now: the first one due *after* `lastRun` in `order`
 * (wrapping around), so two running sessions alternate slice by slice. `dueAt` maps an id to the time it
 * wants to run (absent: idle). Returns null when nothing is due by `time`.
 */
export function pickNextDue<Id>(order: readonly Id[], dueAt: ReadonlyMap<Id, number>, lastRun: Id | null, time: number): Id | null {
  if (order.length === 0) return null;
  const lastIndex = lastRun === null ? -1 : order.indexOf(lastRun);
  for (let offset = 1; offset <= order.length; offset += 1) {
    const id = order[(lastIndex + offset) % order.length];
    if (id === undefined) continue;
    const due = dueAt.get(id);
    if (due !== undefined && due <= time) return id;
  }
  return null;
}

/** The earliest wake-up time among the sessions that want to run, or null when all are idle. */
export function earliestDue<Id>(dueAt: ReadonlyMap<Id, number>): number | null {
  let earliest: number | null = null;
  for (const due of dueAt.values()) if (earliest === null || due < earliest) earliest = due;
  return earliest;
}
