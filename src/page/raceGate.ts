/**
 * One backend race at a time per run shape (issue 11, goal 3). Under the `auto` backend a new worker
 * measures each candidate backend for a moment at its run's shape, and the page caches the winner for
 * every later run of that shape. Workers that start together (a seed group on a machine with several
 * cores) would race at the same time on the same cores and distort each other's rates, and the distorted
 * winner would be cached. So the first run of a shape with nothing cached goes ahead, and the next runs
 * of that shape wait until its worker reports the backend (then they start with the cached result) or
 * the run ends otherwise, or at most RACE_WAIT_LIMIT_MS.
 */
import type { BackendShape, RunId } from '../worker/protocol';

/** Longest wait behind another run's race (ms): a race takes about a second; a stuck worker must not hold runs back. */
export const RACE_WAIT_LIMIT_MS = 15_000;

export function shapeKey(shape: BackendShape): string {
  return `${shape.algorithm}/${shape.hiddenSize}/${shape.batchSize}/${shape.members}`;
}

interface Race {
  runId: RunId;
  done: Promise<void>;
  finish: () => void;
}

export class RaceGate {
  private readonly races = new Map<string, Race>();

  constructor(private readonly timers: { set: (callback: () => void, ms: number) => unknown; clear: (handle: unknown) => void }) {}

  /**
   * Waits while another run measures `shape`; then, when `cached()` says nothing is cached for it, makes
   * this run the one that measures it (others wait for `finished(runId)`).
   */
  async enter(runId: RunId, shape: BackendShape, cached: () => boolean): Promise<void> {
    const key = shapeKey(shape);
    for (let race = this.races.get(key); race !== undefined && race.runId !== runId; race = this.races.get(key)) {
      await race.done;
    }
    if (this.races.has(key) || cached()) return;
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const timer = this.timers.set(() => this.finished(runId), RACE_WAIT_LIMIT_MS);
    this.races.set(key, {
      runId,
      done,
      finish: () => {
        this.timers.clear(timer);
        finish();
      },
    });
  }

  /** The run's worker reported its backend, or the run will not measure after all (error, unloaded, deleted). */
  finished(runId: RunId): void {
    for (const [key, race] of this.races) {
      if (race.runId !== runId) continue;
      this.races.delete(key);
      race.finish();
    }
  }

  /** Runs holding a shape's race (for tests and the debug store). */
  racing(): RunId[] {
    return [...this.races.values()].map((race) => race.runId);
  }
}
