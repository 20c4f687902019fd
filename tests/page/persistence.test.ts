import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunPersistence, type StorageReport } from '../../src/page/persistence';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import type { RunRecord } from '../../src/store/runTypes';
import { episodes, runRecord, savedCheckpoint } from './fixtures';

let databaseCounter = 0;
async function openPersistence(options: { databaseName?: string; locks?: RunLocks } = {}) {
  const reports: StorageReport[] = [];
  const persistence = await RunPersistence.open({
    databaseName: options.databaseName ?? `test-${(databaseCounter += 1)}`,
    locks: options.locks ?? new RunLocks(null),
    onStorage: (report) => reports.push(report),
  });
  if (!persistence) throw new Error('fake-indexeddb did not open');
  return { persistence, reports, last: () => reports[reports.length - 1] };
}

afterEach(() => vi.restoreAllMocks());

describe('persistence', () => {
  it('round trip: records, groups, episodes appended per batch, checkpoint with its typed arrays', async () => {
    const { persistence } = await openPersistence({ databaseName: 'round-trip' });
    const run = runRecord('r1', { status: 'done', groupId: 'g', totalSteps: 1000, episodesDone: 5 });
    const list = episodes(5);
    expect(await persistence.saveRun(run, list.slice(0, 2))).toBe('saved');
    expect(await persistence.saveRun(run, list, savedCheckpoint(5))).toBe('saved');
    await persistence.saveGroup({ id: 'g', name: 'group', color: '#000', memberIds: ['r1'], createdAt: 1 });
    persistence.close();

    const { persistence: reopened } = await openPersistence({ databaseName: 'round-trip' });
    const loaded = await reopened.loadAll();
    // The stored record names the checkpoint stored with it (5 episodes of 200 steps), whatever the record handed in said.
    expect(loaded.runs).toEqual([{ ...run, checkpointStep: 1000 }]);
    expect(loaded.groups.map((group) => group.id)).toEqual(['g']);
    expect(loaded.episodes.r1).toEqual(list);
    expect(loaded.checkpoints.r1?.episodesDone).toBe(5);
    const saved = await reopened.loadCheckpoint('r1');
    expect(saved?.checkpoint.state.rng).toEqual(new Uint32Array([1, 2, 3, 4]));
    const state = saved?.checkpoint.state as { buffer?: { observations: Float32Array } } | undefined;
    expect(state?.buffer?.observations).toBeInstanceOf(Float32Array);
    expect(new Float32Array(saved?.finalActor.weightsBin ?? new ArrayBuffer(0))).toEqual(new Float32Array([1, 2, 3]));
  });

  it('a record stored before issue 8 (no algorithm) is read as a SAC run, nothing else changed', async () => {
    const { persistence } = await openPersistence({ databaseName: 'old-record' });
    const old = { ...runRecord('old', { status: 'done', totalSteps: 600, episodesDone: 3 }) } as Partial<RunRecord>;
    delete old.algorithm;
    expect(await persistence.saveRun(old as RunRecord, episodes(3))).toBe('saved');
    persistence.close();
    const { persistence: reopened } = await openPersistence({ databaseName: 'old-record' });
    const loaded = await reopened.loadAll();
    expect(loaded.runs).toEqual([{ ...old, algorithm: 'sac' }]);
    expect(loaded.episodes.old).toEqual(episodes(3));
    expect((await reopened.loadRun('old'))?.run.algorithm).toBe('sac');
  });

  it('reload semantics: a run that was training comes back paused at its last checkpoint, episodes beyond it dropped', async () => {
    const { persistence } = await openPersistence({ databaseName: 'reload' });
    const list = episodes(8);
    await persistence.saveRun(runRecord('t', { status: 'training' }), list.slice(0, 6), savedCheckpoint(6));
    await persistence.saveRun(runRecord('t', { status: 'training', totalSteps: 1600, episodesDone: 8 }), list);
    await persistence.saveRun(runRecord('q', { status: 'queued' }), []);
    persistence.close();
    const { persistence: reopened } = await openPersistence({ databaseName: 'reload' });
    const loaded = await reopened.loadAll();
    const training = loaded.runs.find((run) => run.id === 't');
    // The checkpoint (fixtures): 6 × 200 − 64 updates in 6 / 2 s of training; a paused run shows its mean rate.
    expect(training).toMatchObject({ status: 'paused', totalSteps: 1200, episodesDone: 6 });
    expect(training?.updatesPerSecond).toBeCloseTo((6 * 200 - 64) / 3, 9);
    expect(loaded.episodes.t).toEqual(list.slice(0, 6));
    expect(loaded.runs.find((run) => run.id === 'q')?.status).toBe('paused');
  });

  it('delete frees the storage the run used; truncation frees its episodes', async () => {
    const { persistence, last } = await openPersistence();
    await persistence.saveRun(runRecord('a'), episodes(3));
    await persistence.saveRun(runRecord('b'), episodes(10), savedCheckpoint(10, 50_000));
    const before = last()?.usedBytes ?? 0;
    const bytesOfB = last()?.byRun.b ?? 0;
    expect(bytesOfB).toBeGreaterThan(200_000); // 50,000 floats
    expect(await persistence.deleteRun('b')).toBe('saved');
    expect(last()?.usedBytes).toBe(before - bytesOfB);
    expect(last()?.byRun.b).toBeUndefined();
    expect(await persistence.loadRun('b')).toBeNull();
    expect(await persistence.loadCheckpoint('b')).toBeNull();

    const aBefore = last()?.byRun.a ?? 0;
    await persistence.truncateEpisodes('a', 1);
    expect((await persistence.loadRun('a'))?.episodes).toEqual(episodes(1));
    expect(last()?.byRun.a).toBeLessThan(aBefore);
  });

  it('a full quota keeps every saved run intact, says what to delete, and retries the lost items with the next save', async () => {
    const { persistence, last } = await openPersistence({ databaseName: 'quota' });
    await persistence.saveRun(runRecord('big', { name: 'Big run' }), episodes(4), savedCheckpoint(4, 20_000));
    await persistence.saveRun(runRecord('r', { name: 'Growing run' }), episodes(2), savedCheckpoint(2));
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const result = await persistence.saveRun(runRecord('r', { name: 'Growing run', episodesDone: 5 }), episodes(5), savedCheckpoint(5));
    expect(result).toBe('failed');
    expect(last()?.problem).toContain('Storage is full');
    expect(last()?.problem).toContain('"Growing run"');
    expect(last()?.problem).toContain('"Big run"'); // named as the biggest to delete
    put.mockRestore();

    // Nothing kept was changed by the failed write.
    const stored = await persistence.loadRun('r');
    expect(stored?.episodes).toEqual(episodes(2));
    expect((await persistence.loadCheckpoint('r'))?.checkpoint.counters.episodesDone).toBe(2);
    expect((await persistence.loadRun('big'))?.episodes).toEqual(episodes(4));

    // The next save writes the episodes that did not land, and clears the message.
    expect(await persistence.saveRun(runRecord('r', { episodesDone: 6 }), episodes(6), savedCheckpoint(6))).toBe('saved');
    expect((await persistence.loadRun('r'))?.episodes).toEqual(episodes(6));
    expect(last()?.problem).toBeNull();
  });

  it('two tabs: a run locked by one tab is never written or deleted by the other', async () => {
    const manager = new InMemoryLockManager();
    const tabA = await openPersistence({ databaseName: 'two-tabs', locks: new RunLocks(manager) });
    const locksB = new RunLocks(manager);
    const tabB = await openPersistence({ databaseName: 'two-tabs', locks: locksB });
    const locksA = new RunLocks(manager);
    const tabA2 = await openPersistence({ databaseName: 'two-tabs', locks: locksA });
    tabA.persistence.close();

    expect(await locksA.acquire('shared')).toBe(true);
    expect(await tabA2.persistence.saveRun(runRecord('shared', { name: 'A' }), episodes(3), savedCheckpoint(3))).toBe('saved');
    expect(await locksB.acquire('shared')).toBe(false);
    expect(await tabB.persistence.saveRun(runRecord('shared', { name: 'B' }), episodes(1), savedCheckpoint(1))).toBe('locked');
    expect(await tabB.persistence.deleteRun('shared')).toBe('locked');
    const stored = await tabA2.persistence.loadRun('shared');
    expect(stored?.run.name).toBe('A');
    expect(stored?.episodes).toEqual(episodes(3));

    // Once tab A lets go, tab B may write (a momentary lock, released after the write).
    locksA.release('shared');
    await new Promise((resolve) => setTimeout(resolve, 0)); // Web Locks release asynchronously
    expect(await tabB.persistence.saveRun(runRecord('shared', { name: 'B' }), episodes(3))).toBe('saved');
    expect(locksB.holds('shared')).toBe(false);
    expect((await tabA2.persistence.loadRun('shared'))?.run.name).toBe('B');
  });
});
