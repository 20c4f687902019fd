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
