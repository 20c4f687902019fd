/** The page's cache of `auto` backend measurements (localStorage), and "Measure again" in a worker of its own. */
import { describe, expect, it } from 'vitest';
import { BACKEND_CACHE_LIMIT, BACKEND_CACHE_STORAGE_KEY, BackendCache, type StorageLike } from '../../src/page/backendCache';
import { measureBackendsWith, type MeasuringWorker } from '../../src/page/backendMeasure';
import { MEASUREMENT_VERSION, backendCacheKey, findCachedMeasurement } from '../../src/worker/backendRace';
import type { BackendShape, MeasureBackendsMessage, MeasuredBackends } from '../../src/worker/protocol';

class MapStorage implements StorageLike {
  readonly map = new Map<string, string>();
  failWrites = false;
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

const SAC_64: BackendShape = { algorithm: 'sac', hiddenSize: 64, batchSize: 64, members: 1 };

function measured(shape: BackendShape, renderer: string | null = 'GPU A', userAgent = 'Chromium/156', winner: MeasuredBackends['winner'] = 'kernels'): MeasuredBackends {
  return {
    version: MEASUREMENT_VERSION, key: backendCacheKey(userAgent, renderer, shape), shape, userAgent, renderer, measuredAt: 1_764_000_000_000, winner,
    measurements: [{ backend: winner, updatesPerSecond: 900, problem: null }, { backend: 'wasm', updatesPerSecond: 380, problem: null }], skipped: [],
  };
}

describe('BackendCache', () => {
  it('keeps a measurement across page loads (a new cache over the same storage finds it by key)', () => {
    const storage = new MapStorage();
    new BackendCache(storage).put(measured(SAC_64));
    const reloaded = new BackendCache(storage);
    const key = backendCacheKey('Chromium/156', 'GPU A', SAC_64);
    expect(findCachedMeasurement(reloaded.entries(), key)?.winner).toBe('kernels');
    expect(findCachedMeasurement(reloaded.entries(), backendCacheKey('Chromium/156', 'GPU B', SAC_64))).toBeNull();
    expect(reloaded.latestFor(SAC_64, 'Chromium/156')?.renderer).toBe('GPU A');
  });

  it('replaces the entry of the same key (Measure again), keeps others, newest first, at most the limit', () => {
    const cache = new BackendCache(new MapStorage());
    cache.put(measured(SAC_64));
    cache.put(measured({ ...SAC_64, algorithm: 'ddpg' }, 'GPU A', 'Chromium/156', 'wasm'));
    cache.put({ ...measured(SAC_64), winner: 'wasm', measuredAt: 1_764_100_000_000 });
    expect(cache.entries().map((entry) => [entry.shape.algorithm, entry.winner])).toEqual([['sac', 'wasm'], ['ddpg', 'wasm']]);
    for (let hidden = 1; hidden <= BACKEND_CACHE_LIMIT + 5; hidden++) cache.put(measured({ ...SAC_64, hiddenSize: hidden }));
    expect(cache.entries()).toHaveLength(BACKEND_CACHE_LIMIT);
    expect(cache.entries()[0]?.shape.hiddenSize).toBe(BACKEND_CACHE_LIMIT + 5);
  });

  it('forgets a shape; ignores results with nothing measured, other versions and malformed storage', () => {
    const storage = new MapStorage();
    const cache = new BackendCache(storage);
    cache.put(measured(SAC_64));
    cache.put(measured({ ...SAC_64, hiddenSize: 128 }));
    cache.forget(SAC_64);
    expect(cache.entries().map((entry) => entry.shape.hiddenSize)).toEqual([128]);
    cache.put({ ...measured(SAC_64), measurements: [] });
    expect(cache.entries()).toHaveLength(1);
    storage.setItem(BACKEND_CACHE_STORAGE_KEY, JSON.stringify([{ ...measured(SAC_64), version: MEASUREMENT_VERSION + 1 }, { junk: 1 }]));
    expect(cache.entries()).toEqual([]);
    storage.setItem(BACKEND_CACHE_STORAGE_KEY, '{not json');
    expect(cache.entries()).toEqual([]);
  });

  it('works for the page without storage, or when storage refuses writes', () => {
    const none = new BackendCache(null);
    none.put(measured(SAC_64));
    expect(none.entries()).toHaveLength(1);
    const storage = new MapStorage();
    storage.failWrites = true;
    const full = new BackendCache(storage);
    expect(() => full.put(measured(SAC_64))).not.toThrow();
  });
});

class FakeMeasuringWorker implements MeasuringWorker {
  readonly sent: MeasureBackendsMessage[] = [];
  terminated = false;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null = null;
  postMessage(message: MeasureBackendsMessage): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('Measure again', () => {
  it('asks a worker of its own for the shape, resolves with its result (its ready message ignored) and ends the worker', async () => {
    const workers: FakeMeasuringWorker[] = [];
    const measure = measureBackendsWith(() => {
      const worker = new FakeMeasuringWorker();
      workers.push(worker);
      return worker;
    });
    const pending = measure(SAC_64);
    const worker = workers[0];
    expect(worker?.sent).toEqual([{ type: 'measureBackends', runId: null, requestId: 1, shape: SAC_64 }]);
    worker?.onmessage?.({ data: { type: 'ready', runId: null } });
    worker?.onmessage?.({ data: { type: 'backendsMeasured', runId: null, requestId: 1, result: measured(SAC_64), problem: null } });
    await expect(pending).resolves.toMatchObject({ winner: 'kernels' });
    expect(worker?.terminated).toBe(true);
  });

  it('rejects with the worker\'s problem, or when the worker fails', async () => {
    const workers: FakeMeasuringWorker[] = [];
    const measure = measureBackendsWith(() => {
      const worker = new FakeMeasuringWorker();
      workers.push(worker);
      return worker;
    });
    const refused = measure(SAC_64);
    workers[0]?.onmessage?.({ data: { type: 'backendsMeasured', runId: null, requestId: 1, result: null, problem: 'No backend could start' } });
    await expect(refused).rejects.toThrow('No backend could start');
    const crashed = measure(SAC_64);
    workers[1]?.onerror?.({ message: 'script 404' });
    await expect(crashed).rejects.toThrow(/measuring worker failed: script 404/);
    expect(workers.every((worker) => worker.terminated)).toBe(true);
  });
});
