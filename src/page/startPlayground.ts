/**
 * Browser wiring of the page side: the worker factory, Web Locks, IndexedDB, the tab channel and the
 * client, over the page's store. The client works at once; kept runs appear when storage has been read.
 */
import type { PlaygroundStore } from '../store/index';
import { PlaygroundClient } from './client';
import { concurrencyFor } from './concurrency';
import { saveFileInBrowser } from './actorFiles';
import { RunPersistence } from './persistence';
import type { WorkerLike } from './pool';
import { RunLocks, type LockManagerLike } from './runLocks';
import { newRunId } from './runFile';
import { TAB_SYNC_CHANNEL, TabSync, type ChannelLike } from './tabSync';
import { measureBackendsWith, type MeasuringWorker } from './backendMeasure';

function createTrainingWorker(): WorkerLike {
  const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'sac-training' });
  // The pool sees the narrow WorkerLike (so Node tests can pass fakes); events are forwarded to it.
  const adapter: WorkerLike = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
    onmessage: null,
    onerror: null,
    onmessageerror: null,
  };
  worker.onmessage = (event: MessageEvent<unknown>) => adapter.onmessage?.(event);
  worker.onerror = (event: ErrorEvent) => adapter.onerror?.(event);
  worker.onmessageerror = () => adapter.onmessageerror?.();
  return adapter;
}

/** "Measure again" runs in a training worker of its own that hosts no run (it answers `measureBackends` before its router). */
function createMeasuringWorker(): MeasuringWorker {
  const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'sac-backend-measure' });
  const adapter: MeasuringWorker = {
    postMessage: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onmessage: null,
    onerror: null,
  };
  worker.onmessage = (event: MessageEvent<unknown>) => adapter.onmessage?.(event);
  worker.onerror = (event: ErrorEvent) => adapter.onerror?.(event);
  return adapter;
}

function openChannel(): ChannelLike | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const channel = new BroadcastChannel(TAB_SYNC_CHANNEL);
  const adapter: ChannelLike = { postMessage: (message) => channel.postMessage(message), onmessage: null, close: () => channel.close() };
  channel.onmessage = (event: MessageEvent<unknown>) => adapter.onmessage?.(event);
  return adapter;
}

export interface StartedPlayground {
  client: PlaygroundClient;
  /** Resolves once the kept runs are in the store (or storage proved unavailable). */
  ready: Promise<void>;
}

export function startPlayground(store: PlaygroundStore): StartedPlayground {
  const concurrency = concurrencyFor(navigator.hardwareConcurrency, window.location.search);
  store.getState().setConcurrency(concurrency);
  const lockManager: LockManagerLike | null = 'locks' in navigator && navigator.locks ? navigator.locks : null;
  const locks = new RunLocks(lockManager);
  const channel = openChannel();
  let client: PlaygroundClient | null = null;
  const tabSync = new TabSync(channel, (message) => void client?.handleTabMessage(message));
  client = new PlaygroundClient({
    store,
    createWorker: createTrainingWorker,
    maxConcurrent: concurrency.maxConcurrent,
    locks,
    tabSync,
    effects: { saveFile: saveFileInBrowser },
    newId: newRunId,
    measureBackends: measureBackendsWith(createMeasuringWorker),
  });
  const started = client;
  const estimate = navigator.storage?.estimate ? () => navigator.storage.estimate() : null;
  const ready = RunPersistence.open({ locks, estimate, onStorage: PlaygroundClient.storageReporter(store) }).then((persistence) => started.attachStorage(persistence));
  // Runs deleted in their undo window are deleted for good when the page goes (best effort: the page may close first).
  window.addEventListener('pagehide', () => void started.flushDeletes());
  return { client: started, ready };
}
