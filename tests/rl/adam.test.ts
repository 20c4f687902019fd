/**
 * Adam against PyTorch's torch.optim.Adam rule (defaults β1 0.9, β2 0.999, ε 1e−8, no weight decay),
 * worked by hand in plain JavaScript for three steps:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../../src/rl/sac/adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS PyTorch Adam on a flat vector; returns θ after each step. */
function torchAdam(theta0: number[], gradients: number[][], learningRates: number[]): number[][] {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const theta = [...theta0];
  const m = theta0.map(() => 0);
  const v = theta0.map(() => 0);
  const history: number[][] = [];
  gradients.forEach((g, stepIndex) => {
    const t = stepIndex + 1;
    const lr = learningRates[stepIndex] ?? Number.NaN;
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i] ?? Number.NaN;
      m[i] = beta1 * (m[i] ?? 0) + (1 - beta1) * gi;
      v[i] = beta2 * (v[i] ?? 0) + (1 - beta2) * gi * gi;
      const denom = Math.sqrt(v[i] ?? 0) / Math.sqrt(1 - beta2 ** t) + eps;
      theta[i] = (theta[i] ?? 0) - (lr / (1 - beta1 ** t)) * ((m[i] ?? 0) / denom);
    }
    history.push([...theta]);
  });
  return history;
}

function expectClose(actual: ArrayLike<number>, expected: number[], tolerance = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] ?? Number.NaN) - e)).toBeLessThanOrEqual(tolerance));
}

describe('Adam (PyTorch rule)', () => {
  it('the hand-worked reference itself: first step moves each coordinate by ≈ lr·sign(g)', () => {
    // t = 1: m = 0.1g, v = 0.001g², m/(1−0.9) = g, √v/√0.001 = |g| → Δθ = −lr·g/(|g| + 1e−8).
    const [first] = torchAdam([1, 1, 1], [[0.5, -3, 0]], [0.1]);
    expectClose(first ?? [], [1 - 0.1 * (0.5 / (0.5 + 1e-8)), 1 + 0.1 * (3 / (3 + 1e-8)), 1], 1e-12);
  });

  it('three steps on a vector and a matrix (fused path), lr 0.1', () => {
    const theta1 = [1, -2, 0.5, 3];
    const theta2 = [0.1, 0.2, -0.3, 0.4];
    // Known gradients per step: sign changes, a zero, very different scales.
    const g1 = [
      [0.1, -0.2, 0, 5],
      [-0.3, -0.1, 0.4, 2],
      [0.05, 0.3, -0.2, -1],
    ];
    const g2 = [
      [1, -1, 0.01, 0],
      [0.5, 2, -0.01, 0.3],
      [-0.7, 0.1, 0.02, -0.3],
    ];
    const lrs = [0.1, 0.1, 0.1];
    const expected = torchAdam([...theta1, ...theta2], g1.map((g, t) => [...g, ...(g2[t] ?? [])]), lrs);

    const p1 = tf.variable(tf.tensor1d(theta1));
    const p2 = tf.variable(tf.tensor2d(theta2, [2, 2]));
    const adam = new Adam([p1, p2]);
    for (let t = 0; t < 3; t++) {
      const grads = [tf.tensor1d(g1[t] ?? []), tf.tensor2d(g2[t] ?? [], [2, 2])];
      adam.step(grads, lrs[t] ?? Number.NaN);
      // The caller's gradients are left alone.
      expect(grads.every((g) => !g.isDisposed)).toBe(true);
      tf.dispose(grads);
      expect(adam.steps).toBe(t + 1);
      const want = expected[t] ?? [];
      expectClose(p1.dataSync(), want.slice(0, 4));
      expectClose(p2.dataSync(), want.slice(4));
    }
    expect(p2.shape).toEqual([2, 2]);
    // Not a near-identity: after three steps every coordinate with a non-zero gradient has moved.
    const moved = [...p1.dataSync(), ...p2.dataSync()].map((x, i) => Math.abs(x - ([...theta1, ...theta2][i] ?? 0)));
    expect(moved.every((d) => d > 1e-3)).toBe(true);
    adam.dispose();
    p1.dispose();
    p2.dispose();
  });

  it('a single parameter, with the learning rate changed live between steps', () => {
    const theta = [0.7, -0.4];
    const grads = [
      [2, -0.5],
      [-1, -0.5],
      [0.25, 1.5],
    ];
    const lrs = [0.1, 0.05, 0.2];
    const expected = torchAdam(theta, grads, lrs);
    const p = tf.variable(tf.tensor1d(theta));
    const adam = new Adam([p]);
    grads.forEach((g, t) => {
      const gt = tf.tensor1d(g);
      adam.step([gt], lrs[t] ?? Number.NaN);
      gt.dispose();
      expectClose(p.dataSync(), expected[t] ?? []);
    });
    adam.dispose();
    p.dispose();
  });

  it('a scalar parameter (log α)', () => {
    const expected = torchAdam([0], [[0.5], [0.3], [-0.2]], [1e-4, 1e-4, 1e-4]);
    const p = tf.variable(tf.scalar(0));
    const adam = new Adam([p]);
    for (const g of [0.5, 0.3, -0.2]) {
      const gt = tf.scalar(g);
      adam.step([gt], 1e-4);
      gt.dispose();
    }
    expect(Math.abs((p.dataSync()[0] ?? Number.NaN) - (expected[2]?.[0] ?? Number.NaN))).toBeLessThan(1e-9);
    expect(p.shape).toEqual([]);
    adam.dispose();
    p.dispose();
  });

  it('rejects a gradient list of the wrong length and leaks no tensors per step', () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const q = tf.variable(tf.tensor1d([3]));
    const adam = new Adam([p, q]);
    const g = tf.tensor1d([1, 1]);
    expect(() => adam.step([g], 0.1)).toThrow();
    const h = tf.tensor1d([1]);
    const before = tf.memory().numTensors;
    adam.step([g, h], 0.1);
    adam.step([g, h], 0.1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([g, h]);
    adam.dispose();
    p.dispose();
    q.dispose();
  });
});
