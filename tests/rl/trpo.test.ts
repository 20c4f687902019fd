/**
 * TRPO's pieces (trpo/*) against independent references: the Fisher-vector product against mixed
 * finite differences of the mean KL (i.e. finite differences of ∇KL), conjugate gradient against a
 * direct Gaussian-elimination solve, and a policy step whose KL, measured here, stays ≤ δ — or, when
 * no step passes, a policy left exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { ActorCritic } from '../../src/rl/onPolicy/actorCritic';
import type { RolloutData } from '../../src/rl/onPolicy/learner';
import { gaussianLogDensity } from '../../src/rl/onPolicy/policy';
import { Rng } from '../../src/rl/rng';
import { conjugateGradient } from '../../src/rl/trpo/conjugateGradient';
import { FisherVectorProduct } from '../../src/rl/trpo/fisher';
import { TrpoLearner } from '../../src/rl/trpo/trpoLearner';

/** KL(N(μo, vo) ‖ N(μ, v)) summed over entries, from the textbook formula. */
function klSum(oldMean: ArrayLike<number>, oldVariance: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < mean.length; i++) {
    const v = variance[i] as number;
    const vo = oldVariance[i] as number;
    sum += 0.5 * Math.log(v / vo) + (vo + ((oldMean[i] as number) - (mean[i] as number)) ** 2) / (2 * v) - 0.5;
  }
  return sum;
}

describe.each(['gsde', 'gaussian'] as const)('Fisher-vector product (%s)', (exploration) => {
  it('equals finite differences of ∇ mean KL(π_old ‖ π) along the vector', () => {
    const rng = new Rng(31);
    const A = 2;
    const H = 4;
    const M = 6;
    const model = new ActorCritic({ observationSize: 3, actionSize: A, hiddenSize: H, exploration }, rng, 0);
    const parameters = model.policyParameters;
    for (let i = 0; i < parameters.length; i++) parameters[i] = (parameters[i] as number) + 0.3 * rng.normal();
    const observations = new Float64Array(M * 3).map(() => rng.normal());
    const old = model.policy.evaluate(parameters, observations, M);
    const oldMean = old.mean.slice(0, M * A);
    const oldVariance = old.variance.slice(0, M * A);
    const z0 = old.features.slice(0, M * H);
    // KL at θ with gSDE's features held at θ_old's (detached, as in the policy's graph).
    const meanKl = (theta: Float64Array): number => {
      const mean = model.policy.evaluate(theta, observations, M).mean.slice(0, M * A);
      const exploration = theta.subarray(model.policy.explorationOffset);
      const variance = new Float64Array(M * A);
      for (let b = 0; b < M; b++) {
        for (let j = 0; j < A; j++) {
          if (exploration.length === H * A) {
            let v = 1e-6;
            for (let i = 0; i < H; i++) v += (z0[b * H + i] as number) ** 2 * Math.exp(2 * (exploration[i * A + j] as number));
            variance[b * A + j] = v;
          } else {
            variance[b * A + j] = Math.exp(2 * (exploration[j] as number));
          }
        }
      }
      return klSum(oldMean, oldVariance, mean, variance) / M;
    };
    const direction = new Float64Array(parameters.length).map(() => rng.normal());
    const theta0 = parameters.slice();
    const h = 1e-4;
    // (F·u)_i = ∂/∂θ_i of (∇KL · u) ≈ [KL(θ+hu+he_i) − KL(θ+hu−he_i) − KL(θ−hu+he_i) + KL(θ−hu−he_i)] / 4h².
    const numeric = new Float64Array(parameters.length);
    for (let i = 0; i < parameters.length; i++) {
      const at = (su: number, si: number): number => {
        const theta = theta0.map((value, k) => value + su * h * (direction[k] as number) + (k === i ? si * h : 0));
        return meanKl(theta);
      };
      numeric[i] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    }
    const evaluation = model.policy.evaluate(theta0, observations, M);
    const product = new FisherVectorProduct(model.policy, theta0, evaluation).multiply(direction);
    let maxDiff = 0;
    let maxRef = 1e-12;
    for (let i = 0; i < numeric.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((product[i] as number) - (numeric[i] as number)));
      maxRef = Math.max(maxRef, Math.abs(numeric[i] as number));
    }
    expect(maxRef).toBeGreaterThan(1e-3);
    expect(maxDiff / maxRef).toBeLessThan(1e-4);
  });
});

/** x with A·x = b by Gaussian elimination with partial pivoting (the direct solve). */
function directSolve(matrix: number[][], b: number[]): number[] {
  const n = b.length;
  const rows = matrix.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    for (let r = col + 1; r < n; r++) {
      const factor = rows[r]![col]! / rows[col]![col]!;
      for (let c = col; c <= n; c++) rows[r]![c] = rows[r]![c]! - factor * rows[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = rows[r]![n]!;
    for (let c = r + 1; c < n; c++) sum -= rows[r]![c]! * x[c]!;
    x[r] = sum / rows[r]![r]!;
  }
  return x;
}

describe('conjugate gradient', () => {
  it('solves a small SPD system as the direct solve does', () => {
    const rng = new Rng(41);
    const n = 6;
    const factor = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    // A = FᵀF + I is symmetric positive definite.
    const matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => factor.reduce((sum, row) => sum + row[i]! * row[j]!, 0) + (i === j ? 1 : 0)));
    const b = Array.from({ length: n }, () => rng.normal());
    const product = (v: Float64Array): Float64Array => Float64Array.from(matrix.map((row) => row.reduce((sum, value, j) => sum + value * (v[j] as number), 0)));
    const x = conjugateGradient(product, Float64Array.from(b), n, 0);
    const expected = directSolve(matrix, b);
    expected.forEach((value, i) => expect(x[i]).toBeCloseTo(value, 8));
  });

  it('stops after max steps (one step = the steepest-descent step)', () => {
    // A = [[4, 1], [1, 3]]
    const b = Float64Array.of(1, 2);
    const product = (v: Float64Array): Float64Array => Float64Array.of(4 * v[0]! + v[1]!, v[0]! + 3 * v[1]!);
    const x = conjugateGradient(product, b, 1, 0);
    // x1 = (bᵀb / bᵀAb)·b = (5 / 20)·b
    const bAb = 1 * (4 + 2) + 2 * (1 + 6);
    expect(x[0]).toBeCloseTo((5 / bAb) * 1, 12);
    expect(x[1]).toBeCloseTo((5 / bAb) * 2, 12);
  });
});

describe('TRPO policy step', () => {
  function rolloutFor(model: ActorCritic, rng: Rng, M: number): RolloutData {
    const A = model.shape.actionSize;
    const observations = new Float64Array(M * 3).map(() => rng.normal());
    const evaluation = model.policy.evaluate(model.policyParameters, observations, M);
    const actions = new Float64Array(M * A);
    for (let i = 0; i < M * A; i++) actions[i] = (evaluation.mean[i] as number) + Math.sqrt(evaluation.variance[i] as number) * rng.normal();
    const oldLogProbs = new Float64Array(M);
    for (let b = 0; b < M; b++) oldLogProbs[b] = gaussianLogDensity(actions, evaluation.mean, evaluation.variance, b * A, A);
    // Advantages that reward actions above the mean: a direction the policy can improve in.
    const advantages = new Float64Array(M);
    for (let b = 0; b < M; b++) advantages[b] = (actions[b * A] as number) - (evaluation.mean[b * A] as number) + 0.1 * rng.normal();
    return { size: M, observations, actions, oldLogProbs, advantages, returns: new Float64Array(M), values: new Float64Array(M) };
  }

  const config = { targetKl: 0.01, cgMaxSteps: 15, cgDamping: 0.1, lineSearchShrinkingFactor: 0.8, lineSearchMaxIter: 10 };

  it.each(['gsde', 'gaussian'] as const)('keeps the measured mean KL(π_old ‖ π) ≤ δ and improves the surrogate (%s)', (exploration) => {
    const rng = new Rng(51);
    const model = new ActorCritic({ observationSize: 3, actionSize: 1, hiddenSize: 8, exploration }, rng, -0.5);
    const data = rolloutFor(model, rng, 64);
    const before = model.policy.evaluate(model.policyParameters, data.observations, 64);
    const oldMean = before.mean.slice(0, 64);
    const oldVariance = before.variance.slice(0, 64);
    const oldParameters = model.policyParameters.slice();
    const result = new TrpoLearner(model.valueParameters.length).policyStep(model, data, config);
    expect(result.accepted).toBe(true);
    const after = model.policy.evaluate(model.policyParameters, data.observations, 64);
    const measured = klSum(oldMean, oldVariance, after.mean.slice(0, 64), after.variance.slice(0, 64)) / 64;
    expect(measured).toBeLessThanOrEqual(config.targetKl);
    expect(measured).toBeGreaterThan(0);
    expect(result.klAfterStep).toBeCloseTo(measured, 12);
    expect(result.surrogateGain).toBeGreaterThan(0);
    expect(model.policyParameters).not.toEqual(oldParameters);
  });

  it('after every step: measured KL ≤ δ with an improved surrogate, or the policy exactly unchanged', () => {
    let accepted = 0;
    let kept = 0;
    for (let seed = 0; seed < 12; seed++) {
      for (const [targetKl, lineSearchMaxIter] of [[0.01, 10], [3, 1], [0.5, 2]] as const) {
        const rng = new Rng(100 + seed);
        const model = new ActorCritic({ observationSize: 3, actionSize: 1, hiddenSize: 8, exploration: seed % 2 === 0 ? 'gsde' : 'gaussian' }, rng, -0.5);
        const data = rolloutFor(model, rng, 64);
        // Noisy advantages: some steps help the surrogate, some large ones overshoot it or the KL.
        for (let b = 0; b < 64; b++) data.advantages[b] = (data.advantages[b] as number) + 2 * rng.normal();
        const before = model.policy.evaluate(model.policyParameters, data.observations, 64);
        const oldMean = before.mean.slice(0, 64);
        const oldVariance = before.variance.slice(0, 64);
        const oldParameters = model.policyParameters.slice();
        const result = new TrpoLearner(model.valueParameters.length).policyStep(model, data, { ...config, targetKl, lineSearchMaxIter });
        const after = model.policy.evaluate(model.policyParameters, data.observations, 64);
        const measured = klSum(oldMean, oldVariance, after.mean.slice(0, 64), after.variance.slice(0, 64)) / 64;
        if (result.accepted) {
          accepted += 1;
          expect(measured).toBeLessThanOrEqual(targetKl);
          expect(result.surrogateGain).toBeGreaterThan(0);
        } else {
          kept += 1;
          expect(model.policyParameters).toEqual(oldParameters);
          expect(result.klAfterStep).toBe(0);
          expect(result.tries).toBe(lineSearchMaxIter);
        }
      }
    }
    // Both outcomes occurred, so both branches above were checked.
    expect(accepted).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });
});
