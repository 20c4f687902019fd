import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { raceBackends } from '../../src/worker/fastestBackend';
import type { BackendName } from '../../src/worker/protocol';

describe('raceBackends (auto: fastest)', () => {
  it('measures each backend that starts, sorts fastest first and leaves tfjs on the winner', async () => {
    const activated: BackendName[] = [];
    const activate = async (backend: BackendName): Promise<string | null> => {
      activated.push(backend);
      if (backend === 'webgl') return 'no WebGL in Node'; // a backend that fails to start
      return (await tf.setBackend(backend)) ? null : `${backend} failed`;
    };
    await tf.setBackend('cpu');
    const tensorsBefore = tf.memory().numTensors;
    const { winner, measurements } = await raceBackends(['webgl', 'cpu', 'wasm'], 16, activate);
    expect(measurements.map((m) => m.backend).sort()).toEqual(['cpu', 'wasm', 'webgl']);
    const started = measurements.filter((m) => m.updatesPerSecond !== null);
    expect(started).toHaveLength(2);
    expect(started[0]?.updatesPerSecond).toBeGreaterThanOrEqual(started[1]?.updatesPerSecond ?? Infinity);
    expect(measurements[2]).toMatchObject({ backend: 'webgl', updatesPerSecond: null, problem: 'no WebGL in Node' });
    expect(winner).toBe(started[0]?.backend);
    expect(tf.getBackend()).toBe(winner);
    expect(activated.slice(0, 3)).toEqual(['webgl', 'cpu', 'wasm']);
    // The measuring runs are disposed (per backend: this backend's tensors are back to where they were).
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
