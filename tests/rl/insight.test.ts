/**
 * Issue 9's phase-space maps: the grid layout (row ↔ θ̇ from +8 down, column ↔ θ from −π), and for SAC,
 * TD3 and PPO (both exploration kinds) the map values at a few grid points equal the networks' outputs
 * computed directly for that single observation; no tensor growth over 50 refreshes.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeterministicAgent } from '../../src/rl/deterministic/agent';
import { deterministicInsightMaps } from '../../src/rl/insight/deterministicInsight';
import { cellObservation, gridObservations, gridState, gridSizeProblem, gridTheta, gridThetaDot } from '../../src/rl/insight/grid';
import { OnPolicyInsight } from '../../src/rl/insight/onPolicyInsight';
import { sacInsightMaps, sacInsightNoise, sacValueSamples } from '../../src/rl/insight/sacInsight';
import { createOnPolicyTrainer } from '../../src/rl/onPolicy/factory';
import { GaussianPolicy } from '../../src/rl/onPolicy/policy';
import { Rng } from '../../src/rl/rng';
import { SacAgent } from '../../src/rl/sac/agent';
import { squashedLogProb } from '../../src/rl/sac/squashedGaussian';
import { TD3_ALGORITHM } from '../../src/rl/td3/td3Algorithm';
import { makeTd3Config } from '../../src/rl/td3/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Cells that tell rows from columns (none on the diagonal only). */
const CELLS: ReadonlyArray<[number, number]> = [[0, 0], [0, 15], [15, 0], [3, 11], [12, 5], [8, 7]];
const G = 16;

function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
}

/** Dense(relu) → Dense(relu) → Dense on plain numbers from the variables' values (an independent forward). */
function reluStack(variables: readonly tf.Tensor[], input: number[]): number[] {
  let x = input;
  for (let layer = 0; layer < 3; layer++) {
    const kernel = variables[2 * layer] as tf.Tensor;
    const bias = (variables[2 * layer + 1] as tf.Tensor).dataSync();
    const [rows, cols] = kernel.shape as [number, number];
    const k = kernel.dataSync();
    const out: number[] = [];
    for (let c = 0; c < cols; c++) {
      let sum = bias[c] as number;
      for (let r = 0; r < rows; r++) sum += (x[r] as number) * (k[r * cols + c] as number);
      out.push(layer < 2 ? Math.max(0, sum) : sum);
    }
    x = out;
  }
  return x;
}

describe('the grid', () => {
  it('row r = θ̇ from +8 (top) down to −8, column c = θ from −π to +π, cell centres, row-major', () => {
    expect(gridThetaDot(G, 0)).toBeCloseTo(8 - 0.5, 12);
    expect(gridThetaDot(G, G - 1)).toBeCloseTo(-8 + 0.5, 12);
    expect(gridTheta(G, 0)).toBeCloseTo(-Math.PI + Math.PI / G, 12);
    expect(gridTheta(G, G - 1)).toBeCloseTo(Math.PI - Math.PI / G, 12);
    expect(gridState(64, 10, 20)).toEqual({ theta: -Math.PI + (20.5 * 2 * Math.PI) / 64, thetaDot: 8 - (10.5 * 16) / 64 });
    const observations = gridObservations(G);
    expect(observations.length).toBe(G * G * 3);
    for (const [row, column] of CELLS) {
      const i = row * G + column;
      const { theta, thetaDot } = gridState(G, row, column);
      expect(observations[3 * i]).toBeCloseTo(Math.cos(theta), 6);
      expect(observations[3 * i + 1]).toBeCloseTo(Math.sin(theta), 6);
      expect(observations[3 * i + 2]).toBeCloseTo(thetaDot, 6);
      expect(Array.from(cellObservation(G, row, column))).toEqual(Array.from(observations.subarray(3 * i, 3 * i + 3)));
    }
    expect(gridSizeProblem(64)).toBeNull();
    expect(gridSizeProblem(8)).toMatch(/16 to 128/);
    expect(gridSizeProblem(64.5)).toMatch(/integer/);
  });
});

describe('SAC maps', () => {
  it('equal the actor, twin critics and α evaluated directly at single observations', async () => {
    const agent = new SacAgent(new Rng(7), { observationSize: 3, actionSize: 1, hiddenSize: 16, initialAlpha: 0.3, actionScale: 2 });
    try {
      // Make log σ depend on the state enough to see it.
      agent.actor.headBias.assign(tf.tensor1d([0.2, -0.7]));
      const K = 4;
      expect(sacValueSamples(16, 'wasm')).toBe(K);
      expect(sacValueSamples(16, 'cpu')).toBe(1);
      expect(sacValueSamples(256, 'webgl')).toBe(1);
      const maps = await sacInsightMaps(agent, G, K);
      expect(maps.map((map) => map.key)).toEqual(['policyMean', 'value', 'spread']);
      for (const map of maps) expect(map.values.length).toBe(G * G);
      const [policyMean, value, spread] = maps.map((map) => map.values) as [Float32Array, Float32Array, Float32Array];
      const noise = sacInsightNoise(G * G, K);
      const alpha = agent.alpha();
      const criticVariables = agent.critic.variables;
      for (const [row, column] of CELLS) {
        const i = row * G + column;
        const observation = cellObservation(G, row, column);
        expectNear(policyMean[i] as number, agent.deterministicTorque(observation)[0] as number);
        const { mean, logStd } = agent.policyParameters(observation);
        expectNear(spread[i] as number, Math.exp(logStd[0] as number));
        let soft = 0;
        for (let k = 0; k < K; k++) {
          const { action, logProb } = squashedLogProb(mean[0] as number, logStd[0] as number, noise[k * G * G + i] as number);
          const input = [...observation, action];
          const q1 = reluStack(criticVariables.slice(0, 6), input)[0] as number;
          const q2 = reluStack(criticVariables.slice(6, 12), input)[0] as number;
          soft += Math.min(q1, q2) - alpha * logProb;
        }
        expectNear(value[i] as number, soft / K);
      }
    } finally {
      agent.dispose();
    }
  });

  it('no tensor growth over 50 refreshes', async () => {
    const agent = new SacAgent(new Rng(1), { observationSize: 3, actionSize: 1, hiddenSize: 16, initialAlpha: 1, actionScale: 2 });
    await sacInsightMaps(agent, G);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await sacInsightMaps(agent, G);
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });
});

describe('TD3 maps', () => {
  it('equal actionScale·μ(s) and Q1(s, μ(s)) evaluated directly; no spread', async () => {
    const config = makeTd3Config({ hiddenSize: 16, actionScale: 1.5 });
    const agent = TD3_ALGORITHM.createAgent(new Rng(5), { observationSize: 3, actionSize: 1 }, config) as DeterministicAgent<typeof config>;
    try {
      const maps = await deterministicInsightMaps(agent, G);
      expect(maps.map((map) => map.key)).toEqual(['policyMean', 'value']);
      const [policyMean, value] = maps.map((map) => map.values) as [Float32Array, Float32Array];
      for (const [row, column] of CELLS) {
        const i = row * G + column;
        const observation = cellObservation(G, row, column);
        const torque = agent.deterministicTorque(observation)[0] as number;
        expectNear(policyMean[i] as number, torque);
        // Independent forward: μ = tanh(actor(s)), Q1 on [s, μ].
        const mu = Math.tanh(reluStack(agent.actor, [...observation])[0] as number);
        expectNear(torque, 1.5 * mu);
        expectNear(value[i] as number, reluStack(agent.critics[0] as tf.Tensor[], [...observation, mu])[0] as number);
      }
      await deterministicInsightMaps(agent, G);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) await deterministicInsightMaps(agent, G);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      agent.dispose();
    }
  });
});

describe('PPO maps', () => {
  for (const useSde of [true, false]) {
    it(`equal clip(μ(s)), V(s) and the policy std directly (${useSde ? 'gSDE' : 'plain Gaussian'})`, () => {
      const trainer = createOnPolicyTrainer('ppo', { nEnvs: 2, nSteps: 100, batchSize: 50, hiddenSize: 16, nEpochs: 2, useSde, stopAtGoal: false, seed: 3 });
      trainer.runFor(400); // two update phases: networks away from their initialisation
      const maps = new OnPolicyInsight(trainer.model).maps(G);
      expect(maps.map((map) => map.key)).toEqual(['policyMean', 'value', 'spread']);
      const [policyMean, value, spread] = maps.map((map) => map.values) as [Float32Array, Float32Array, Float32Array];
      const model = trainer.model;
      const H = 16;
      const logScale = model.policy.explorationParameters(model.policyParameters);
      for (const [row, column] of CELLS) {
        const i = row * G + column;
        const observation = cellObservation(G, row, column);
        expectNear(policyMean[i] as number, trainer.deterministicTorque(observation));
        expectNear(value[i] as number, model.values(observation, 1, new Float64Array(1))[0] as number);
        let std: number;
        if (useSde) {
          // z(s) = the policy's last hidden layer for this one observation; std = sqrt(Σ z² S²).
          const z = new GaussianPolicy(model.shape).evaluate(model.policyParameters, observation, 1).features;
          let sum = 0;
          for (let j = 0; j < H; j++) sum += (z[j] as number) ** 2 * Math.exp(2 * (logScale[j] as number));
          std = Math.sqrt(sum);
        } else {
          std = Math.exp(logScale[0] as number);
        }
        expectNear(spread[i] as number, std);
      }
      if (!useSde) expect(new Set(spread).size).toBe(1);
    });
  }
});
