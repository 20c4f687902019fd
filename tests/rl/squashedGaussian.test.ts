/**
 * log π of the tanh-squashed Gaussian against an independent numerical reference: the density of
 * a = tanh(Z), Z ~ N(μ, σ²), obtained by numerically differentiating its CDF
 *   F(a) = P(tanh(Z) ≤ a) = Φ((atanh(a) − μ)/σ),
 * with Φ from a high-precision erf series. No change-of-variables formula is used on the reference side.
 *
 * The code computes log N(z) − log(1 − a² + 1e−6) instead of the exact − log(1 − a²); the difference is
 * at most 1e−6/(1 − a²), which is added to the tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TANH_LOG_EPSILON, sampleSquashedGaussian, squashedLogProb } from '../../src/rl/sac/squashedGaussian';

/**
 * erf(x) = 2/√π · e^{−x²} · Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·5···(2n+1)) (Abramowitz & Stegun 7.1.6): all terms
 * have the sign of x, so there is no cancellation; relative precision ~1e−15 for |x| ≤ 4.
 */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

function standardNormalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** CDF of a = tanh(Z), Z ~ N(μ, σ²). */
function squashedCdf(a: number, mean: number, std: number): number {
  return standardNormalCdf((Math.atanh(a) - mean) / std);
}

/** log of the density of a = tanh(Z), by a five-point central difference of the CDF. */
function referenceLogDensity(a: number, mean: number, std: number): number {
  const h = 1e-3 * (1 - Math.abs(a)) * Math.min(1, std); // stay inside (−1, 1) and resolve narrow densities
  const F = (x: number): number => squashedCdf(x, mean, std);
  const derivative = (-F(a + 2 * h) + 8 * F(a + h) - 8 * F(a - h) + F(a - 2 * h)) / (12 * h);
  return Math.log(derivative);
}

/**
 * Allowed |code − reference|: the 1e−6 inside the log plus a relative numerical margin (the reference
 * itself is good to ~1e−11 here; 1e−8 for double-precision code, 2e−4 for float32 tensors).
 */
function tolerance(a: number, reference: number, relative: number): number {
  return TANH_LOG_EPSILON / (1 - a * a) + relative * Math.max(1, Math.abs(reference));
}

// (μ, log σ, ε): centred and shifted means, wide and narrow σ, both tails, |a| up to ≈ 0.99.
const CASES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [0, 0, 1],
  [0.7, -1, -1.7],
  [-1.3, 0.5, 0.4],
  [2, -3, 2.5],
  [-0.4, -0.5, -2.2],
  [1.1, 0.2, -0.9],
  [-2.2, -2, 1.3],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('reference self-check', () => {
  it('erf matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 14);
  });

  it('the numerical density of tanh(Z) integrates to ≈ 1', () => {
    // Midpoint rule of exp(referenceLogDensity) over (−1, 1) for a moderate case.
    const n = 4000;
    let integral = 0;
    for (let i = 0; i < n; i++) {
      const a = -1 + (2 * (i + 0.5)) / n;
      integral += Math.exp(referenceLogDensity(a, 0.3, 0.6)) * (2 / n);
    }
    expect(integral).toBeCloseTo(1, 4);
  });
});

describe('squashedLogProb (numbers)', () => {
  for (const [mean, logStd, epsilon] of CASES) {
    it(`μ=${mean}, log σ=${logStd}, ε=${epsilon}`, () => {
      const std = Math.exp(logStd);
      const { action, logProb } = squashedLogProb(mean, logStd, epsilon);
      expect(action).toBeCloseTo(Math.tanh(mean + std * epsilon), 14);
      const reference = referenceLogDensity(action, mean, std);
      expect(Math.abs(logProb - reference)).toBeLessThanOrEqual(tolerance(action, reference, 1e-8));
    });
  }

  it('near |a| → 1 the 1e−6 keeps log π finite (the exact density would diverge)', () => {
    const { action, logProb } = squashedLogProb(0, 0, 12); // tanh(12): 1 − a² ≈ 1.5e−10
    expect(Math.abs(action)).toBeLessThan(1);
    expect(Number.isFinite(logProb)).toBe(true);
    // −12²/2 − 0 − ½ log 2π − log(1 − a² + 1e−6), with 1 − a² ≈ 4 e^{−24}:
    const expected = -72 - 0.5 * Math.log(2 * Math.PI) - Math.log(4 * Math.exp(-24) + 1e-6);
    expect(logProb).toBeCloseTo(expected, 6);
  });
});

describe('sampleSquashedGaussian (tensors)', () => {
  it('one action dimension, a batch of several rows: a = tanh(μ + σε) and log π against the reference', () => {
    const B = CASES.length;
    const means = CASES.map(([m]) => m);
    const logStds = CASES.map(([, l]) => l);
    const epsilons = CASES.map(([, , e]) => e);
    const mean = tf.tensor2d(means, [B, 1]);
    const logStd = tf.tensor2d(logStds, [B, 1]);
    const epsilon = tf.tensor2d(epsilons, [B, 1]);
    const sample = sampleSquashedGaussian(mean, logStd, epsilon);
    expect(sample.action.shape).toEqual([B, 1]);
    expect(sample.logProb.shape).toEqual([B, 1]);
    const actions = sample.action.dataSync();
    const logProbs = sample.logProb.dataSync();
    for (let row = 0; row < B; row++) {
      const m = means[row] ?? 0;
      const s = Math.exp(logStds[row] ?? 0);
      const a = Math.tanh(m + s * (epsilons[row] ?? 0));
      expect(Math.abs((actions[row] ?? Number.NaN) - a)).toBeLessThan(1e-6);
      const reference = referenceLogDensity(a, m, s);
      // float32: 1 − a² loses ~1e−7 absolute, so a further 1e−7/(1 − a²) on top of the tolerance.
      const allowed = tolerance(a, reference, 2e-4) + 1e-7 / (1 - a * a);
      expect(Math.abs((logProbs[row] ?? Number.NaN) - reference)).toBeLessThanOrEqual(allowed);
    }
    tf.dispose([mean, logStd, epsilon, sample.std, sample.action, sample.logProb]);
  });

  it('two action dimensions: log π sums the per-dimension log densities (independent dimensions)', () => {
    const rows: Array<[number, number, number, number, number, number]> = [
      // μ1, μ2, log σ1, log σ2, ε1, ε2
      [0.5, -1, -0.3, 0.1, 1.2, -0.6],
      [-0.2, 0.9, -1.5, -0.7, -0.3, 2.0],
      [1.5, 0, 0.4, -2.5, 0.1, -1.1],
    ];
    const B = rows.length;
    const mean = tf.tensor2d(rows.map((r) => [r[0], r[1]]));
    const logStd = tf.tensor2d(rows.map((r) => [r[2], r[3]]));
    const epsilon = tf.tensor2d(rows.map((r) => [r[4], r[5]]));
    const sample = sampleSquashedGaussian(mean, logStd, epsilon);
    expect(sample.action.shape).toEqual([B, 2]);
    expect(sample.logProb.shape).toEqual([B, 1]);
    const actions = sample.action.dataSync();
    const logProbs = sample.logProb.dataSync();
    rows.forEach(([m1, m2, l1, l2, e1, e2], row) => {
      const a1 = Math.tanh(m1 + Math.exp(l1) * e1);
      const a2 = Math.tanh(m2 + Math.exp(l2) * e2);
      expect(Math.abs((actions[2 * row] ?? Number.NaN) - a1)).toBeLessThan(1e-6);
      expect(Math.abs((actions[2 * row + 1] ?? Number.NaN) - a2)).toBeLessThan(1e-6);
      const r1 = referenceLogDensity(a1, m1, Math.exp(l1));
      const r2 = referenceLogDensity(a2, m2, Math.exp(l2));
      const allowed = tolerance(a1, r1, 2e-4) + tolerance(a2, r2, 2e-4) + 1e-7 / (1 - a1 * a1) + 1e-7 / (1 - a2 * a2);
      expect(Math.abs((logProbs[row] ?? Number.NaN) - (r1 + r2))).toBeLessThanOrEqual(allowed);
    });
    tf.dispose([mean, logStd, epsilon, sample.std, sample.action, sample.logProb]);
  });

  it('leaves no tensors behind other than its outputs (σ, a, log π)', () => {
    const mean = tf.tensor2d([[0.1]]);
    const logStd = tf.tensor2d([[0]]);
    const epsilon = tf.tensor2d([[0.5]]);
    const before = tf.memory().numTensors;
    const sample = sampleSquashedGaussian(mean, logStd, epsilon);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([mean, logStd, epsilon, sample.std, sample.action, sample.logProb]);
  });
});
