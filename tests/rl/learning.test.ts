import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { measureSwingUp } from '../../src/rl/benchmark';

describe('learning', () => {
  it('the lecture defaults (bugs fixed, seed 500) swing the pendulum up within 10,000 steps', async () => {
    await tf.setBackend('wasm');
    // Defaults of SAC-SPEC.md with the stop rule off, until the mean of the last 10 episode scores is
    // above −200 (SAC-SPEC.md's swing-up criterion) or 10,000 steps have run.
    const tensorsBefore = tf.memory().numTensors;
    const result = await measureSwingUp(500, 10_000);
    expect(result.steps).not.toBeNull();
    expect(result.steps ?? Infinity).toBeLessThanOrEqual(10_000);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 400_000);
});
