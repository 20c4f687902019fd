/**
 * Activating a backend sets the SAC engine with it: 'kernels' = tfjs on wasm + the hand-written engine;
 * any other backend = that tfjs backend + SAC on tfjs. An explicit choice falls back and says so.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sacEngine, setSacEngine } from '../../src/rl/sac/engine';

// The worker's wasm paths use the worker's own URL (self.location): Node's tfjs-backend-wasm finds its binaries itself.
vi.mock('../../src/worker/wasmSetup', () => ({}));
const { activateBackend, selectBackend } = await import('../../src/worker/backend');

afterAll(async () => {
  setSacEngine('tfjs');
  await tf.setBackend('cpu');
});

describe('activateBackend', () => {
  it("'kernels' puts tfjs on wasm and SAC on the hand-written engine; 'wasm' and 'cpu' put SAC back on tfjs", async () => {
    setSacEngine('tfjs');
    await expect(activateBackend('kernels')).resolves.toBeNull();
    expect(tf.getBackend()).toBe('wasm');
    expect(sacEngine()).toBe('kernels');
    await expect(activateBackend('wasm')).resolves.toBeNull();
    expect(sacEngine()).toBe('tfjs');
    await activateBackend('kernels');
    await expect(activateBackend('cpu')).resolves.toBeNull();
    expect(tf.getBackend()).toBe('cpu');
    expect(sacEngine()).toBe('tfjs');
  });

  it("an explicit 'kernels' is honoured; an explicit 'webgl' with no WebGL falls back to wasm and says why", async () => {
    const shape = { algorithm: 'sac' as const, hiddenSize: 16, batchSize: 16, members: 1 };
    const kernels = await selectBackend('kernels', shape);
    expect(kernels).toMatchObject({ requested: 'kernels', backend: 'kernels', fallbackReason: null });
    expect(sacEngine()).toBe('kernels');
    const webgl = await selectBackend('webgl', shape);
    expect(webgl.backend).toBe('wasm');
    expect(webgl.fallbackReason).toMatch(/webgl.*training on wasm/i);
    expect(sacEngine()).toBe('tfjs');
  });
});
