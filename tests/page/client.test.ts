import 'fake-indexeddb/auto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PlaygroundClient, LOCKED_ELSEWHERE } from '../../src/page/client';
import { readActorFiles } from '../../src/page/actorFiles';
import { RunPersistence } from '../../src/page/persistence';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { createPlaygroundStore } from '../../src/store/index';
import type { WorkerToPage } from '../../src/worker/protocol';
import { answerBackends, fakeWorkerFactory, settle } from './fakeWorker';
import { episode, episodes, savedCheckpoint } from './fixtures';

let databaseCounter = 0;

async function setup(options: { maxConcurrent?: number; databaseName?: string; lockManager?: InMemoryLockManager; storage?: boolean } = {}) {
  const store = createPlaygroundStore();
  const factory = fakeWorkerFactory();
  const locks = new RunLocks(options.lockManager ?? new InMemoryLockManager());
  const files: Array<{ name: string; blob: Blob }> = [];
  const timers: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
  let ids = 0;
  const client = new PlaygroundClient({
    store, createWorker: factory.create, maxConcurrent: options.maxConcurrent ?? 1, locks, tabSync: null,
    effects: { saveFile: (name, blob) => files.push({ name, blob }) },
    newId: () => `${options.databaseName ?? 'id'}-${(ids += 1)}`,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  let persistence: RunPersistence | null = null;
  if (options.storage !== false) {
    persistence = await RunPersistence.open({ databaseName: options.databaseName ?? `client-${(databaseCounter += 1)}`, locks, onStorage: PlaygroundClient.storageReporter(store) });
    await client.attachStorage(persistence);
  }
  const state = () => store.getState();
  /** Runs the live-change and delete timers that are due. */
  const runTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.cleared) timer.callback();
  };
  return { store, state, client, workers: factory.workers, files, runTimers, persistence };
}

const progress = (runId: string, list: ReturnType<typeof episodes>): WorkerToPage => ({
  type: 'progress', runId, totalSteps: (list.at(-1)?.episode ?? 0) * 200, episodesDone: list.at(-1)?.episode ?? 0, updates: 100,
  updatesPerSecond: 100, elapsedSeconds: 1, episodes: list, goalReachedAtEpisode: null, numTensors: 30,
});

describe('page client', () => {
  it('"Add run" with 3 seeds: a group of seed, seed+1, seed+2 named by what differs; runs beyond the slots wait as queued', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 1 });
    state().setParameter('actorLr', 3e-4);
    state().setSeeds(3);
    client.addRun();
    await settle();
    const runs = state().runOrder.map((id) => state().runs[id]);
    expect(runs.map((run) => run?.name)).toEqual(['SAC · actor_lr 3e-4 · seed 500', 'SAC · actor_lr 3e-4 · seed 501', 'SAC · actor_lr 3e-4 · seed 502']);
    expect(runs.map((run) => run?.status)).toEqual(['starting', 'queued', 'queued']);
    const group = Object.values(state().groups)[0];
    expect(group?.name).toBe('SAC · actor_lr 3e-4 · 3 seeds');
    expect(group?.memberIds).toEqual(state().runOrder);
    expect(state().selectedRunId).toBe(state().runOrder[0]);
    expect(workers).toHaveLength(1);
    const created = workers[0]?.ofType('createSession')[0];
    expect(created?.config.seed).toBe(500);
    expect(created?.config.actorLr).toBe(3e-4);
    expect(created?.start).toBe('running');

    // The first run ends: its final checkpoint is saved, its session disposed, and the next seed starts.
    const first = state().runOrder[0] ?? '';
    const worker = workers[0];
    worker?.emit({ type: 'phase', runId: first, phase: 'running', stopReason: null });
    expect(state().runs[first]?.status).toBe('training');
    worker?.emit({ type: 'phase', runId: first, phase: 'stopped', stopReason: 'goal' });
    worker?.emit({ type: 'checkpoint', runId: first, requestId: null, reason: 'stop', ...savedCheckpoint(2) });
    await settle();
    expect(state().runs[first]?.status).toBe('done');
    expect(worker?.ofType('disposeSession').map((message) => message.runId)).toEqual([first]);
    expect(worker?.ofType('createSession').map((message) => message.config.seed)).toEqual([500, 501]);
  });

  it('pause of a queued run leaves the queue; resume when no slot is free queues it; Space toggles the selected run', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 1 });
    state().setSeeds(2);
    client.addRun();
    await settle();
    const [a = '', b = ''] = state().runOrder;
    client.pause(b);
    expect(state().runs[b]?.status).toBe('paused');
    client.resume(b);
    await settle();
    expect(state().runs[b]?.status).toBe('queued');
    // a is selected and still starting: Space pauses it as soon as its session runs.
    client.togglePauseSelected();
    expect(workers[0]?.types().at(-1)).toBe('createSession');
    answerBackends(workers); // a's worker reports its backend (b, of the same shape, would otherwise wait for it)
    workers[0]?.emit({ type: 'phase', runId: a, phase: 'running', stopReason: null });
    expect(workers[0]?.types().at(-1)).toBe('pause');
    workers[0]?.emit({ type: 'phase', runId: a, phase: 'paused', stopReason: null });
    await settle();
    // a's slot went to b.
    expect(state().runs[b]?.status).toBe('starting');
    expect(workers[0]?.ofType('createSession').map((message) => message.runId)).toEqual([a, b]);
  });

  it('live changes go to the selected run, coalesced; a run not loaded takes them into its config', async () => {
    const { client, state, workers, runTimers } = await setup({ maxConcurrent: 1 });
    client.addRun();
    await settle();
    const runId = state().runOrder[0] ?? '';
    expect(client.changeParameter('actorLr', 5e-4)).toBeNull();
    expect(client.changeParameter('actorLr', 4e-4)).toBeNull();
    expect(client.changeParameter('hiddenSize', 32)).toBeNull(); // restart-only: never sent
    expect(client.changeParameter('gamma', 5)).toContain('must be in');
    runTimers();
    const sent = workers[0]?.ofType('setLiveConfig');
    expect(sent).toHaveLength(1);
    expect(sent?.[0]).toMatchObject({ runId, partial: { actorLr: 4e-4 } });

    // After a reload-like state (not loaded), a change lands in the run's config directly.
    workers[0]?.emit({ type: 'phase', runId, phase: 'paused', stopReason: null });
    client.pool.dispose(runId);
    client.changeParameter('gamma', 0.95);
    runTimers();
    expect(state().runs[runId]?.config.gamma).toBe(0.95);
    expect(state().liveChanges.gamma?.state).toBe('applied');
  });

  it('reload: runs, curves and state come back; a training run is paused at its checkpoint and resumes from it', async () => {
    const first = await setup({ databaseName: 'reload-client' });
    first.client.addRun();
    await settle();
    const runId = first.state().runOrder[0] ?? '';
    const worker = first.workers[0];
    worker?.emit({ type: 'sessionCreated', runId, config: first.state().config, totalSteps: 0, episodesDone: 0, numTensors: 30 });
    worker?.emit({ type: 'phase', runId, phase: 'running', stopReason: null });
    worker?.emit(progress(runId, episodes(3)));
    worker?.emit({ type: 'checkpoint', runId, requestId: null, reason: 'interval', ...savedCheckpoint(3) });
    // The run names its checkpoint only once it is stored (a reload resumes from that one), not on arrival.
    expect(first.state().runs[runId]?.checkpointStep).toBeNull();
    await settle();
    expect(first.state().runs[runId]?.checkpointStep).toBe(600);
    worker?.emit(progress(runId, [episode(4), episode(5)]));
    await settle();
    first.persistence?.close();

    // A new page over the same storage (the first tab closed without pausing).
    const second = await setup({ databaseName: 'reload-client' });
    const run = second.state().runs[runId];
    expect(run).toMatchObject({ status: 'paused', totalSteps: 600, episodesDone: 3, checkpointStep: 600 });
    expect(second.state().episodes[runId]).toEqual(episodes(3));
    expect(second.state().selectedRunId).toBe(runId);
    second.client.resume(runId);
    await settle();
    const created = second.workers[0]?.ofType('createSession')[0];
    expect(created?.start).toBe('running');
    expect(created?.checkpoint?.counters.episodesDone).toBe(3);
    second.workers[0]?.emit({ type: 'sessionCreated', runId, config: second.state().config, totalSteps: 600, episodesDone: 3, numTensors: 30 });
    second.workers[0]?.emit(progress(runId, [episode(4)]));
    expect(second.state().episodes[runId]?.map((item) => item.episode)).toEqual([1, 2, 3, 4]);
  });

  it('a crashed worker leaves its runs paused with a message; Resume loads the last checkpoint in a new worker', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 1 });
    client.addRun();
    await settle();
    const runId = state().runOrder[0] ?? '';
    workers[0]?.emit({ type: 'phase', runId, phase: 'running', stopReason: null });
    workers[0]?.emit({ type: 'checkpoint', runId, requestId: null, reason: 'interval', ...savedCheckpoint(2) });
    await settle();
    workers[0]?.crash('out of memory');
    await settle();
    expect(state().runs[runId]?.status).toBe('paused');
    expect(state().runs[runId]?.error).toContain('out of memory');
    expect(state().runs[runId]?.error).toContain('step 400');
    expect(state().error).toContain('Resume');
    client.resume(runId);
    await settle();
    expect(workers).toHaveLength(2);
    expect(workers[1]?.ofType('createSession')[0]?.checkpoint?.counters.totalSteps).toBe(400);
  });

  it('delete: gone at once, undo brings it back; after the undo window its storage is freed', async () => {
    const { client, state, workers, runTimers } = await setup({ maxConcurrent: 1 });
    client.addRun();
    await settle();
    const runId = state().runOrder[0] ?? '';
    workers[0]?.emit(progress(runId, episodes(2)));
    workers[0]?.emit({ type: 'checkpoint', runId, requestId: null, reason: 'pause', ...savedCheckpoint(2, 20_000) });
    await settle();
    const used = state().storage.usedBytes ?? 0;
    expect(state().storage.byRun[runId]).toBeGreaterThan(80_000);

    client.deleteRun(runId);
    expect(state().runs[runId]).toBeUndefined();
    expect(state().pendingDeletes.map((entry) => entry.runId)).toEqual([runId]);
    expect(workers[0]?.types()).toContain('disposeSession');
    client.undoDelete(runId);
    await settle();
    expect(state().runs[runId]?.status).toBe('paused');
    expect(state().episodes[runId]).toEqual(episodes(2));
    expect(state().pendingDeletes).toEqual([]);

    client.deleteRun(runId);
    await settle(); // not loaded now: the page first checks that no other tab has it open
    expect(state().runs[runId]).toBeUndefined();
    runTimers(); // the undo window passes
    await settle();
    expect(state().storage.usedBytes).toBeLessThan(used - 80_000);
    expect(state().storage.byRun[runId]).toBeUndefined();
    expect(state().pendingDeletes).toEqual([]);
  });

  it('a corrupt or foreign import changes nothing and says why; a good one adds a copy each time', async () => {
    const source = await setup({ maxConcurrent: 1 });
    source.client.addRun();
    await settle();
    const runId = source.state().runOrder[0] ?? '';
    source.workers[0]?.emit(progress(runId, episodes(2)));
    source.workers[0]?.emit({ type: 'phase', runId, phase: 'stopped', stopReason: 'user' });
    // (No checkpoint: the fixture's is not a resumable one; runFile.test.ts round-trips a real checkpoint.)
    source.client.pool.dispose(runId);
    await settle();
    await source.client.exportRun(runId);
    const exported = source.files.at(-1);
    expect(exported?.name).toBe('sac-run-SAC-seed-500.zip');

    const target = await setup();
    const before = JSON.stringify({ runs: target.state().runs, episodes: target.state().episodes, groups: target.state().groups });
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'photo.png');
    await target.client.importRuns(png);
    expect(target.state().error).toContain('Nothing was imported from photo.png');
    await target.client.importRuns(new File([zipSync({ 'a.txt': strToU8('x') })], 'other.zip'));
    expect(target.state().error).toContain('no manifest.json');
    expect(JSON.stringify({ runs: target.state().runs, episodes: target.state().episodes, groups: target.state().groups })).toBe(before);

    const file = new File([await (exported?.blob ?? new Blob()).arrayBuffer()], exported?.name ?? 'x.zip');
    await target.client.importRuns(file);
    await target.client.importRuns(file);
    expect(target.state().runOrder).toHaveLength(2);
    const [first, second] = target.state().runOrder.map((id) => target.state().runs[id]);
    expect(first?.id).not.toBe(second?.id);
    expect(first?.name).toBe('SAC · seed 500');
    expect(target.state().episodes[first?.id ?? '']).toEqual(episodes(2));
  });

  it('a run open in another tab cannot be trained here', async () => {
    const lockManager = new InMemoryLockManager();
    const tabA = await setup({ databaseName: 'tabs-client', lockManager });
    tabA.client.addRun();
    await settle();
    const runId = tabA.state().runOrder[0] ?? '';
    tabA.workers[0]?.emit({ type: 'phase', runId, phase: 'paused', stopReason: null });
    await settle();
    const tabB = await setup({ databaseName: 'tabs-client', lockManager });
    expect(tabB.state().runs[runId]?.status).toBe('paused');
    expect(tabB.state().runs[runId]?.error).toBe(LOCKED_ELSEWHERE); // shown as open elsewhere from the start
    tabB.client.resume(runId);
    await settle();
    expect(tabB.state().runs[runId]?.error).toBe(LOCKED_ELSEWHERE);
    expect(tabB.state().runs[runId]?.status).toBe('paused');
    expect(tabB.workers.flatMap((worker) => worker.ofType('createSession'))).toEqual([]);
    // Nor deleted from here.
    tabB.client.deleteRun(runId);
    await settle();
    expect(tabB.state().runs[runId]).toBeDefined();
    expect(tabB.state().error).toContain('open in another tab; delete it there');
  });

  it('downloads a saved actor without a worker; CSV of the visible runs', async () => {
    const { client, state, workers, files } = await setup({ maxConcurrent: 1 });
    client.addRun();
    await settle();
    const runId = state().runOrder[0] ?? '';
    workers[0]?.emit(progress(runId, episodes(2)));
    workers[0]?.emit({ type: 'phase', runId, phase: 'stopped', stopReason: 'user' });
    workers[0]?.emit({ type: 'checkpoint', runId, requestId: null, reason: 'stop', ...savedCheckpoint(2) });
    await settle();
    expect(client.pool.isLoaded(runId)).toBe(false);
    client.downloadActor(runId, 'final');
    await settle();
    expect(files.map((file) => file.name)).toEqual(['final.json', 'final.weights.bin']);
    client.downloadActor(runId, 'best');
    await settle();
    expect(state().error).toContain('no best actor');
    client.exportCompareCsv();
    const csv = await files.at(-1)?.blob.text();
    expect(csv?.split('\n')[1]).toMatch(/^SAC · seed 500,id-\d+,sac,1,200,/);
  });

  it('a finished run is loaded to test it, stays loaded while the test runs, and leaves its worker after', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 1 });
    client.addRun();
    await settle();
    const runId = state().runOrder[0] ?? '';
    const worker = workers[0];
    worker?.emit({ type: 'phase', runId, phase: 'stopped', stopReason: 'goal' });
    worker?.emit({ type: 'checkpoint', runId, requestId: null, reason: 'stop', ...savedCheckpoint(2) });
    await settle();
    expect(client.pool.isLoaded(runId)).toBe(false);

    client.startTest(runId);
    await settle();
    expect(worker?.types().slice(-2)).toEqual(['createSession', 'startTest']);
    expect(worker?.ofType('createSession').at(-1)?.checkpoint?.counters.episodesDone).toBe(2);
    // The restored session reports itself stopped first: it must not be disposed before its test starts.
    worker?.emit({ type: 'sessionCreated', runId, config: state().config, totalSteps: 400, episodesDone: 2, numTensors: 30 });
    worker?.emit({ type: 'phase', runId, phase: 'stopped', stopReason: 'goal' });
    worker?.emit({ type: 'phase', runId, phase: 'testing', stopReason: 'goal' });
    expect(state().runs[runId]?.status).toBe('testing');
    expect(worker?.ofType('disposeSession')).toHaveLength(1); // only the first one, after training
    worker?.emit({ type: 'phase', runId, phase: 'stopped', stopReason: 'goal' });
    expect(state().runs[runId]?.status).toBe('done');
    expect(worker?.ofType('disposeSession')).toHaveLength(2);
    expect(client.pool.isLoaded(runId)).toBe(false);
  });

  it('without IndexedDB the page works and says runs are not kept', async () => {
    const { client, state } = await setup({ storage: false });
    await client.attachStorage(null);
    expect(state().storage.available).toBe(false);
    expect(state().storage.problem).toContain('not kept');
    client.addRun();
    expect(state().runOrder).toHaveLength(1);
  });
});

describe('actor files', () => {
  it('reads one .json and one .bin, in either order, and asks for both otherwise', async () => {
    const json = new File(['{"a":1}'], 'm.json');
    const bin = new File([new Uint8Array([1, 2, 3])], 'm.weights.bin');
    const files = await readActorFiles([bin, json]);
    expect(files.modelJson).toBe('{"a":1}');
    expect(files.weightsBin.byteLength).toBe(3);
    expect(files.weightsFileName).toBe('m.weights.bin');
    await expect(readActorFiles([json])).rejects.toThrow('Pick both files');
    await expect(readActorFiles([json, bin, bin])).rejects.toThrow('Pick both files');
    // A file far too big to be an actor is refused by its size, before it is read.
    const huge = new File([new Uint8Array(8)], 'movie.bin');
    Object.defineProperty(huge, 'size', { value: 3 * 1024 ** 3 });
    Object.defineProperty(huge, 'arrayBuffer', { value: () => Promise.reject(new Error('read a huge file')) });
    await expect(readActorFiles([json, huge])).rejects.toThrow('Not an actor of this playground, so not read: movie.bin');
  });
});

describe('one auto-backend race per shape at a time', () => {
  it('a second run of the same shape waits for the first run\'s measurement and starts with it cached', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 2 });
    expect(state().backendChoice).toBe('auto');
    state().setSeeds(2);
    client.addRun();
    await settle();
    const [a = '', b = ''] = state().runOrder;
    // Only a's worker starts measuring; b (same algorithm, hidden and batch size) waits for its result.
    expect(workers.flatMap((worker) => worker.ofType('createSession')).map((message) => message.runId)).toEqual([a]);
    expect(client.raceGate.racing()).toEqual([a]);
    const shape = { algorithm: 'sac' as const, hiddenSize: 64, batchSize: 64, members: 1 };
    const measured = {
      version: 1, key: 'a-key', shape, userAgent: typeof navigator === 'undefined' ? '' : navigator.userAgent, renderer: null,
      measuredAt: 1_764_000_000_000, winner: 'kernels' as const,
      measurements: [{ backend: 'kernels' as const, updatesPerSecond: 900, problem: null }, { backend: 'wasm' as const, updatesPerSecond: 300, problem: null }], skipped: [],
    };
    workers[0]?.emit({ type: 'backend', runId: a, requested: 'auto', backend: 'kernels', renderer: null, softwareRenderer: false, fallbackReason: null, measured, cached: false });
    await settle();
    const second = workers.flatMap((worker) => worker.ofType('createSession')).find((message) => message.runId === b);
    expect(second?.measuredBackends?.map((entry) => entry.key)).toContain('a-key');
    expect(client.raceGate.racing()).toEqual([]);
  });

  it('a run that ends before reporting (its worker crashed) lets the next one measure', async () => {
    const { client, state, workers } = await setup({ maxConcurrent: 2 });
    state().setSeeds(2);
    client.addRun();
    await settle();
    const [a = '', b = ''] = state().runOrder;
    expect(client.raceGate.racing()).toEqual([a]);
    workers[0]?.crash('out of memory');
    await settle();
    expect(workers.flatMap((worker) => worker.ofType('createSession')).map((message) => message.runId)).toContain(b);
    expect(client.raceGate.racing()).toEqual([b]);
  });
});
