import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { measureTrainingRate } from '../../src/rl/benchmark';
import { raceBackends } from '../../src/worker/fastestBackend';
import type { BackendName, BackendShape } from '../../src/worker/protocol';

const SHAPE: BackendShape = { algorithm: 'sac', hiddenSize: 16, batchSize: 16, members: 1 };

describe('raceBackends (auto: measured)', () => {
  it('measures each backend that starts, sorts fastest first and leaves tfjs on the winner', async () => {
    const activated: BackendName[] = [];
    const activate = async (backend: BackendName): Promise<string | null> => {
      activated.push(backend);
      if (backend === 'webgl') return 'no WebGL in Node'; // a backend that fails to start
      return (await tf.setBackend(backend)) ? null : `${backend} failed`;
    };
    await tf.setBackend('cpu');
    const tensorsBefore = tf.memory().numTensors;
    const { winner, measurements } = await raceBackends(['webgl', 'cpu', 'wasm'], SHAPE, activate);
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

  it('switches back to the winner when it was not the last one measured (kernels and wasm differ only in the engine)', async () => {
    const activated: BackendName[] = [];
    const rates: Partial<Record<BackendName, number>> = { kernels: 900, wasm: 380 };
    let active: BackendName | null = null;
    const { winner, measurements } = await raceBackends(
      ['kernels', 'wasm'],
      SHAPE,
      async (backend) => {
        activated.push(backend);
        active = backend;
        return null;
      },
      async () => rates[active ?? 'cpu'] ?? 0,
    );
    expect(winner).toBe('kernels');
    expect(measurements.map((m) => [m.backend, m.updatesPerSecond])).toEqual([['kernels', 900], ['wasm', 380]]);
    expect(activated).toEqual(['kernels', 'wasm', 'kernels']);
  });
});

describe('measureTrainingRate at the run\'s algorithm', () => {
  it('times DDPG and TD3 with updates (warm-up shortened to one batch), not SAC', async () => {
    await tf.setBackend('cpu');
    for (const algorithm of ['ddpg', 'td3'] as const) {
      const rate = await measureTrainingRate({ algorithm, hiddenSize: 8, batchSize: 8, seconds: 0.05, warmupSteps: 16 });
      expect(rate.algorithm).toBe(algorithm);
      expect(rate.updatesPerSecond).toBeGreaterThan(0);
      // The profiled step ran an update: an env step alone launches only the actor's few kernels.
      expect(rate.kernelsPerUpdate).toBeGreaterThan(20);
    }
  });
});
