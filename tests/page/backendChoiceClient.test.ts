/**
 * The page side of the measured `auto` backend: each createSession carries the cached measurements, a
 * fresh measurement reported by a worker is cached (a cached one is not written again), and "Measure
 * again" measures the selected run's shape and caches the result.
 */
import { describe, expect, it } from 'vitest';
import { BackendCache, type StorageLike } from '../../src/page/backendCache';
import { PlaygroundClient } from '../../src/page/client';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { createPlaygroundStore } from '../../src/store/index';
import { MEASUREMENT_VERSION, backendCacheKey } from '../../src/worker/backendRace';
import type { BackendMessage, BackendShape, MeasuredBackends } from '../../src/worker/protocol';
import { fakeWorkerFactory, settle } from './fakeWorker';

class MapStorage implements StorageLike {
  readonly map = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes += 1;
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

function measuredFor(shape: BackendShape, winner: MeasuredBackends['winner'] = 'kernels'): MeasuredBackends {
  return {
    version: MEASUREMENT_VERSION, key: backendCacheKey('ua', null, shape), shape, userAgent: 'ua', renderer: null, measuredAt: 0, winner,
    measurements: [{ backend: winner, updatesPerSecond: 900, problem: null }, { backend: 'cpu', updatesPerSecond: 50, problem: null }], skipped: [],
  };
}

function setup(measureBackends?: (shape: BackendShape) => Promise<MeasuredBackends>) {
  const store = createPlaygroundStore();
  const factory = fakeWorkerFactory();
  const storage = new MapStorage();
  const backendCache = new BackendCache(storage);
  let ids = 0;
  const client = new PlaygroundClient({
    store, createWorker: factory.create, maxConcurrent: 1, locks: new RunLocks(new InMemoryLockManager()), tabSync: null,
    effects: { saveFile: () => undefined }, newId: () => `run-${(ids += 1)}`, backendCache,
    ...(measureBackends ? { measureBackends } : {}),
  });
  return { store, state: () => store.getState(), client, workers: factory.workers, backendCache, storage };
}

const SAC_64: BackendShape = { algorithm: 'sac', hiddenSize: 64, batchSize: 64, members: 1 };

function backendMessage(runId: string, measured: MeasuredBackends, cached: boolean): BackendMessage {
  return { type: 'backend', runId, requested: 'auto', backend: measured.winner, renderer: null, softwareRenderer: false, fallbackReason: null, measured, cached };
}

describe('auto backend on the page', () => {
  it('sends the cached measurements with createSession, and caches a fresh one the worker reports', async () => {
    const { client, state, workers, backendCache, storage } = setup();
    backendCache.put(measuredFor({ ...SAC_64, hiddenSize: 32 }));
    client.addRun();
    await settle();
    const created = workers[0]?.ofType('createSession')[0];
    expect(created?.backend).toBe('auto');
    expect(created?.measuredBackends?.map((entry) => entry.shape.hiddenSize)).toEqual([32]);
    const runId = state().runOrder[0] ?? '';
    const writesBefore = storage.writes;
    workers[0]?.emit(backendMessage(runId, measuredFor(SAC_64), false));
    expect(backendCache.entries().map((entry) => entry.shape.hiddenSize)).toEqual([64, 32]);
    expect(storage.writes).toBe(writesBefore + 1);
    // A cached result reported back is not written again.
    workers[0]?.emit(backendMessage(runId, measuredFor(SAC_64), true));
    expect(storage.writes).toBe(writesBefore + 1);
    expect(state().backends[runId]?.measured?.winner).toBe('kernels');
  });

  it('an explicit backend sends no measurements', async () => {
    const { client, state, workers, backendCache } = setup();
    backendCache.put(measuredFor(SAC_64));
    state().setBackendChoice('wasm');
    client.addRun();
    await settle();
    expect(workers[0]?.ofType('createSession')[0]?.measuredBackends).toBeUndefined();
  });

  it('"Measure again" measures the selected run\'s shape, caches the result and reports it; a failure is reported too', async () => {
    const asked: BackendShape[] = [];
    let fail = false;
    const { client, state, backendCache } = setup(async (shape) => {
      asked.push(shape);
      if (fail) throw new Error('No backend could start');
      return measuredFor(shape, 'wasm');
    });
    state().setParameter('hiddenSize', 32);
    client.addRun();
    await settle();
    client.measureBackendsAgain();
    expect(state().backendRemeasure?.state).toBe('measuring');
    await settle();
    expect(asked).toEqual([{ algorithm: 'sac', hiddenSize: 32, batchSize: 64, members: 1 }]);
    expect(state().backendRemeasure).toMatchObject({ state: 'done', result: { winner: 'wasm' } });
    expect(backendCache.latestFor(asked[0] ?? SAC_64, 'ua')?.winner).toBe('wasm');
    fail = true;
    client.measureBackendsAgain();
    await settle();
    expect(state().backendRemeasure).toMatchObject({ state: 'failed', problem: 'No backend could start' });
  });
});
