import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/rl/sac/config';
import { WorkerPool, type PoolHooks } from '../../src/page/pool';
import type { BackendChoice, CreateSessionMessage, RunId, WorkerToPage } from '../../src/worker/protocol';
import { fakeWorkerFactory, settle } from './fakeWorker';
import { savedCheckpoint } from './fixtures';

function setup(maxConcurrent: number, backendChoice?: () => BackendChoice) {
  const factory = fakeWorkerFactory();
  const events: string[] = [];
  const received: WorkerToPage[] = [];
  const lost: Array<{ runIds: readonly RunId[]; reason: string }> = [];
  const hooks: PoolHooks = {
    createSession: async (runId, start): Promise<CreateSessionMessage> => ({
      type: 'createSession', runId, runName: runId, algorithm: 'sac', config: defaultConfig(), backend: 'cpu', speed: { mode: 'fast', multiplier: 1 }, start,
    }),
    onMessage: (message) => received.push(message),
    onStarting: (runId) => events.push(`starting ${runId}`),
    onQueued: (runId) => events.push(`queued ${runId}`),
    onUnloaded: (runId) => events.push(`unloaded ${runId}`),
    onWorkerLost: (runIds, reason) => lost.push({ runIds, reason }),
    onBadMessage: (reason) => events.push(`bad ${reason}`),
    ...(backendChoice ? { backendChoice } : {}),
  };
  const pool = new WorkerPool(factory.create, maxConcurrent, hooks);
  return { pool, workers: factory.workers, events, received, lost };
}

describe('worker pool', () => {
  it('a new Backend choice applies to new runs: an idle worker made for another choice is ended, a busy one is not reused', async () => {
    let choice: BackendChoice = 'wasm';
    const { pool, workers } = setup(2, () => choice);
    await pool.train('a');
    pool.releaseSlot('a'); // paused, still loaded in worker 0 (made for wasm)
    choice = 'cpu';
    await pool.train('b');
    // Worker 0 holds a's session, so it stays, but b gets a worker made for the new choice.
    expect(workers).toHaveLength(2);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b']);
    // Once a's session is gone, the wasm worker is ended; the next new run never lands there.
    pool.dispose('a');
    expect(workers[0]?.terminated).toBe(true);
    pool.releaseSlot('b');
    await pool.train('c');
    expect(workers).toHaveLength(2);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b', 'c']);
  });

  it('trains at most maxConcurrent runs, one worker each, and starts queued runs in order as slots free', async () => {
    const { pool, workers, events } = setup(2);
    await pool.train('a');
    await pool.train('b');
    expect(await pool.train('c')).toBe('queued');
    expect(await pool.train('d')).toBe('queued');
    expect(workers).toHaveLength(2);
    expect(workers[0]?.ofType('createSession').map((message) => [message.runId, message.start])).toEqual([['a', 'running']]);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b']);
    expect(pool.queuedRuns()).toEqual(['c', 'd']);
    expect(events).toEqual(['starting a', 'starting b', 'queued c', 'queued d']);

    // b pauses: c takes its slot, in b's worker (the one without a training run).
    pool.releaseSlot('b');
    await settle();
    expect(workers).toHaveLength(2);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b', 'c']);
    expect(pool.isTraining('c')).toBe(true);
    expect(pool.queuedRuns()).toEqual(['d']);
    // A queued run that is paused leaves the queue.
    pool.dequeue('d');
    pool.releaseSlot('a');
    await settle();
    expect(pool.isTraining('d')).toBe(false);
  });

  it('resume with no free slot queues the run; it resumes in its worker (no reload) when the slot frees', async () => {
    const { pool, workers } = setup(1);
    await pool.train('a');
    pool.releaseSlot('a'); // paused: stays loaded
    await pool.train('b');
    expect(pool.isLoaded('a')).toBe(true);
    expect(await pool.train('a')).toBe('queued');
    pool.releaseSlot('b');
    await settle();
    expect(pool.isTraining('a')).toBe(true);
    const worker = workers[0];
    expect(workers).toHaveLength(1);
    expect(worker?.ofType('createSession').map((message) => message.runId)).toEqual(['a', 'b']);
    expect(worker?.types().at(-1)).toBe('resume');
  });

  it('a paused run whose worker trains another moves to a free worker through a fresh checkpoint', async () => {
    const { pool, workers, received } = setup(2);
    await pool.train('a'); // worker 0
    await pool.train('b'); // worker 1
    pool.releaseSlot('b'); // b paused in worker 1
    await pool.train('c'); // worker 1 (free of training)
    pool.releaseSlot('a'); // worker 0 free
    const resumed = pool.train('b');
    await settle();
    const request = workers[1]?.ofType('requestCheckpoint')[0];
    expect(request?.runId).toBe('b');
    const checkpoint = savedCheckpoint(3);
    workers[1]?.emit({ type: 'checkpoint', runId: 'b', requestId: request?.requestId ?? 0, reason: 'request', ...checkpoint });
    expect(await resumed).toBe('training');
    expect(workers[1]?.types()).toContain('disposeSession');
    const created = workers[0]?.ofType('createSession').at(-1);
    expect(created?.runId).toBe('b');
    expect(created?.start).toBe('running');
    // The client got the checkpoint (to hand it to createSession).
    expect(received.some((message) => message.type === 'checkpoint')).toBe(true);
  });

  it('a crashed worker: its runs are reported lost and free their slots; a queued run and a resumed one start in a new worker', async () => {
    const { pool, workers, lost, events } = setup(1);
    await pool.train('a');
    expect(await pool.train('b')).toBe('queued');
    workers[0]?.crash('out of memory');
    await settle();
    expect(lost).toEqual([{ runIds: ['a'], reason: 'The training worker crashed: out of memory' }]);
    expect(workers[0]?.terminated).toBe(true);
    expect(pool.isLoaded('a')).toBe(false);
    expect(events).toContain('unloaded a');
    // b had been waiting: it takes the freed slot in a fresh worker.
    expect(pool.isTraining('b')).toBe(true);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b']);
    pool.releaseSlot('b');
    expect(await pool.train('a')).toBe('training');
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['b', 'a']);
    // Messages from the dead worker are ignored.
    workers[0]?.emit({ type: 'ready', runId: null });
  });

  it('a message the page does not understand is reported, not thrown', async () => {
    const { pool, workers, events } = setup(1);
    await pool.train('a');
    workers[0]?.emit({ type: 'bogus' });
    expect(events.some((event) => event.startsWith('bad '))).toBe(true);
  });

  it('dispose posts disposeSession and unloads the run', async () => {
    const { pool, workers, events } = setup(1);
    await pool.load('a');
    expect(workers[0]?.ofType('createSession')[0]?.start).toBe('paused');
    pool.dispose('a');
    expect(workers[0]?.types()).toEqual(['createSession', 'disposeSession']);
    expect(pool.isLoaded('a')).toBe(false);
    expect(events).toContain('unloaded a');
  });
});
