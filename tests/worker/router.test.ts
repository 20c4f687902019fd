/**
 * SessionRouter in Node (tfjs cpu) with a fake host: the scheduled callbacks are run by the test one at
 * a time, so the order of slices and messages is exact. Routing by runId, errors for unknown messages
 * and runs, one backend for all sessions, round-robin slices with messages in between, delays in watch
 * mode, dispose, and re-creation from the last checkpoint after a WebGL context loss.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type SacConfig } from '../../src/rl/sac/config';
import type { BackendChoice, BackendMessage, BackendName, BackendShape, CreateSessionMessage, SpeedSetting, WorkerToPage } from '../../src/worker/protocol';
import { SessionRouter, type RouterHost } from '../../src/worker/router';

const SMALL: Partial<SacConfig> = { hiddenSize: 16, batchSize: 16, bufferSize: 1000, stopAtGoal: false };

class FakeHost {
  readonly posts: WorkerToPage[] = [];
  time = 0;
  readonly soon: Array<() => void> = [];
  readonly later: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  readonly backendCalls: Array<{ choice: BackendChoice; hiddenSize: number }> = [];
  /** The shape and how many cached measurements each selectBackend got. */
  readonly backendRequests: Array<{ shape: BackendShape; cached: number }> = [];
  /** What the next selectBackend reports (the tfjs backend really in use stays cpu). */
  nextBackend: BackendName = 'cpu';
  onContextLost: (() => void) | null = null;

  readonly host: RouterHost = {
    post: (message) => {
      this.posts.push(structuredClone(message));
    },
    now: () => this.time,
    selectBackend: (choice, shape, cached) => {
      this.backendCalls.push({ choice, hiddenSize: shape.hiddenSize });
      this.backendRequests.push({ shape, cached: cached.length });
      const message: BackendMessage = {
        type: 'backend', runId: null, requested: choice, backend: this.nextBackend, renderer: null, softwareRenderer: false, fallbackReason: null,
      };
      return Promise.resolve(message);
    },
    watchContextLoss: (onLost) => {
      this.onContextLost = onLost;
      return () => {
        this.onContextLost = null;
      };
    },
    runSoon: (run) => {
      this.soon.push(run);
    },
    runLater: (run, delayMs) => {
      const entry = { at: this.time + delayMs, run, cancelled: false };
      this.later.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
  };

  readonly router = new SessionRouter(this.host);

  /** Runs the next "soon" callback (one slice) and waits until the router is idle. False if none was pending. */
  async step(): Promise<boolean> {
    const run = this.soon.shift();
    if (!run) return false;
    run();
    await this.router.settled();
    await Promise.resolve();
    return true;
  }

  async send(message: unknown): Promise<void> {
    await this.router.receive(message);
    await Promise.resolve();
  }

  of<T extends WorkerToPage['type']>(type: T): Array<Extract<WorkerToPage, { type: T }>> {
    return this.posts.filter((message): message is Extract<WorkerToPage, { type: T }> => message.type === type);
  }

  last<T extends WorkerToPage['type']>(type: T): Extract<WorkerToPage, { type: T }> | undefined {
    const all = this.of(type);
    return all[all.length - 1];
  }
}

/** A small PPO run (2 envs, rollouts of 32 env steps): trained outside tfjs, no tensors between calls. */
function createPpo(runId: string, start: 'running' | 'paused' = 'running'): CreateSessionMessage {
  return {
    type: 'createSession', runId, runName: runId, algorithm: 'ppo', backend: 'cpu', speed: { mode: 'fast', multiplier: 1 }, start,
    config: { hiddenSize: 8, nEnvs: 2, nSteps: 16, batchSize: 16, nEpochs: 1, stopAtGoal: false },
  };
}

function create(runId: string, options: { speed?: SpeedSetting; start?: 'running' | 'paused'; config?: Partial<SacConfig>; backend?: BackendChoice } = {}): CreateSessionMessage {
  return {
    type: 'createSession',
    runId,
    runName: runId,
    algorithm: 'sac',
    config: makeConfig({ ...SMALL, ...options.config }),
    backend: options.backend ?? 'cpu',
    speed: options.speed ?? { mode: 'fast', multiplier: 1 },
    start: options.start ?? 'running',
  };
}

const hosts: FakeHost[] = [];
function newHost(): FakeHost {
  const host = new FakeHost();
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterEach(async () => {
  for (const host of hosts.splice(0)) {
    for (const runId of host.router.runIds) await host.send({ type: 'disposeSession', runId });
  }
});

describe('SessionRouter: messages', () => {
  it('answers a message it does not understand with an error, and keeps working', async () => {
    const h = newHost();
    await h.send({ type: 'start', runId: 'old-page' });
    expect(h.last('error')).toMatchObject({ runId: 'old-page' });
    expect(h.last('error')?.message).toMatch(/does not understand: \{"type":"start"/);
    await h.send('garbage');
    expect(h.last('error')).toMatchObject({ runId: null });
    await h.send(create('a', { start: 'paused' }));
    expect(h.last('sessionCreated')?.runId).toBe('a');
  });

  it('answers a message for a run it does not host with an error naming the run', async () => {
    const h = newHost();
    await h.send({ type: 'pause', runId: 'nobody' });
    expect(h.last('error')).toEqual({ type: 'error', runId: 'nobody', message: 'This worker has no run nobody: "pause" was ignored.' });
  });

  it('refuses a second session under the same runId, leaving the first', async () => {
    const h = newHost();
    await h.send(create('a', { start: 'paused' }));
    await h.send(create('a', { start: 'paused' }));
    expect(h.of('sessionCreated')).toHaveLength(1);
    expect(h.last('error')?.message).toMatch(/already has a session/);
    expect(h.router.runIds).toEqual(['a']);
  });

  it('a failed create is fatal for that run only', async () => {
    const h = newHost();
    await h.send({ ...create('bad'), config: { ...makeConfig(SMALL), batchSize: 0 } });
    expect(h.last('error')).toMatchObject({ runId: 'bad', fatal: true });
    expect(h.router.runIds).toEqual([]);
    await h.send(create('good', { start: 'paused' }));
    expect(h.router.runIds).toEqual(['good']);
  });

  it('a createSession with parts missing fails that run (fatal) and leaks no tensor', async () => {
    const h = newHost();
    await h.send(create('first', { start: 'paused' })); // the backend is selected; tensors of one run exist
    const before = tf.memory().numTensors;
    const { speed: _speed, ...noSpeed } = create('no-speed');
    await h.send(noSpeed);
    expect(h.last('error')).toMatchObject({ runId: 'no-speed', fatal: true });
    const { config: _config, ...noConfig } = create('no-config');
    await h.send(noConfig);
    expect(h.last('error')).toMatchObject({ runId: 'no-config', fatal: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.router.runIds).toEqual(['first']);
  });

  it("measures the backend at the first run's own shape (algorithm, hidden and batch size) with the page's cached measurements", async () => {
    const h = newHost();
    const message = create('a', { start: 'paused', backend: 'auto', config: { hiddenSize: 24, batchSize: 32 } });
    const cachedEntry = {
      version: 1, key: 'k', shape: { algorithm: 'sac' as const, hiddenSize: 24, batchSize: 32, members: 1 }, userAgent: 'ua', renderer: null,
      measuredAt: 0, winner: 'wasm' as const, measurements: [], skipped: [],
    };
    await h.send({ ...message, measuredBackends: [cachedEntry] });
    expect(h.backendRequests).toEqual([{ shape: { algorithm: 'sac', hiddenSize: 24, batchSize: 32, members: 1 }, cached: 1 }]);
  });

  it('selects the backend once, for the first session, and tells every session which it is', async () => {
    const h = newHost();
    await h.send(create('a', { start: 'paused', backend: 'wasm', config: { hiddenSize: 24 } }));
    await h.send(create('b', { start: 'paused', backend: 'cpu' }));
    expect(h.backendCalls).toEqual([{ choice: 'wasm', hiddenSize: 24 }]);
    expect(h.of('backend').map((message) => message.runId)).toEqual(['a', 'b']);
    // Each create starts with phase 'starting' before the backend and the session.
    const typesForB = h.posts.filter((message) => 'runId' in message && message.runId === 'b').map((message) => message.type);
    expect(typesForB.slice(0, 3)).toEqual(['phase', 'backend', 'sessionCreated']);
  });

  it('dispose frees the session; later messages to it are errors', async () => {
    const h = newHost();
    await h.send(create('a', { start: 'paused' }));
    await h.send({ type: 'disposeSession', runId: 'a' });
    expect(h.last('sessionDisposed')?.runId).toBe('a');
    expect(h.router.runIds).toEqual([]);
    await h.send({ type: 'resume', runId: 'a' });
    expect(h.last('error')?.message).toMatch(/no run a/);
  });
});

describe('SessionRouter: scheduling', () => {
  it('two running sessions take turns, slice by slice, and a pause between slices stops one', async () => {
    const h = newHost();
    await h.send(create('a'));
    await h.send(create('b'));
    const framesBefore = h.of('frame').length;
    for (let i = 0; i < 6; i += 1) expect(await h.step()).toBe(true);
    const order = h.of('frame').slice(framesBefore).map((frame) => frame.runId);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);

    await h.send({ type: 'pause', runId: 'a' });
    const afterPause = h.of('frame').length;
    for (let i = 0; i < 3; i += 1) await h.step();
    expect(h.of('frame').slice(afterPause).map((frame) => frame.runId)).toEqual(['b', 'b']);
  });

  it('a paused or stopped session asks for nothing: no callback stays scheduled', async () => {
    const h = newHost();
    await h.send(create('a', { start: 'paused' }));
    while (await h.step()) {
      // drain
    }
    expect(h.soon).toHaveLength(0);
    expect(h.later.filter((entry) => !entry.cancelled)).toHaveLength(0);
  });

  it('watch mode waits with a timer for the next step instead of spinning', async () => {
    const h = newHost();
    await h.send(create('a', { speed: { mode: 'watch', multiplier: 1 } }));
    await h.step(); // the first tick: nothing owed yet at t = 0
    expect(h.soon).toHaveLength(0);
    const pending = h.later.filter((entry) => !entry.cancelled);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.at).toBeCloseTo(50); // 20 steps/s: the first step is owed at 50 ms
    h.time = 50;
    pending[0]?.run();
    await h.router.settled();
    expect(h.of('frame').filter((frame) => frame.runId === 'a')).toHaveLength(2); // creation + one slice
  });
});

describe('SessionRouter: WebGL context loss', () => {
  it('re-creates each session on wasm from its last checkpoint, saying which step it went back to', async () => {
    const h = newHost();
    h.nextBackend = 'webgl';
    await h.send(create('a'));
    await h.send(create('fresh', { start: 'paused' }));
    for (let i = 0; i < 4; i += 1) await h.step();
    await h.send({ type: 'pause', runId: 'a' });
    const checkpoint = h.last('checkpoint');
    const checkpointStep = checkpoint?.checkpoint.counters.totalSteps ?? -1;
    expect(checkpointStep).toBeGreaterThan(0);
    await h.send({ type: 'resume', runId: 'a' });
    for (let i = 0; i < 2; i += 1) {
      h.time += 300; // a progress batch after each slice
      await h.step();
    }
    // Training went on past the checkpoint before the context was lost: that part is what gets replayed.
    const progressOfA = h.of('progress').filter((message) => message.runId === 'a');
    expect(progressOfA[progressOfA.length - 1]?.totalSteps).toBeGreaterThan(checkpointStep);

    h.nextBackend = 'wasm';
    expect(h.onContextLost).not.toBeNull();
    h.onContextLost?.();
    await h.router.settled();
    await Promise.resolve();

    expect(h.backendCalls.map((call) => call.choice)).toEqual(['cpu', 'wasm']);
    const notices = h.of('notice').map((notice) => notice.message);
    expect(notices).toContain(`The WebGL context was lost; its tensors are gone. "a" goes on on wasm from step ${checkpointStep} (its last checkpoint).`);
    expect(notices).toContain('The WebGL context was lost; its tensors are gone. "fresh" goes on on wasm from step 0 (the start: no checkpoint yet).');
    const recreatedA = h.of('sessionCreated').filter((message) => message.runId === 'a');
    expect(recreatedA).toHaveLength(2);
    expect(recreatedA[1]?.totalSteps).toBe(checkpointStep);
    expect(recreatedA[1]?.episodesDone).toBe(checkpoint?.checkpoint.counters.episodesDone);
    // The run that was training trains again; the paused one stays paused; no sessionDisposed was sent.
    const phasesOf = (runId: string): string[] => h.of('phase').filter((message) => message.runId === runId).map((message) => message.phase);
    expect(phasesOf('a').slice(-2)).toEqual(['starting', 'running']);
    expect(phasesOf('fresh').slice(-2)).toEqual(['starting', 'paused']);
    expect(h.of('sessionDisposed')).toHaveLength(0);
    expect(h.router.runIds.sort()).toEqual(['a', 'fresh']);
    // The re-created run trains on (the paused one's tick comes first in the round, and does nothing).
    const framesBefore = h.of('frame').filter((frame) => frame.runId === 'a').length;
    await h.step();
    await h.step();
    expect(h.of('frame').filter((frame) => frame.runId === 'a').length).toBe(framesBefore + 1);
    expect(h.last('progress')?.totalSteps).toBeGreaterThan(checkpointStep);
  });
});

describe('SessionRouter: algorithms other than SAC', () => {
  it('a PPO session is announced as such, told it trains outside tfjs, and trains in whole vector steps', async () => {
    const h = newHost();
    await h.send(createPpo('p'));
    expect(h.last('sessionCreated')).toMatchObject({ runId: 'p', algorithm: 'ppo', config: { nEnvs: 2 } });
    expect(h.last('notice')).toEqual({
      type: 'notice', runId: 'p',
      message: 'PPO trains on the CPU outside tfjs: the cpu backend only builds its exported actor files and does not change its speed.',
    });
    for (let i = 0; i < 4; i += 1) {
      h.time += 300;
      await h.step();
    }
    const steps = h.last('progress')?.totalSteps ?? 0;
    expect(steps).toBeGreaterThan(0);
    expect(steps % 2).toBe(0);
    // SAC gets no such note.
    await h.send(create('s', { start: 'paused' }));
    expect(h.of('notice').filter((notice) => notice.runId === 's')).toHaveLength(0);
  });

  it('after a WebGL context loss a PPO run goes on on wasm from its last checkpoint, still PPO', async () => {
    const h = newHost();
    h.nextBackend = 'webgl';
    await h.send(createPpo('p'));
    for (let i = 0; i < 4; i += 1) await h.step();
    await h.send({ type: 'pause', runId: 'p' });
    const checkpointStep = h.last('checkpoint')?.checkpoint.counters.totalSteps ?? -1;
    expect(checkpointStep).toBeGreaterThan(0);
    await h.send({ type: 'resume', runId: 'p' });
    await h.step();

    h.nextBackend = 'wasm';
    h.onContextLost?.();
    await h.router.settled();
    await Promise.resolve();

    const recreated = h.of('sessionCreated').filter((message) => message.runId === 'p');
    expect(recreated).toHaveLength(2);
    expect(recreated[1]).toMatchObject({ algorithm: 'ppo', totalSteps: checkpointStep });
    expect(h.of('notice').map((notice) => notice.message)).toContain(
      `The WebGL context was lost; its tensors are gone. "p" goes on on wasm from step ${checkpointStep} (its last checkpoint).`,
    );
    expect(h.of('phase').filter((message) => message.runId === 'p').slice(-2).map((message) => message.phase)).toEqual(['starting', 'running']);
  });
});
