/**
 * gSDE (gsde/gsde.ts) as ALGORITHMS.md states it: the action a = μ + zᵀE with E ~ N(0, S²) has the
 * density N(μ, v), v_j = Σ_i z_i² S_ij² (checked numerically by sampling), and the trainer draws a new
 * E exactly every `sde_sample_freq` steps and at each rollout start, acting with it in between.
 */
import { describe, expect, it } from 'vitest';
import { GSDE_VARIANCE_FLOOR, explorationNoise, gsdeVariance, sampleExplorationMatrix } from '../../src/rl/gsde/gsde';
import { createOnPolicyTrainer } from '../../src/rl/onPolicy/factory';
import { GaussianPolicy, gaussianLogDensity } from '../../src/rl/onPolicy/policy';
import { Rng } from '../../src/rl/rng';

describe('gSDE action density', () => {
  it('sampled actions μ + zᵀE follow exp(log-density) of N(μ, Σ_i z_i² S_ij²)', () => {
    const rng = new Rng(61);
    const H = 4;
    const A = 2;
    const features = Float64Array.of(0.9, -0.4, 0.1, 0.7);
    const logScale = Float64Array.of(-0.2, 0.3, 0.5, -1.0, 0.0, 0.2, -0.6, 0.4);
    const mean = Float64Array.of(0.25, -1.5);
    // v_j written out here: Σ_i z_i² exp(2 log S_ij).
    const expectedVariance = [0, 1].map((j) => features.reduce((sum, z, i) => sum + z * z * Math.exp(2 * (logScale[i * A + j] as number)), 0));
    const variance = new Float64Array(A);
    gsdeVariance(features, 1, H, logScale, A, variance);
    expect(variance[0]).toBeCloseTo((expectedVariance[0] as number) + GSDE_VARIANCE_FLOOR, 12);
    expect(variance[1]).toBeCloseTo((expectedVariance[1] as number) + GSDE_VARIANCE_FLOOR, 12);

    const samples = 40000;
    const matrix = new Float64Array(H * A);
    const noise = new Float64Array(A);
    const actions: number[][] = [[], []];
    for (let n = 0; n < samples; n++) {
      sampleExplorationMatrix(rng, logScale, matrix);
      explorationNoise(features, 0, H, matrix, 0, A, noise);
      for (let j = 0; j < A; j++) actions[j]!.push((mean[j] as number) + (noise[j] as number));
    }
    for (let j = 0; j < A; j++) {
      const values = actions[j]!;
      const sampleMean = values.reduce((a, b) => a + b, 0) / samples;
      const sampleVariance = values.reduce((a, b) => a + (b - sampleMean) ** 2, 0) / (samples - 1);
      expect(Math.abs(sampleMean - (mean[j] as number))).toBeLessThan(4 * Math.sqrt((variance[j] as number) / samples));
      expect(sampleVariance / (variance[j] as number)).toBeCloseTo(1, 1);
      // Probability of intervals: sample frequency against the integral of exp(log-density) (Simpson).
      const sd = Math.sqrt(variance[j] as number);
      for (const [lowSd, highSd] of [[-3, -1], [-1, -0.25], [-0.25, 0.5], [0.5, 2], [2, 4]] as const) {
        const low = (mean[j] as number) + lowSd * sd;
        const high = (mean[j] as number) + highSd * sd;
        const density = (x: number): number => {
          const point = new Float64Array(A);
          point[j] = x;
          const means = new Float64Array(A);
          means[j] = mean[j] as number;
          const variances = Float64Array.of(1, 1);
          variances[j] = variance[j] as number;
          // A one-dimensional density: the other dimension's term is that of N(0, 1) at 0, removed.
          return Math.exp(gaussianLogDensity(point, means, variances, 0, A) + 0.5 * Math.log(2 * Math.PI));
        };
        const steps = 200;
        const width = (high - low) / steps;
        let integral = density(low) + density(high);
        for (let k = 1; k < steps; k++) integral += (k % 2 === 1 ? 4 : 2) * density(low + k * width);
        integral *= width / 3;
        const frequency = values.filter((x) => x >= low && x < high).length / samples;
        const standardError = Math.sqrt((integral * (1 - integral)) / samples);
        expect(Math.abs(frequency - integral)).toBeLessThan(4 * standardError + 1e-4);
      }
    }
  });
});

describe('gSDE resampling in the trainer', () => {
  it.each([3, 0])('draws E at each rollout start and every sde_sample_freq (%i) steps, acting with it in between', (sdeSampleFreq) => {
    const nSteps = 10;
    const nEnvs = 2;
    const trainer = createOnPolicyTrainer('ppo', { seed: 7, nEnvs, nSteps, batchSize: 10, nEpochs: 1, sdeSampleFreq, hiddenSize: 8 });
    const policy = new GaussianPolicy({ observationSize: 3, actionSize: 1, hiddenSize: 8, exploration: 'gsde' });
    let previous = trainer.checkpoint().state.explorationMatrices;
    for (let step = 0; step < 3 * nSteps; step++) {
      const filledBefore = trainer.rolloutSteps;
      const parametersBefore = trainer.checkpoint().state.parameters;
      trainer.runFor(nEnvs);
      const state = trainer.checkpoint().state;
      const current = state.explorationMatrices;
      const expectedResample = filledBefore === 0 || (sdeSampleFreq > 0 && filledBefore % sdeSampleFreq === 0);
      expect({ step, changed: !current.every((value, i) => value === previous[i]) }).toEqual({ step, changed: expectedResample });
      // The stored actions of this step are μ(s) + z(s)ᵀE with this E (before the update phase, if one ran).
      if (state.rollout.filled > 0) {
        const t = state.rollout.filled - 1;
        const observations = state.rollout.observations.slice(t * nEnvs * 3, (t + 1) * nEnvs * 3);
        const evaluation = policy.evaluate(parametersBefore.subarray(0, policy.parameterCount), observations, nEnvs);
        for (let e = 0; e < nEnvs; e++) {
          const noise = new Float64Array(1);
          explorationNoise(evaluation.features, e * 8, 8, current, e * 8, 1, noise);
          expect(state.rollout.actions[t * nEnvs + e]).toBeCloseTo((evaluation.mean[e] as number) + (noise[0] as number), 12);
        }
      }
      previous = current;
    }
  });
});
