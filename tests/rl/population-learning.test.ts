import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { PopulationTrainer } from '../../src/rl/population/populationTrainer';
import { makeConfig } from '../../src/rl/sac/config';

describe('population learning', () => {
  it('K = 3 seeds with the SAC defaults in one population: at least 2 of 3 swing up within 12,000 env steps each', async () => {
    await tf.setBackend('wasm');
    // Defaults of SAC-SPEC.md with the stop rule off, as tests/rl/learning.test.ts; a member is done once
    // the mean of its last 10 episode scores is above −200 (its swing-up step) or after 12,000 steps.
    const tensorsBefore = tf.memory().numTensors;
    const seeds = [500, 1, 2];
    const population = await PopulationTrainer.create(seeds.map((seed) => makeConfig({ seed, stopAtGoal: false, maxSteps: 12_000 })));
    try {
      while (population.running) {
        population.runFor(200);
        seeds.forEach((_, k) => {
          if (population.memberView(k).swingUpStep !== null && population.memberView(k).stopReason === null) population.stop(k);
        });
      }
      const swingUps = seeds.map((_, k) => population.memberView(k).swingUpStep);
      console.log(`population swing-up steps (seeds ${seeds.join(', ')}): ${swingUps.map((step) => step ?? 'never').join(', ')}`);
      expect(swingUps.filter((step) => step !== null && step <= 12_000).length).toBeGreaterThanOrEqual(2);
    } finally {
      population.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 1_500_000);
});
