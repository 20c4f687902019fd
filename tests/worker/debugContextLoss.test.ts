/**
 * The `debugLoseWebglContext` test hook (issue 10.7) in the router, with a fake host: it asks the host
 * to lose the context (the real one calls WEBGL_lose_context in the worker), the watch then drives the
 * usual recovery, and the backend the sessions get afterwards says why they are on wasm. When the
 * worker is not on WebGL, the hook says so instead of pretending.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/rl/sac/config';
import type { BackendChoice, BackendMessage, BackendName, CreateSessionMessage, WorkerToPage } from '../../src/worker/protocol';
import { SessionRouter } from '../../src/worker/router';

function setup(options: { backend: BackendName; canLose: boolean }) {
  const posts: WorkerToPage[] = [];
  let onLost: (() => void) | null = null;
  let backend = options.backend;
  const router = new SessionRouter({
    post: (message) => posts.push(structuredClone(message)),
    now: () => 0,
    selectBackend: (choice: BackendChoice): Promise<BackendMessage> =>
      Promise.resolve({ type: 'backend', runId: null, requested: choice, backend, renderer: null, softwareRenderer: false, fallbackReason: null }),
    watchContextLoss: (lost) => {
      onLost = lost;
      return () => {
        onLost = null;
      };
    },
    // Slices are not run here: only creation and recovery matter.
    runSoon: () => undefined,
    runLater: () => () => undefined,
    ...(options.canLose
      ? {
          loseWebglContext: () => {
            if (backend !== 'webgl') return 'not on WebGL';
            backend = 'wasm'; // what the next selectBackend finds
            onLost?.();
            return null;
          },
        }
      : {}),
  });
  return { router, posts };
}

const create = (runId: string, backend: BackendChoice): CreateSessionMessage => ({
  type: 'createSession', runId, runName: runId, algorithm: 'sac', config: makeConfig({ hiddenSize: 16, batchSize: 16, bufferSize: 1000 }), backend,
  speed: { mode: 'fast', multiplier: 1 }, start: 'paused',
});

const routers: SessionRouter[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(async () => {
  for (const router of routers.splice(0)) for (const runId of router.runIds) await router.receive({ type: 'disposeSession', runId });
});

describe('debugLoseWebglContext (test hook)', () => {
  it('on WebGL: the loss is recovered like a real one, and the new backend says why it is wasm', async () => {
    const { router, posts } = setup({ backend: 'webgl', canLose: true });
    routers.push(router);
    await router.receive(create('a', 'webgl'));
    await router.receive({ type: 'debugLoseWebglContext', runId: 'a' });
    await router.settled();
    const backends = posts.filter((message): message is BackendMessage => message.type === 'backend');
    expect(backends.map((message) => message.backend)).toEqual(['webgl', 'wasm']);
    expect(backends[1]?.requested).toBe('webgl');
    expect(backends[1]?.fallbackReason).toBe('WebGL lost its context (its tensors are gone): training goes on on wasm');
    expect(posts.filter((message) => message.type === 'sessionCreated')).toHaveLength(2);
    const notices = posts.flatMap((message) => (message.type === 'notice' ? [message.message] : []));
    expect(notices).toEqual(['The WebGL context was lost; its tensors are gone. "a" goes on on wasm from step 0 (the start: no checkpoint yet).']);
  });

  it('off WebGL, or with no way to lose it: a notice says nothing was lost, and the session is untouched', async () => {
    for (const options of [{ backend: 'wasm' as const, canLose: true }, { backend: 'webgl' as const, canLose: false }]) {
      const { router, posts } = setup(options);
      routers.push(router);
      await router.receive(create('a', options.backend));
      await router.receive({ type: 'debugLoseWebglContext', runId: 'a' });
      const notices = posts.flatMap((message) => (message.type === 'notice' ? [message.message] : []));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^No WebGL context was lost: (not on WebGL|this worker has no way to lose its WebGL context)\.$/);
      expect(posts.filter((message) => message.type === 'sessionCreated')).toHaveLength(1);
      expect(posts.filter((message) => message.type === 'error')).toEqual([]);
    }
  });
});
