import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/rng';
import { SacAgent } from '../../src/rl/sac/agent';
import { CpuPolicy } from '../../src/rl/sac/cpuPolicy';
import { ActorNetwork } from '../../src/rl/sac/networks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('CpuPolicy (the acting copy of the actor)', () => {
  it('gives the same μ and clamped log σ as the tfjs actor', () => {
    const rng = new Rng(3);
    const actor = new ActorNetwork(rng, 3, 1, 16);
    actor.headBias.assign(tf.tensor1d([0.1, 2.5])); // log σ head above the clamp for some inputs
    const policy = new CpuPolicy(3, 1, 16);
    const flat = tf.tidy(() => tf.concat(actor.variables.map((v) => tf.reshape(v, [-1]))));
    policy.load(flat.dataSync());
    flat.dispose();
    for (const observation of [Float32Array.of(1, 0, 0), Float32Array.of(-0.6, 0.8, 7.9), Float32Array.of(0, -1, -3)]) {
      const expected = tf.tidy(() => {
        const { mean, logStd } = actor.forward(tf.tensor2d(observation, [1, 3]));
        return [mean.dataSync()[0] ?? Number.NaN, logStd.dataSync()[0] ?? Number.NaN];
      });
      const out = policy.meanAndLogStd(observation, new Float32Array(2));
      expect(out[0]).toBeCloseTo(expected[0] ?? Number.NaN, 5);
      expect(out[1]).toBeCloseTo(expected[1] ?? Number.NaN, 5);
      expect(out[1]).toBeLessThanOrEqual(2);
    }
    actor.dispose();
  });

  it('refreshes after every update by default, and every N updates when asked', () => {
    const agent = new SacAgent(new Rng(4), { observationSize: 3, actionSize: 1, hiddenSize: 8, initialAlpha: 1, actionScale: 2 });
    const observation = Float32Array.of(0.3, 0.95, 1);
    // Same noise for every act(): a seeded generator cloned per call.
    const act = () => agent.act(observation, new Rng(99)).squashed[0];
    const batch = {
      size: 4,
      observations: new Float32Array(12).fill(0.5),
      actions: new Float32Array(4).fill(0.2),
      rewards: new Float32Array(4).fill(-1),
      nextObservations: new Float32Array(12).fill(0.4),
      masks: new Float32Array(4).fill(1),
    };
    const hp = { gamma: 0.99, tau: 0.005, actorLr: 0.05, criticLr: 0.05, alphaLr: 1e-4, targetEntropy: -1 };
    const initial = act();
    agent.update(batch, new Rng(1), hp).dispose();
    const afterOne = act();
    expect(afterOne).not.toBe(initial);

    agent.policySyncInterval = 3;
    agent.update(batch, new Rng(2), hp).dispose();
    agent.update(batch, new Rng(3), hp).dispose();
    expect(act()).toBe(afterOne); // stale for up to N − 1 updates
    agent.update(batch, new Rng(4), hp).dispose();
    expect(act()).not.toBe(afterOne);
    agent.dispose();
  });
});
