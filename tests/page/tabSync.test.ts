import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PlaygroundClient } from '../../src/page/client';
import { concurrencyFor } from '../../src/page/concurrency';
import { RunPersistence } from '../../src/page/persistence';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { TabSync, type ChannelLike } from '../../src/page/tabSync';
import { createPlaygroundStore } from '../../src/store/index';
import { fakeWorkerFactory, settle } from './fakeWorker';

/** Two BroadcastChannel ends: what one posts, the other receives (asynchronously, as in browsers). */
function channelPair(): [ChannelLike, ChannelLike] {
  const make = (): ChannelLike & { peer: ChannelLike | null } => ({
    peer: null,
    onmessage: null,
    postMessage(message: unknown) {
      const peer = this.peer;
      setTimeout(() => peer?.onmessage?.({ data: structuredClone(message) }), 0);
    },
    close() {
      this.peer = null;
    },
  });
  const first = make();
  const second = make();
  first.peer = second;
  second.peer = first;
  return [first, second];
}

async function tab(channel: ChannelLike, lockManager: InMemoryLockManager, ids: string) {
  const store = createPlaygroundStore();
  const locks = new RunLocks(lockManager);
  let client: PlaygroundClient | null = null;
  const tabSync = new TabSync(channel, (message) => void client?.handleTabMessage(message));
  let counter = 0;
  client = new PlaygroundClient({
    store, createWorker: fakeWorkerFactory().create, maxConcurrent: 1, locks, tabSync,
    effects: { saveFile: () => undefined }, newId: () => `${ids}-${(counter += 1)}`,
  });
  const persistence = await RunPersistence.open({ databaseName: 'tab-sync', locks, onStorage: PlaygroundClient.storageReporter(store) });
  await client.attachStorage(persistence);
  return { store, client };
}

describe('tabs in step', () => {
  it('a run added, renamed or deleted in one tab shows in the other', async () => {
    const manager = new InMemoryLockManager();
    const [channelA, channelB] = channelPair();
    const tabA = await tab(channelA, manager, 'a');
    const tabB = await tab(channelB, manager, 'b');
    tabA.client.addRun();
    await settle();
    const runId = tabA.store.getState().runOrder[0] ?? '';
    expect(tabB.store.getState().runs[runId]?.name).toBe('SAC · seed 500');
    tabA.client.renameRun(runId, 'first try');
    await settle();
    expect(tabB.store.getState().runs[runId]?.name).toBe('first try');
    tabA.client.deleteRun(runId);
    await tabA.client.flushDeletes();
    await settle();
    expect(tabB.store.getState().runs[runId]).toBeUndefined();
  });
});

describe('concurrency', () => {
  it('cores − 1 (at least 1) train at once, with the reason; ?maxConcurrent overrides within 1…16', () => {
    expect(concurrencyFor(2, '')).toMatchObject({ maxConcurrent: 1 });
    expect(concurrencyFor(2, '').reason).toContain('1 run trains at a time: this device has 2 CPU cores and one stays free for the page');
    expect(concurrencyFor(8, '').maxConcurrent).toBe(7);
    expect(concurrencyFor(1, '').maxConcurrent).toBe(1);
    expect(concurrencyFor(undefined, '').maxConcurrent).toBe(1);
    expect(concurrencyFor(2, '?maxConcurrent=4')).toMatchObject({ maxConcurrent: 4 });
    expect(concurrencyFor(2, '?maxConcurrent=4').reason).toContain('?maxConcurrent=4');
    const refused = concurrencyFor(4, '?maxConcurrent=0');
    expect(refused.maxConcurrent).toBe(3);
    expect(refused.reason).toContain('ignored');
  });
});
