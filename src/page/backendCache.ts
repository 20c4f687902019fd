/**
 * The page's cache of `auto` backend measurements (one per browser, GPU and run shape: their key is
 * made in the worker, which knows the WebGL renderer; worker/backendRace.ts). Kept in localStorage so
 * every tab and every later visit of this browser shares it; the page sends all entries with each
 * createSession and the worker uses the one of its key, so a run of a shape already measured here
 * starts at once. A changed browser (user agent), GPU (renderer) or measuring code (version) has
 * another key and is measured again; "Measure again" replaces an entry on demand.
 */
import { MEASUREMENT_VERSION, isMeasuredBackends } from '../worker/backendRace';
import type { BackendShape, MeasuredBackends } from '../worker/protocol';

/** The part of Storage (localStorage) the cache uses; tests pass a Map-backed one. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const BACKEND_CACHE_STORAGE_KEY = 'sac-playground:backend-measurements';
/** Entries kept (most recent first): a handful of shapes × browsers, a few KB. */
export const BACKEND_CACHE_LIMIT = 24;

export function sameShape(a: BackendShape, b: BackendShape): boolean {
  return a.algorithm === b.algorithm && a.hiddenSize === b.hiddenSize && a.batchSize === b.batchSize && a.members === b.members;
}

export class BackendCache {
  /** Used when storage is missing or refuses (private mode, quota): the cache then lasts as long as the page. */
  private memory: MeasuredBackends[] = [];

  constructor(private readonly storage: StorageLike | null) {}

  /** Every entry of the current measuring code, most recent first. */
  entries(): MeasuredBackends[] {
    const stored = this.read();
    return (stored ?? this.memory).filter((entry) => entry.version === MEASUREMENT_VERSION);
  }

  /** The newest entry for `shape` measured in this browser (any GPU), or null. */
  latestFor(shape: BackendShape, userAgent: string): MeasuredBackends | null {
    return this.entries().find((entry) => entry.userAgent === userAgent && sameShape(entry.shape, shape)) ?? null;
  }

  /** Keeps a measurement (replacing the one of the same key). Results with nothing measured are not kept: there was no race to save. */
  put(entry: MeasuredBackends): void {
    if (!isMeasuredBackends(entry) || entry.measurements.length === 0) return;
    const next = [entry, ...this.entries().filter((other) => other.key !== entry.key)].slice(0, BACKEND_CACHE_LIMIT);
    this.write(next);
  }

  /** Forgets every entry for `shape` (all GPUs and browsers): the next run of it measures again. */
  forget(shape: BackendShape): void {
    this.write(this.entries().filter((entry) => !sameShape(entry.shape, shape)));
  }

  /** The stored entries ([] when none or unreadable text); null when storage itself cannot be reached. */
  private read(): MeasuredBackends[] | null {
    if (this.storage === null) return null;
    let text: string | null;
    try {
      text = this.storage.getItem(BACKEND_CACHE_STORAGE_KEY);
    } catch {
      return null;
    }
    if (text === null) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter(isMeasuredBackends) : [];
    } catch {
      return []; // damaged: measured again, and overwritten by the next result
    }
  }

  private write(entries: MeasuredBackends[]): void {
    this.memory = entries;
    if (this.storage === null) return;
    try {
      this.storage.setItem(BACKEND_CACHE_STORAGE_KEY, JSON.stringify(entries));
    } catch {
      // Storage full or refused: the in-memory copy serves this page.
    }
  }
}

/** The browser's localStorage, or null where it is missing or throws on access. */
export function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
