import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { SWING_UP_THRESHOLD } from '../../src/cli/summary';
import { makeConfig } from '../../src/rl/sac/config';
import { Trainer } from '../../src/rl/trainer';

describe('learning', () => {
  it('the lecture defaults (bugs fixed, seed 500) swing the pendulum up within 10,000 steps', async () => {
    await tf.setBackend('wasm');
    // Defaults of SAC-SPEC.md; only the stop rule is off so the criterion, not the goal, ends the check.
    const trainer = await Trainer.create(makeConfig({ stopAtGoal: false, maxSteps: 10_000 }));
    let swungUpAt: number | null = null;
    while (trainer.stopReason === null && swungUpAt === null) {
      for (const metrics of trainer.runFor(1000).episodes) {
        // Mean of the last 10 episode scores above −200 (SAC-SPEC.md's swing-up criterion).
        if (swungUpAt === null && metrics.episode >= 10 && metrics.avg10 > SWING_UP_THRESHOLD) swungUpAt = metrics.step;
      }
    }
    trainer.dispose();
    expect(swungUpAt).not.toBeNull();
    expect(swungUpAt ?? Infinity).toBeLessThanOrEqual(10_000);
  }, 400_000);
});
