/**
 * The page side over real training sessions, in Node: the client and pool drive SessionRouter (the
 * worker's own logic, session.ts) through an in-process "worker" that passes messages like postMessage
 * (structured clone, asynchronous), on the tfjs cpu backend.
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundClient } from '../../src/page/client';
import { RunPersistence } from '../../src/page/persistence';
import type { WorkerLike } from '../../src/page/pool';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import type { EpisodeMetrics } from '../../src/rl/types';
import { createPlaygroundStore, type PlaygroundStore } from '../../src/store/index';
import type { BackendMessage, PageToWorker } from '../../src/worker/protocol';
import { SessionRouter } from '../../src/worker/router';

/** A worker in this process: SessionRouter behind postMessage-like, asynchronous, cloned messages. */
class InProcessWorker implements WorkerLike {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  private alive = true;
  private readonly router = new SessionRouter({
    post: (message) => {
      if (!this.alive) return;
      const copy = structuredClone(message);
      setTimeout(() => this.alive && this.onmessage?.({ data: copy }), 0);
    },
    now: () => performance.now(),
    selectBackend: async (choice): Promise<BackendMessage> => {
      await tf.setBackend('cpu');
      return { type: 'backend', runId: null, requested: choice, backend: 'cpu', renderer: null, softwareRenderer: false, fallbackReason: null };
    },
    watchContextLoss: () => () => undefined,
    runSoon: (run) => {
      setTimeout(() => this.alive && run(), 0);
    },
    runLater: (run, delayMs) => {
      const id = setTimeout(() => this.alive && run(), delayMs);
      return () => clearTimeout(id);
    },
  });
  constructor() {
    setTimeout(() => this.alive && this.onmessage?.({ data: { type: 'ready', runId: null } }), 0);
  }
  postMessage(message: PageToWorker): void {
    const copy = structuredClone(message);
    setTimeout(() => this.alive && void this.router.receive(copy), 0);
  }
  terminate(): void {
    this.alive = false;
  }
}

async function page(databaseName: string) {
  const store = createPlaygroundStore();
  const locks = new RunLocks(new InMemoryLockManager()); // a page of its own: its locks go with it
  let ids = 0;
  const client = new PlaygroundClient({
    store, createWorker: () => new InProcessWorker(), maxConcurrent: 1, locks, tabSync: null,
    effects: { saveFile: () => undefined }, newId: () => `${databaseName}-${(ids += 1)}`,
  });
  const persistence = await RunPersistence.open({ databaseName, locks, onStorage: PlaygroundClient.storageReporter(store) });
  await client.attachStorage(persistence);
  const state = store.getState;
  state().setBackendChoice('cpu');
  for (const [key, value] of [['hiddenSize', 8], ['batchSize', 16], ['bufferSize', 1000], ['maxSteps', 1600], ['seed', 3]] as const) {
    expect(state().setParameter(key, value)).toBeNull();
  }
  return { store, client, state, persistence };
}

async function until(store: PlaygroundStore, condition: (state: ReturnType<PlaygroundStore['getState']>) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition(store.getState())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The fields a run's randomness and arithmetic decide (timings aside). */
function deterministic(episodes: readonly EpisodeMetrics[]) {
  return episodes.map(({ episode, step, score, avg100, avg10, alpha, criticLoss, actorLoss, alphaLoss, entropy, qMean, updates }) => ({
    episode, step, score, avg100, avg10, alpha, criticLoss, actorLoss, alphaLoss, entropy, qMean, updates,
  }));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('page side over real sessions (cpu backend)', () => {
  it('a run interrupted after a checkpoint (the page closed) resumes in a new page to the same episodes as an uninterrupted run', async () => {
    const reference = await page('integration-reference');
    reference.client.addRun();
    const referenceId = reference.state().runOrder[0] ?? '';
    await until(reference.store, (state) => state.runs[referenceId]?.status === 'done', 'the uninterrupted run to end');
    const uninterrupted = reference.store.getState().episodes[referenceId] ?? [];
    expect(uninterrupted).toHaveLength(8); // maxSteps 1600 = 8 episodes of 200 steps
    await reference.client.flushDeletes();

    const first = await page('integration-resume');
    first.client.addRun();
    const runId = first.state().runOrder[0] ?? '';
    await until(first.store, (state) => (state.episodes[runId]?.length ?? 0) >= 2, 'two episodes');
    first.client.pause(runId); // a checkpoint at the pause
    await until(first.store, (state) => state.runs[runId]?.status === 'paused' && state.runs[runId]?.checkpointStep !== null, 'the pause checkpoint');
    const checkpointStep = first.state().runs[runId]?.checkpointStep ?? 0;
    first.client.resume(runId);
    await until(first.store, (state) => (state.episodes[runId]?.length ?? 0) >= 5, 'episodes past the checkpoint');
    // The tab closes abruptly: its worker is gone, nothing more is saved.
    first.client.pool.terminateAll();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // let the last progress save land
    first.persistence?.close();

    const second = await page('integration-resume');
    const restored = second.state().runs[runId];
    expect(restored?.status).toBe('paused');
    expect(restored?.totalSteps).toBe(checkpointStep);
    second.client.resume(runId);
    await until(second.store, (state) => state.runs[runId]?.status === 'done', 'the resumed run to end');
    expect(second.state().runs[runId]?.totalSteps).toBe(1600);
    expect(deterministic(second.state().episodes[runId] ?? [])).toEqual(deterministic(uninterrupted));
  });

  it('20 add/delete cycles leave the tensor count where it was', async () => {
    const { client, state, store } = await page('integration-cycles');
    const counts: number[] = [];
    for (let cycle = 0; cycle < 20; cycle += 1) {
      client.addRun();
      const runId = state().runOrder[0] ?? '';
      await until(store, (current) => (current.runs[runId]?.totalSteps ?? 0) > 0, `cycle ${cycle} to train`);
      client.deleteRun(runId);
      await until(store, (current) => current.tensors[runId]?.latest !== undefined && !client.pool.isLoaded(runId) && current.runs[runId] === undefined, `cycle ${cycle} to dispose`);
      await client.flushDeletes();
      await new Promise((resolve) => setTimeout(resolve, 50)); // sessionDisposed arrives
      counts.push(tf.memory().numTensors);
    }
    expect(counts.at(-1)).toBe(counts[0]);
    expect(state().runOrder).toEqual([]);
    expect(state().storage.usedBytes).toBe(0);
  });
});
