import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PopulationAgent } from '../../src/rl/population/populationAgent';
import type { MatMulMode } from '../../src/rl/population/batchedMath';
import { ReplayBuffer, allocateBatch, type Batch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { SacAgent, type AgentShape, type UpdateHyperparameters } from '../../src/rl/sac/agent';

const shape: AgentShape = { observationSize: 3, actionSize: 1, hiddenSize: 16, initialAlpha: 1, actionScale: 2 };
const defaults: UpdateHyperparameters = { gamma: 0.99, tau: 0.005, actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-4, targetEntropy: -1 };

/** A buffer of plausible Pendulum transitions from a generator (no env needed for update checks). */
function filledBuffer(seed: number, count: number): ReplayBuffer {
  const rng = new Rng(seed);
  const buffer = new ReplayBuffer(count, 3, 1);
  for (let i = 0; i < count; i++) {
    const theta = rng.uniform(-Math.PI, Math.PI);
    const thetaDot = rng.uniform(-8, 8);
    buffer.add({
      observation: [Math.cos(theta), Math.sin(theta), thetaDot],
      action: [rng.uniform(-0.99, 0.99)],
      reward: rng.uniform(-16, 0),
      nextObservation: [Math.cos(theta + 0.1), Math.sin(theta + 0.1), thetaDot * 0.9],
      mask: 1,
    });
  }
  return buffer;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PopulationAgent: each member is a SacAgent', () => {
  const cases: Array<{ backend: string; mode: MatMulMode }> = [
    { backend: 'cpu', mode: 'batched' },
    { backend: 'wasm', mode: 'perMember' },
    { backend: 'wasm', mode: 'batched' },
  ];
  for (const { backend, mode } of cases) {
    it(`K = 2 with different settings: member k's updates equal SacAgent's on the same minibatches (${backend}, ${mode})`, async () => {
      await tf.setBackend(backend);
      const seeds = [11, 12];
      const settings: UpdateHyperparameters[] = [defaults, { gamma: 0.95, tau: 0.02, actorLr: 3e-3, criticLr: 5e-4, alphaLr: 1e-3, targetEntropy: -0.5 }];
      const population = new PopulationAgent(seeds.map((seed) => new Rng(seed)), shape, { matMulMode: mode });
      const singles = seeds.map((seed) => new SacAgent(new Rng(seed), shape));
      const buffers = seeds.map((seed) => filledBuffer(seed + 100, 200));
      const batches: Batch[] = seeds.map(() => allocateBatch(32, 3, 1));
      // Separate but identical noise streams for the population and the single agents.
      const populationRngs = seeds.map((seed) => new Rng(seed + 1000));
      const singleRngs = seeds.map((seed) => new Rng(seed + 1000));
      const samplers = seeds.map((seed) => new Rng(seed + 2000));
      try {
        for (let k = 0; k < 2; k++) {
          // Same initial weights by construction (the same draws as SacAgent's constructor).
          const state = singles[k]!.getState();
          const member = population.memberParameters(k);
          expect(maxAbsDifference(member.actor, state.actor)).toBe(0);
          expect(maxAbsDifference(member.critic, state.critic)).toBe(0);
          expect(maxAbsDifference(member.targetCritic, state.targetCritic)).toBe(0);
        }
        for (let step = 0; step < 5; step++) {
          seeds.forEach((_, k) => buffers[k]!.sample(samplers[k]!, batches[k]!));
          const stats = population.update(batches, populationRngs, settings);
          const statsValues = stats.arraySync() as number[][];
          stats.dispose();
          for (let k = 0; k < 2; k++) {
            const single = singles[k]!.update(batches[k]!, singleRngs[k]!, settings[k]!);
            const singleStats = Float32Array.from(single.dataSync());
            single.dispose();
            expect(maxAbsDifference(Float32Array.from(statsValues[k]!), singleStats)).toBeLessThan(1e-4 * Math.max(1, ...Array.from(singleStats, Math.abs)));
            const state = singles[k]!.getState();
            const member = population.memberParameters(k);
            expect(maxAbsDifference(member.actor, state.actor)).toBeLessThan(1e-5);
            expect(maxAbsDifference(member.critic, state.critic)).toBeLessThan(1e-5);
            expect(maxAbsDifference(member.targetCritic, state.targetCritic)).toBeLessThan(1e-5);
            expect(Math.abs(member.logAlpha - (state.logAlpha[0] ?? Number.NaN))).toBeLessThan(1e-6);
          }
        }
        // The two members really are different runs (different weights and settings).
        expect(maxAbsDifference(population.memberParameters(0).actor, population.memberParameters(1).actor)).toBeGreaterThan(1e-3);
      } finally {
        population.dispose();
        singles.forEach((agent) => agent.dispose());
        await tf.setBackend('cpu');
      }
    });
  }
});
