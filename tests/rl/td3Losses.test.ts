/**
 * TD3/DDPG math against independent references (ALGORITHMS.md): target smoothing and the losses worked by
 * hand on tiny inputs; the hand-written gradients against tfjs autodiff of losses.ts; and one whole
 * update of the agent against a float64 plain-JS recomputation of its networks, target and losses.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DDPG_ALGORITHM } from '../../src/rl/ddpg/ddpgAlgorithm';
import { makeDdpgConfig } from '../../src/rl/ddpg/config';
import { actorLossAndGradients, criticLossAndGradients, criticsForward } from '../../src/rl/deterministic/gradients';
import { deterministicActorLoss, deterministicCriticLoss, deterministicCriticTarget, smoothedTargetAction } from '../../src/rl/deterministic/losses';
import { asDenseStack, createDenseStack } from '../../src/rl/deterministic/networks';
import type { DeterministicAgent } from '../../src/rl/deterministic/agent';
import type { DeterministicAgentState } from '../../src/rl/deterministic/agentState';
import type { TrainerAlgorithm } from '../../src/rl/offPolicyAgent';
import type { Batch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { TD3_ALGORITHM } from '../../src/rl/td3/td3Algorithm';
import { makeTd3Config } from '../../src/rl/td3/config';

const values = (tensor: tf.Tensor): number[] => Array.from(tensor.dataSync());

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TD3 target policy smoothing (worked by hand)', () => {
  it('clips the noise to ±0.5·scale and the target action to ±scale (torque units, scale 2)', () => {
    tf.tidy(() => {
      // σ 0.2, c 0.5, bound 2: noise = clip(2·0.2·ε, −1, 1); action = clip(μ + noise, −2, 2).
      const mu = tf.tensor2d([[1.9], [0.3], [0.3], [-0.5], [-1.8], [0]]);
      const epsilon = tf.tensor2d([[10], [10], [1], [-1], [-3], [0.5]]);
      const result = smoothedTargetAction(mu as tf.Tensor2D, epsilon as tf.Tensor2D, { noiseStd: 0.2, noiseClip: 0.5, bound: 2 });
      // 1.9+1 → 2 (action clip); 0.3+1 (noise clipped at 1, not 4); 0.3+0.4; −0.5−0.4; −1.8−1 → −2; 0+0.2.
      const expected = [2, 1.3, 0.7, -0.9, -2, 0.2];
      values(result).forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? Number.NaN, 6));
    });
  });

  it('in units of the bound (bound 1, as the agent calls it) the same draws give half the torques', () => {
    tf.tidy(() => {
      const mu = tf.tensor2d([[0.95], [0.15], [0.15]]);
      const epsilon = tf.tensor2d([[10], [10], [1]]);
      const result = smoothedTargetAction(mu as tf.Tensor2D, epsilon as tf.Tensor2D, { noiseStd: 0.2, noiseClip: 0.5, bound: 1 });
      [1, 0.65, 0.35].forEach((value, i) => expect(values(result)[i]).toBeCloseTo(value, 6));
    });
  });
});

describe('critic target and losses on a tiny batch (worked by hand)', () => {
  it('y = r + γ·mask·min(Q̄1, Q̄2); critic loss = MSE1 + MSE2; actor loss = −mean Q1', () => {
    tf.tidy(() => {
      const rewards = tf.tensor2d([[-1], [-2]]) as tf.Tensor2D;
      const masks = tf.tensor2d([[1], [0]]) as tf.Tensor2D;
      const nextTargetQ = tf.tensor3d([[[3], [-1]], [[2], [5]]]);
      const y = deterministicCriticTarget(rewards, masks, nextTargetQ, 0.98);
      // min per row: 2, −1; y = −1 + 0.98·2 = 0.96; −2 + 0 (mask 0).
      expect(values(y)[0]).toBeCloseTo(0.96, 6);
      expect(values(y)[1]).toBeCloseTo(-2, 6);
      const q = tf.tensor3d([[[1], [-1]], [[0], [-3]]]);
      // MSE1 = ((1 − 0.96)² + (−1 + 2)²)/2 = 0.5008; MSE2 = ((0 − 0.96)² + (−3 + 2)²)/2 = 0.9608.
      expect(values(deterministicCriticLoss(q, y))[0]).toBeCloseTo(1.4616, 5);
      // DDPG: one critic, the target from Q̄1 alone: y = −1 + 0.98·3 = 1.94.
      expect(values(deterministicCriticTarget(rewards, masks, tf.tensor3d([[[3], [-1]]]), 0.98))[0]).toBeCloseTo(1.94, 6);
      expect(values(deterministicActorLoss(tf.tensor2d([[3], [-1]]) as tf.Tensor2D))[0]).toBeCloseTo(-1, 6);
    });
  });
});

/** Largest |a − b| over the largest |b|. */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  const a = actual.dataSync();
  const e = expected.dataSync();
  expect(a.length).toBe(e.length);
  let diff = 0;
  let reference = 1e-8;
  for (let i = 0; i < e.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] ?? 0) - (e[i] ?? 0)));
    reference = Math.max(reference, Math.abs(e[i] ?? 0));
  }
  return diff / reference;
}

describe.each(['cpu', 'wasm'])('hand-written DDPG/TD3 gradients equal autodiff of losses.ts (%s)', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it.each([1, 2])('critic loss with %i critic(s)', (criticCount) => {
    const rng = new Rng(21 + criticCount);
    const critics = Array.from({ length: criticCount }, () => createDenseStack(rng, 4, 8, 1));
    tf.tidy(() => {
      const s = tf.randomNormal([7, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
      const a = tf.randomUniform([7, 1], -1, 1, 'float32', 2) as tf.Tensor2D;
      const y = tf.randomNormal([7, 1], 0, 5, 'float32', 3) as tf.Tensor2D;
      const reference = tf.variableGrads(() => deterministicCriticLoss(criticsForward(critics.map(asDenseStack), s, a).q, y), critics.flat());
      const manual = criticLossAndGradients(critics.map(asDenseStack), s, a, y);
      expect(values(manual.loss)[0]).toBeCloseTo(values(reference.value)[0] ?? Number.NaN, 4);
      critics.flat().forEach((variable, i) => expect(relativeError(manual.gradients[i] as tf.Tensor, reference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-5));
    });
    critics.flat().forEach((variable) => variable.dispose());
  });

  it('actor loss −mean Q1(s, tanh f(s)) with the critic held fixed', () => {
    const rng = new Rng(31);
    const actor = createDenseStack(rng, 3, 8, 1);
    const critic = createDenseStack(rng, 4, 8, 1);
    tf.tidy(() => {
      const s = tf.randomNormal([7, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
      const reference = tf.variableGrads(() => {
        const action = tf.tanh(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(s, actor[0] as tf.Tensor), actor[1] as tf.Tensor)), actor[2] as tf.Tensor), actor[3] as tf.Tensor)), actor[4] as tf.Tensor), actor[5] as tf.Tensor));
        return deterministicActorLoss(criticsForward([asDenseStack(critic)], s, action as tf.Tensor2D).q.squeeze([0]) as tf.Tensor2D);
      }, actor);
      const manual = actorLossAndGradients(asDenseStack(actor), asDenseStack(critic), s, true);
      expect(values(manual.loss)[0]).toBeCloseTo(values(reference.value)[0] ?? Number.NaN, 5);
      actor.forEach((variable, i) => expect(relativeError(manual.gradients?.[i] as tf.Tensor, reference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-5));
    });
    [...actor, ...critic].forEach((variable) => variable.dispose());
  });
});

// ---- One whole update against a float64 plain-JS recomputation ----

/** Dense stack in float64 from flat weights [k1 (in×H) | b1 | k2 (H×H) | b2 | k3 (H×out) | b3]. */
function mlp(flat: Float32Array, offset: number, inputSize: number, hidden: number, outputSize: number, input: number[]): number[] {
  let at = offset;
  const layer = (x: number[], inSize: number, outSize: number, relu: boolean): number[] => {
    const kernel = at;
    const bias = at + inSize * outSize;
    at = bias + outSize;
    return Array.from({ length: outSize }, (_, j) => {
      let sum = flat[bias + j] ?? 0;
      for (let i = 0; i < inSize; i++) sum += (x[i] ?? 0) * (flat[kernel + i * outSize + j] ?? 0);
      return relu ? Math.max(0, sum) : sum;
    });
  };
  return layer(layer(layer(input, inputSize, hidden, true), hidden, hidden, true), hidden, outputSize, false);
}

/** An agent of `algorithm` and its update with `config` (the config type stays with its algorithm). */
function withConfig<C>(algorithm: TrainerAlgorithm<C, DeterministicAgent<C>, DeterministicAgentState>, config: C): { agent: DeterministicAgent<C>; update: (batch: Batch, rng: Rng) => tf.Tensor1D } {
  const agent = algorithm.createAgent(new Rng(3), { observationSize: 3, actionSize: 1 }, config);
  return { agent, update: (batch, rng) => agent.update(batch, rng, config) };
}

describe.each([
  ['DDPG', 1],
  ['TD3', 2],
] as const)('%s: one update reports the losses a float64 recomputation gives', (name, criticCount) => {
  it('critic loss (target from the target nets, smoothing noise from the run generator), actor loss after the critic step, Q mean', async () => {
    await tf.setBackend('cpu');
    const O = 3;
    const H = 6;
    const B = 5;
    const criticSize = (O + 1) * H + H + H * H + H + H + 1;
    // A large smoothing σ so that the clip at ±0.5 matters for most rows.
    const { agent, update } =
      name === 'TD3'
        ? withConfig(TD3_ALGORITHM, makeTd3Config({ hiddenSize: H, gamma: 0.9, targetPolicyNoise: 1.5, targetNoiseClip: 0.5, policyDelay: 1 }))
        : withConfig(DDPG_ALGORITHM, makeDdpgConfig({ hiddenSize: H, gamma: 0.9 }));
    // Move the targets away from the online nets, so a mix-up of the two shows.
    const state = agent.getState();
    state.targetActor = state.targetActor.map((value, i) => value + 0.05 * Math.sin(i));
    state.targetCritics = state.targetCritics.map((value, i) => value + 0.05 * Math.cos(i));
    agent.setState(state);

    const data = new Rng(9);
    const batch: Batch = {
      size: B,
      observations: Float32Array.from({ length: B * O }, () => data.normal()),
      actions: Float32Array.from({ length: B }, () => data.uniform(-1, 1)),
      rewards: Float32Array.from({ length: B }, () => -data.uniform(0, 10)),
      nextObservations: Float32Array.from({ length: B * O }, () => data.normal()),
      masks: Float32Array.from([1, 1, 0, 1, 1]),
    };
    const rng = new Rng(77);
    const replica = new Rng(1);
    replica.setState(rng.getState());
    const noise = name === 'TD3' ? replica.fillNormal(new Float32Array(B)) : new Float32Array(B);

    const before = agent.getState();
    const stats = update(batch, rng);
    const [criticLoss, actorLoss, qMean] = Array.from(stats.dataSync());
    stats.dispose();
    const after = agent.getState();

    const row = (array: Float32Array, b: number, size: number): number[] => Array.from(array.subarray(b * size, (b + 1) * size));
    let expectedCriticLoss = 0;
    let expectedQ1 = 0;
    let expectedActorLoss = 0;
    for (let b = 0; b < B; b++) {
      const next = row(batch.nextObservations, b, O);
      let targetAction = Math.tanh(mlp(before.targetActor, 0, O, H, 1, next)[0] ?? Number.NaN);
      if (name === 'TD3') targetAction = Math.min(1, Math.max(-1, targetAction + Math.min(0.5, Math.max(-0.5, 1.5 * (noise[b] ?? 0)))));
      const nextQ = Array.from({ length: criticCount }, (_, k) => mlp(before.targetCritics, k * criticSize, O + 1, H, 1, [...next, targetAction])[0] ?? Number.NaN);
      const y = (batch.rewards[b] ?? 0) + 0.9 * (batch.masks[b] ?? 0) * Math.min(...nextQ);
      const input = [...row(batch.observations, b, O), batch.actions[b] ?? 0];
      for (let k = 0; k < criticCount; k++) {
        const q = mlp(before.critics, k * criticSize, O + 1, H, 1, input)[0] ?? Number.NaN;
        expectedCriticLoss += (q - y) ** 2 / B;
        if (k === 0) expectedQ1 += q / B;
      }
      const observation = row(batch.observations, b, O);
      const action = Math.tanh(mlp(before.actor, 0, O, H, 1, observation)[0] ?? Number.NaN);
      expectedActorLoss -= (mlp(after.critics, 0, O + 1, H, 1, [...observation, action])[0] ?? Number.NaN) / B;
    }
    expect(criticLoss).toBeCloseTo(expectedCriticLoss, 4);
    expect(qMean).toBeCloseTo(expectedQ1, 5);
    expect(actorLoss).toBeCloseTo(expectedActorLoss, 5);
    agent.dispose();
  });
});
