/**
 * KernelSacAgent learns: a Trainer with it and the lecture defaults (bugs fixed, stop rule off) swings
 * the pendulum up by SAC-SPEC.md's criterion (mean of the last 10 episode scores above −200) within the
 * budget and for the seed of tests/rl/learning.test.ts (SacAgent on tfjs): 10,000 steps, seed 500, and
 * for seeds 1–3 too (each run takes ~5 s). Measured: seed 500 swings up at step 5,800, seeds 1, 2, 3 at
 * 6,600, 5,800, 6,200 (SAC-SPEC.md: the lecture's PyTorch SAC, bugs fixed, 5,200–5,800).
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/rl/sac/config';
import { KERNEL_SAC_ALGORITHM } from '../../src/rl/sac/kernel/algorithm';
import { SAC_TRAINER_ALGORITHM, Trainer } from '../../src/rl/trainer';

async function swingUpStep(seed: number, maxSteps: number): Promise<number | null> {
  const trainer = await Trainer.createWith({ ...SAC_TRAINER_ALGORITHM, ...KERNEL_SAC_ALGORITHM }, makeConfig({ seed, stopAtGoal: false, maxSteps }));
  try {
    while (trainer.stopReason === null && trainer.swingUpStep === null) trainer.runFor(200);
    return trainer.swingUpStep;
  } finally {
    trainer.dispose();
  }
}

describe('KernelSacAgent learning', () => {
  it.each([500, 1, 2, 3])('the lecture defaults (bugs fixed, seed %i) swing the pendulum up within 10,000 steps', async (seed) => {
    const steps = await swingUpStep(seed, 10_000);
    expect(steps).not.toBeNull();
    expect(steps ?? Infinity).toBeLessThanOrEqual(10_000);
  }, 400_000);
});
