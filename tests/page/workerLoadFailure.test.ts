/**
 * Issue 10.6: a worker whose script never loads (a 404, the network gone) fires `error` with no message.
 * The pool must say the script could not be loaded (not "crashed"), drop that worker, and a later
 * train (Resume) must spawn a new worker that gets the run.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/rl/sac/config';
import { WorkerPool, workerErrorReason, type PoolHooks } from '../../src/page/pool';
import type { CreateSessionMessage, RunId } from '../../src/worker/protocol';
import { fakeWorkerFactory, settle } from './fakeWorker';

function setup() {
  const factory = fakeWorkerFactory();
  const lost: Array<{ runIds: readonly RunId[]; reason: string }> = [];
  const hooks: PoolHooks = {
    createSession: async (runId, start): Promise<CreateSessionMessage> => ({
      type: 'createSession', runId, runName: runId, algorithm: 'sac', config: defaultConfig(), backend: 'cpu', speed: { mode: 'fast', multiplier: 1 }, start,
    }),
    onMessage: () => undefined,
    onStarting: () => undefined,
    onQueued: () => undefined,
    onUnloaded: () => undefined,
    onWorkerLost: (runIds, reason) => lost.push({ runIds, reason }),
    onBadMessage: () => undefined,
  };
  return { pool: new WorkerPool(factory.create, 1, hooks), workers: factory.workers, lost };
}

describe('a worker script that fails to load', () => {
  it('is reported as a load failure (not a crash); Resume spawns a new worker that gets the run', async () => {
    const { pool, workers, lost } = setup();
    await pool.train('a');
    // What a browser fires when the worker's script 404s: a plain Event, no message.
    workers[0]?.onerror?.({ preventDefault: () => undefined });
    await settle();
    expect(lost).toHaveLength(1);
    expect(lost[0]?.runIds).toEqual(['a']);
    expect(lost[0]?.reason).toMatch(/script could not be loaded/);
    expect(lost[0]?.reason).not.toMatch(/crashed/);
    expect(workers[0]?.terminated).toBe(true);
    expect(pool.isTraining('a')).toBe(false);

    expect(await pool.train('a')).toBe('training');
    expect(workers).toHaveLength(2);
    expect(workers[1]?.ofType('createSession').map((message) => message.runId)).toEqual(['a']);
  });

  it('after the worker said ready, an error without a message is a crash', async () => {
    const { pool, workers, lost } = setup();
    await pool.train('a');
    workers[0]?.emit({ type: 'ready', runId: null });
    workers[0]?.onerror?.({ preventDefault: () => undefined });
    await settle();
    expect(lost[0]?.reason).toBe('The training worker crashed: it stopped unexpectedly');
  });

  it('names the reason a message gives', () => {
    expect(workerErrorReason(false, 'SyntaxError: Unexpected token')).toBe('The training worker crashed: SyntaxError: Unexpected token');
    expect(workerErrorReason(true, undefined)).toMatch(/stopped unexpectedly/);
    expect(workerErrorReason(false, undefined)).toMatch(/could not be loaded/);
  });
});
