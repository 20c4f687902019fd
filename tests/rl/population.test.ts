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
    { backend: 'cpu', mode: 'perMember' },
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

/**
 * One SAC step for one member written with plain tfjs ops and autodiff (tf.grads), straight from
 * SAC-SPEC.md, independent of src/rl/sac and of the population's hand-written gradients.
 */
function referenceStep(
  parameters: { actor: Float32Array; critic: Float32Array; targetCritic: Float32Array; logAlpha: number },
  batch: Batch,
  nextNoise: Float32Array,
  noise: Float32Array,
  hp: UpdateHyperparameters,
): { actor: Float32Array; critic: Float32Array; targetCritic: Float32Array; logAlpha: number } {
  const { observationSize: O, actionSize: A, hiddenSize: H } = shape;
  const B = batch.size;
  const unpack = (flat: Float32Array, shapes: number[][]): tf.Tensor[] => {
    let offset = 0;
    return shapes.map((s) => {
      const size = s.reduce((a, b) => a * b, 1);
      const t = tf.tensor(flat.slice(offset, offset + size), s);
      offset += size;
      return t;
    });
  };
  const actorShapes = [[O, H], [H], [H, H], [H], [H, 2 * A], [2 * A]];
  const qShapes = [[O + A, H], [H], [H, H], [H], [H, 1], [1]];
  const mlp = (p: tf.Tensor[], x: tf.Tensor): tf.Tensor => {
    const h1 = tf.relu(tf.add(tf.matMul(x, p[0] as tf.Tensor2D), p[1]!));
    const h2 = tf.relu(tf.add(tf.matMul(h1 as tf.Tensor2D, p[2] as tf.Tensor2D), p[3]!));
    return tf.add(tf.matMul(h2 as tf.Tensor2D, p[4] as tf.Tensor2D), p[5]!);
  };
  const sample = (actor: tf.Tensor[], s: tf.Tensor, eps: tf.Tensor) => {
    const head = mlp(actor, s);
    const mean = tf.slice(head, [0, 0], [-1, A]);
    const logStd = tf.clipByValue(tf.slice(head, [0, A], [-1, A]), -20, 2);
    const action = tf.tanh(tf.add(mean, tf.mul(tf.exp(logStd), eps)));
    const logProb = tf.sum(tf.sub(tf.sub(tf.sub(tf.mul(tf.square(eps), -0.5), logStd), 0.5 * Math.log(2 * Math.PI)), tf.log(tf.add(tf.sub(1, tf.square(action)), 1e-6))), 1, true);
    return { action, logProb };
  };
  const adam = (params: tf.Tensor[], grads: tf.Tensor[], lr: number): tf.Tensor[] =>
    params.map((p, i) => {
      const g = grads[i]!;
      const m = tf.mul(g, 0.1);
      const v = tf.mul(tf.square(g), 0.001);
      return tf.sub(p, tf.mul(tf.div(m, tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(0.001)), 1e-8)), lr / 0.1));
    });
  const flat = (ts: tf.Tensor[]): Float32Array => Float32Array.from(tf.concat(ts.map((t) => tf.reshape(t, [-1]))).dataSync());
  return tf.tidy(() => {
    const s = tf.tensor2d(batch.observations, [B, O]);
    const a = tf.tensor2d(batch.actions, [B, A]);
    const r = tf.tensor2d(batch.rewards, [B, 1]);
    const s2 = tf.tensor2d(batch.nextObservations, [B, O]);
    const mask = tf.tensor2d(batch.masks, [B, 1]);
    const actor = unpack(parameters.actor, actorShapes);
    const criticFlat = unpack(parameters.critic, [...qShapes, ...qShapes]);
    const targetFlat = unpack(parameters.targetCritic, [...qShapes, ...qShapes]);
    const alpha = Math.exp(parameters.logAlpha);
    const q = (c: tf.Tensor[], x: tf.Tensor, u: tf.Tensor) => {
      const input = tf.concat([x, u], 1);
      return [mlp(c.slice(0, 6), input), mlp(c.slice(6, 12), input)] as const;
    };
    const next = sample(actor, s2, tf.tensor2d(nextNoise, [B, A]));
    const [t1, t2] = q(targetFlat, s2, next.action);
    const y = tf.add(r, tf.mul(tf.mul(mask, hp.gamma), tf.sub(tf.minimum(t1, t2), tf.mul(alpha, next.logProb))));
    const criticGrads = tf.grads((...c: tf.Tensor[]) => {
      const [q1, q2] = q(c, s, a);
      return tf.add(tf.mean(tf.square(tf.sub(q1, y))), tf.mean(tf.square(tf.sub(q2, y)))) as tf.Scalar;
    })(criticFlat);
    const critic = adam(criticFlat, criticGrads, hp.criticLr);
    const eps = tf.tensor2d(noise, [B, A]);
    const actorGrads = tf.grads((...p: tf.Tensor[]) => {
      const pi = sample(p, s, eps);
      const [q1, q2] = q(critic, s, pi.action);
      return tf.mean(tf.sub(tf.mul(alpha, pi.logProb), tf.minimum(q1, q2))) as tf.Scalar;
    })(actor);
    const newActor = adam(actor, actorGrads, hp.actorLr);
    const logProb = sample(actor, s, eps).logProb; // detached: computed with the actor before its step
    const alphaGrad = tf.grads((la: tf.Tensor) => tf.neg(tf.mean(tf.mul(la, tf.add(logProb, hp.targetEntropy)))) as tf.Scalar)([tf.scalar(parameters.logAlpha)]);
    const newLogAlpha = adam([tf.scalar(parameters.logAlpha)], alphaGrad, hp.alphaLr)[0]!;
    const target = targetFlat.map((t, i) => tf.add(tf.mul(critic[i]!, hp.tau), tf.mul(t, 1 - hp.tau)));
    return { actor: flat(newActor), critic: flat(critic), targetCritic: flat(target), logAlpha: newLogAlpha.dataSync()[0]! };
  });
}

describe('PopulationAgent: each member against an autodiff reference', () => {
  const cases: Array<{ backend: string; mode: MatMulMode }> = [
    { backend: 'wasm', mode: 'perMember' },
    { backend: 'wasm', mode: 'batched' },
    { backend: 'cpu', mode: 'batched' },
  ];
  for (const { backend, mode } of cases) {
    it(`K = 2, different settings: one update equals plain per-member tfjs + autodiff to 1e-5 (${backend}, ${mode})`, async () => {
      await tf.setBackend(backend);
      const seeds = [21, 22];
      const settings: UpdateHyperparameters[] = [defaults, { gamma: 0.9, tau: 0.05, actorLr: 2e-3, criticLr: 3e-3, alphaLr: 1e-2, targetEntropy: 0.5 }];
      const population = new PopulationAgent(seeds.map((seed) => new Rng(seed)), shape, { matMulMode: mode, initialAlphas: [1, 0.3] });
      try {
        const before = seeds.map((_, k) => population.memberParameters(k));
        const batches = seeds.map((seed) => filledBuffer(seed, 100).sample(new Rng(seed + 7), allocateBatch(32, 3, 1)));
        const rngs = seeds.map((seed) => new Rng(seed + 3000));
        // The noise each member will draw: ε' then ε, from a copy of its generator.
        const noises = rngs.map((rng) => {
          const copy = new Rng(0);
          copy.setState(rng.getState());
          return { next: copy.fillNormal(new Float32Array(32)), current: copy.fillNormal(new Float32Array(32)) };
        });
        population.update(batches, rngs, settings).dispose();
        for (let k = 0; k < 2; k++) {
          const expected = referenceStep(before[k]!, batches[k]!, noises[k]!.next, noises[k]!.current, settings[k]!);
          const actual = population.memberParameters(k);
          expect(maxAbsDifference(actual.actor, expected.actor)).toBeLessThan(1e-5);
          expect(maxAbsDifference(actual.critic, expected.critic)).toBeLessThan(1e-5);
          expect(maxAbsDifference(actual.targetCritic, expected.targetCritic)).toBeLessThan(1e-5);
          expect(Math.abs(actual.logAlpha - expected.logAlpha)).toBeLessThan(1e-5);
          // and the step moved every part (so a frozen or skipped step cannot pass)
          expect(maxAbsDifference(actual.actor, before[k]!.actor)).toBeGreaterThan(1e-4);
          expect(maxAbsDifference(actual.critic, before[k]!.critic)).toBeGreaterThan(1e-4);
        }
      } finally {
        population.dispose();
        await tf.setBackend('cpu');
      }
    });
  }
});
