/**
 * The hand-written gradients of gradients.ts against tfjs autodiff of the reference losses (losses.ts,
 * squashedGaussian.ts, networks.ts forward): the fast path must be the same math as the equations.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/rng';
import { actorLossAndGradients, alphaLossAndGradient, criticLossAndGradients, twinStacks } from '../../src/rl/sac/gradients';
import { actorLoss, alphaLoss, criticLoss } from '../../src/rl/sac/losses';
import { ActorNetwork, TwinCriticNetwork, type DenseStack } from '../../src/rl/sac/networks';
import { sampleSquashedGaussian } from '../../src/rl/sac/squashedGaussian';

const B = 7;
const H = 8;

function randomTensor(rng: Rng, shape: [number, number], scale = 1): tf.Tensor2D {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
  return tf.tensor2d(values, shape);
}

/** Largest |a − b| relative to the largest |b| (so the tolerance is scale-free). */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  const a = actual.dataSync();
  const e = expected.dataSync();
  expect(a.length).toBe(e.length);
  let maxDiff = 0;
  let maxRef = 1e-8;
  for (let i = 0; i < e.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((a[i] ?? 0) - (e[i] ?? 0)));
    maxRef = Math.max(maxRef, Math.abs(e[i] ?? 0));
  }
  return maxDiff / maxRef;
}

// Both backends: on wasm, gradients.ts transposes explicitly instead of passing transpose flags.
describe.each(['cpu', 'wasm'])('hand-written SAC gradients equal autodiff of the losses (%s)', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('critic: MSE(Q1, y) + MSE(Q2, y)', () => {
    const rng = new Rng(11);
    const critic = new TwinCriticNetwork(rng, 3, 1, H);
    tf.tidy(() => {
      const s = randomTensor(rng, [B, 3]);
      const a = tf.tanh(randomTensor(rng, [B, 1])) as tf.Tensor2D;
      const y = randomTensor(rng, [B, 1], 5);
      const reference = tf.variableGrads(() => criticLoss(critic.forward(s, a), y), critic.variables);
      const manual = criticLossAndGradients(twinStacks(critic.variables), s, a, y);
      expect(manual.loss.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0] ?? Number.NaN, 4);
      critic.variables.forEach((variable, i) => {
        expect(manual.gradients[i]?.shape).toEqual(variable.shape);
        expect(relativeError(manual.gradients[i] as tf.Tensor, reference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-5);
      });
    });
    critic.dispose();
  });

  // Log σ heads inside the clamp, above 2 and below −20: the clamp must block the gradient outside.
  for (const logStdBias of [0, 4, -25]) {
    it(`actor: mean(α log π − min Q), log σ bias ${logStdBias}`, () => {
      const rng = new Rng(12 + logStdBias);
      const actor = new ActorNetwork(rng, 3, 1, H);
      const critic = new TwinCriticNetwork(rng, 3, 1, H);
      actor.headBias.assign(tf.tensor1d([0.3, logStdBias]));
      tf.tidy(() => {
        const s = randomTensor(rng, [B, 3]);
        const epsilon = randomTensor(rng, [B, 1]);
        const alpha = tf.scalar(0.7);
        const reference = tf.variableGrads(() => {
          const { mean, logStd } = actor.forward(s);
          const sample = sampleSquashedGaussian(mean, logStd, epsilon);
          return actorLoss(alpha, sample.logProb, critic.forward(s, sample.action));
        }, actor.variables);
        const manual = actorLossAndGradients(actor.variables as unknown as DenseStack, twinStacks(critic.variables), s, epsilon, alpha);
        expect(manual.loss.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0] ?? Number.NaN, 4);
        actor.variables.forEach((variable, i) => {
          expect(manual.gradients[i]?.shape).toEqual(variable.shape);
          expect(relativeError(manual.gradients[i] as tf.Tensor, reference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-4);
        });
        // The critic is held fixed: the manual path returns actor gradients only.
        expect(manual.gradients).toHaveLength(actor.variables.length);
      });
      actor.dispose();
      critic.dispose();
    });
  }

  it('temperature: J(α) = −mean(log α (log π + H̄)), log π detached', () => {
    const logAlpha = tf.variable(tf.scalar(-0.4));
    tf.tidy(() => {
      const logProb = tf.tensor2d([[0.5], [-1.2], [2.0]]);
      const reference = tf.variableGrads(() => alphaLoss(logAlpha, logProb, -1), [logAlpha]);
      const manual = alphaLossAndGradient(logAlpha, logProb, -1);
      expect(manual.loss.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0] ?? Number.NaN, 6);
      expect(manual.gradient.dataSync()[0]).toBeCloseTo((reference.grads[logAlpha.name] as tf.Tensor).dataSync()[0] ?? Number.NaN, 6);
      // By hand: −mean(log π + H̄) = −((0.5 − 1) + (−1.2 − 1) + (2 − 1)) / 3 = 0.5667.
      expect(manual.gradient.dataSync()[0]).toBeCloseTo(1.7 / 3, 6);
    });
    logAlpha.dispose();
  });
});

/*
 * Issue 10.8: a gradient check with an action of more than one dimension. Pendulum has one, so every
 * other test would pass with a log π averaged instead of summed over dimensions, or with the critic's
 * action-input gradient or the actor's [μ | log σ] head split taken from the wrong columns.
 */
describe.each(['cpu', 'wasm'])('two-dimensional actions (%s)', (backend) => {
  const A = 2;
  const OBS = 3;

  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('log π sums the per-dimension terms (checked on plain numbers)', () => {
    const mean = [[0.3, -0.8]];
    const logStd = [[-0.5, 0.4]];
    const epsilon = [[1.1, -0.3]];
    const got = tf.tidy(() => sampleSquashedGaussian(tf.tensor2d(mean), tf.tensor2d(logStd), tf.tensor2d(epsilon)).logProb.dataSync()[0]);
    // −ε²/2 − log σ − ½ log 2π − log(1 − tanh²(μ + σε) + 1e−6), per dimension, added.
    let expected = 0;
    for (let i = 0; i < A; i++) {
      const m = mean[0]?.[i] ?? 0;
      const l = logStd[0]?.[i] ?? 0;
      const e = epsilon[0]?.[i] ?? 0;
      const a = Math.tanh(m + Math.exp(l) * e);
      expected += -0.5 * e * e - l - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - a * a + 1e-6);
    }
    expect(got).toBeCloseTo(expected, 5);
  });

  it('critic and actor gradients equal autodiff with A = 2', () => {
    const rng = new Rng(31);
    const actor = new ActorNetwork(rng, OBS, A, H);
    const critic = new TwinCriticNetwork(rng, OBS, A, H);
    actor.headBias.assign(tf.tensor1d([0.3, -0.2, -0.5, 0.4]));
    tf.tidy(() => {
      const s = randomTensor(rng, [B, OBS]);
      const a = tf.tanh(randomTensor(rng, [B, A])) as tf.Tensor2D;
      const y = randomTensor(rng, [B, 1], 5);
      const criticReference = tf.variableGrads(() => criticLoss(critic.forward(s, a), y), critic.variables);
      const criticManual = criticLossAndGradients(twinStacks(critic.variables), s, a, y);
      critic.variables.forEach((variable, i) => {
        expect(criticManual.gradients[i]?.shape).toEqual(variable.shape);
        expect(relativeError(criticManual.gradients[i] as tf.Tensor, criticReference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-5);
      });

      const epsilon = randomTensor(rng, [B, A]);
      const alpha = tf.scalar(0.7);
      const actorReference = tf.variableGrads(() => {
        const { mean, logStd } = actor.forward(s);
        const sample = sampleSquashedGaussian(mean, logStd, epsilon);
        return actorLoss(alpha, sample.logProb, critic.forward(s, sample.action));
      }, actor.variables);
      const actorManual = actorLossAndGradients(actor.variables as unknown as DenseStack, twinStacks(critic.variables), s, epsilon, alpha);
      expect(actorManual.logProb.shape).toEqual([B, 1]);
      actor.variables.forEach((variable, i) => {
        expect(actorManual.gradients[i]?.shape).toEqual(variable.shape);
        expect(relativeError(actorManual.gradients[i] as tf.Tensor, actorReference.grads[variable.name] as tf.Tensor)).toBeLessThan(1e-4);
      });
    });
    actor.dispose();
    critic.dispose();
  });

  it('the actor head gradient (μ₁, μ₂, log σ₁, log σ₂) matches central finite differences of the loss', () => {
    const rng = new Rng(32);
    const actor = new ActorNetwork(rng, OBS, A, H);
    const critic = new TwinCriticNetwork(rng, OBS, A, H);
    const bias = [0.3, -0.2, -0.5, 0.4];
    const s = randomTensor(rng, [B, OBS]);
    const epsilon = randomTensor(rng, [B, A]);
    const alpha = tf.scalar(0.7);
    const lossAt = (headBias: number[]): number => {
      actor.headBias.assign(tf.tensor1d(headBias));
      return tf.tidy(() => {
        const { mean, logStd } = actor.forward(s);
        const sample = sampleSquashedGaussian(mean, logStd, epsilon);
        return actorLoss(alpha, sample.logProb, critic.forward(s, sample.action)).dataSync()[0] as number;
      });
    };
    actor.headBias.assign(tf.tensor1d(bias));
    const manual = tf.tidy(() => {
      const step = actorLossAndGradients(actor.variables as unknown as DenseStack, twinStacks(critic.variables), s, epsilon, alpha);
      return Array.from(step.gradients[5]?.dataSync() ?? []); // head bias: [μ₁, μ₂, log σ₁, log σ₂]
    });
    expect(manual).toHaveLength(2 * A);
    const h = 1e-2;
    bias.forEach((value, index) => {
      const plus = bias.map((v, i) => (i === index ? value + h : v));
      const minus = bias.map((v, i) => (i === index ? value - h : v));
      const numerical = (lossAt(plus) - lossAt(minus)) / (2 * h);
      const analytic = manual[index] as number;
      // float32 losses of size ~1: differences good to ~1e−5/h; the O(h²) term is smaller still.
      expect(Math.abs(numerical - analytic)).toBeLessThan(2e-3 + 0.02 * Math.abs(analytic));
    });
    // Each dimension has its own gradient (not one value copied to both columns).
    expect(manual[0]).not.toBeCloseTo(manual[1] as number, 4);
    s.dispose();
    epsilon.dispose();
    alpha.dispose();
    actor.dispose();
    critic.dispose();
  });
});
