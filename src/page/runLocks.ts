/**
 * One tab's Web Locks on runs, so two open tabs never train or write the same run. A tab holds
 * `sac-run:<id>` while the run is loaded in one of its workers (or created here and not yet disposed);
 * `navigator.locks.request(name, { ifAvailable: true })` answers null when another tab holds it.
 * Without the Web Locks API (old browsers, Node) every lock is granted: there is no other tab to guard against.
 */
import type { RunId } from '../worker/protocol';

/** The part of the Web Locks API used here (navigator.locks), injectable for tests. */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
}

export function lockName(runId: RunId): string {
  return `sac-run:${runId}`;
}

export class RunLocks {
  /** Held locks: `release` resolves the promise that holds it; `kept` is false while only a single write holds it. */
  private readonly held = new Map<RunId, { release: () => void; kept: boolean }>();

  constructor(private readonly manager: LockManagerLike | null) {}

  holds(runId: RunId): boolean {
    return this.held.has(runId);
  }

  /** Takes the run's lock and keeps it until release(); false (and nothing held) when another tab has it. */
  async acquire(runId: RunId): Promise<boolean> {
    return this.take(runId, true);
  }

  /** Requests in flight: a second take of the same run waits for the first (else this tab's own pending lock reads as another tab's). */
  private readonly pending = new Map<RunId, Promise<boolean>>();

  private async take(runId: RunId, kept: boolean): Promise<boolean> {
    const inFlight = this.pending.get(runId);
    if (inFlight) {
      await inFlight;
      return this.take(runId, kept);
    }
    const entry = this.held.get(runId);
    if (entry) {
      entry.kept ||= kept;
      return true;
    }
    if (this.manager === null) {
      this.held.set(runId, { release: () => undefined, kept });
      return true;
    }
    const request = this.request(runId, kept);
    this.pending.set(runId, request);
    try {
      return await request;
    } finally {
      this.pending.delete(runId);
    }
  }

  private request(runId: RunId, kept: boolean): Promise<boolean> {
    return new Promise<boolean>((resolveAcquired) => {
      this.manager
        ?.request(lockName(runId), { ifAvailable: true }, (lock) => {
          if (lock === null || lock === undefined) {
            resolveAcquired(false);
            return;
          }
          return new Promise<void>((release) => {
            this.held.set(runId, { release, kept });
            resolveAcquired(true);
          });
        })
        .catch(() => resolveAcquired(false));
    });
  }

  release(runId: RunId): void {
    const entry = this.held.get(runId);
    this.held.delete(runId);
    entry?.release();
  }

  /**
   * Runs `write` while holding the run's lock: the lock this tab already holds, or one taken just for the
   * write. Returns false (nothing run) when another tab holds it.
   */
  async withLock(runId: RunId, write: () => Promise<void>): Promise<boolean> {
    if (this.held.has(runId)) {
      await write();
      return true;
    }
    if (!(await this.take(runId, false))) return false;
    try {
      await write();
    } finally {
      // acquire() during the write keeps the lock for the run's worker.
      if (this.held.get(runId)?.kept === false) this.release(runId);
    }
    return true;
  }
}

/** A lock manager for tests and for tabs sharing one JS realm: the Web Locks `ifAvailable` semantics in memory. */
export class InMemoryLockManager implements LockManagerLike {
  private readonly taken = new Set<string>();

  async request(name: string, _options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown> {
    // Like navigator.locks, the answer comes asynchronously (never within the caller's synchronous code).
    await Promise.resolve();
    if (this.taken.has(name)) return callback(null);
    this.taken.add(name);
    try {
      return await callback({ name });
    } finally {
      this.taken.delete(name);
    }
  }
}
