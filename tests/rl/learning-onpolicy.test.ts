/**
 * Learning (issue 8, "How well"): with the zoo's defaults, PPO and TRPO reach a last-10 mean above −200
 * within 100,000 env steps on at least 2 of 3 seeds (the zoo measured ≈ 55k for PPO, ≈ 73k for TRPO).
 * Each seed stops at its swing-up; the third seed runs only when the first two do not settle it.
 * Slow by nature (minutes on 2 cores): a limit, not a speed assertion.
 */
import { describe, expect, it } from 'vitest';
import { createOnPolicyTrainer } from '../../src/rl/onPolicy/factory';
import type { OnPolicyAlgorithmId } from '../../src/rl/onPolicy/descriptors';

const BUDGET = 100_000;
const SEEDS = [1, 2, 3];

function stepsToSwingUp(algorithm: OnPolicyAlgorithmId, seed: number): number | null {
  const trainer = createOnPolicyTrainer(algorithm, { seed, maxSteps: BUDGET, stopAtGoal: false });
  while (trainer.stopReason === null && trainer.swingUpStep === null) trainer.runFor(4096);
  return trainer.swingUpStep;
}

describe.each(['ppo', 'trpo'] as const)('%s learns the swing-up with zoo defaults', (algorithm) => {
  it(`last-10 mean > −200 within ${BUDGET} env steps on at least 2 of 3 seeds`, () => {
    const results: Array<{ seed: number; swingUpStep: number | null }> = [];
    for (const seed of SEEDS) {
      const successes = results.filter((r) => r.swingUpStep !== null).length;
      const failures = results.length - successes;
      if (successes >= 2 || failures >= 2) break;
      results.push({ seed, swingUpStep: stepsToSwingUp(algorithm, seed) });
    }
    console.log(`${algorithm}: ${results.map((r) => `seed ${r.seed}: ${r.swingUpStep ?? 'not within budget'}`).join(', ')}`);
    expect(results.filter((r) => r.swingUpStep !== null).length).toBeGreaterThanOrEqual(2);
  }, 900_000);
});
