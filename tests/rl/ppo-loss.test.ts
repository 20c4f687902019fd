/**
 * PPO's clipped surrogate and its gradient (ppo/loss.ts, ppo/minibatchGradient.ts), advantage
 * normalisation and the gradient-norm clip, against values worked by hand and central finite
 * differences of the loss written out here from ALGORITHMS.md.
 */
import { describe, expect, it } from 'vitest';
import { ActorCritic } from '../../src/rl/onPolicy/actorCritic';
import { normalizeAdvantages } from '../../src/rl/onPolicy/learner';
import { clippedSurrogate } from '../../src/rl/ppo/loss';
import { PpoMinibatchGradient } from '../../src/rl/ppo/minibatchGradient';
import { clipGradientNorm } from '../../src/rl/ppo/ppoLearner';
import { Rng } from '../../src/rl/rng';

const EPSILON = 0.2;

/** −min(ρÂ, clip(ρ, 1 ± ε)Â) for one sample, written from the equation. */
function referenceLoss(logProb: number, oldLogProb: number, advantage: number): number {
  const ratio = Math.exp(logProb - oldLogProb);
  return -Math.min(ratio * advantage, Math.min(Math.max(ratio, 1 - EPSILON), 1 + EPSILON) * advantage);
}

describe('clipped surrogate, one sample', () => {
  // [ratio, Â, expected loss −min(ρÂ, clip(ρ)Â), expected ∂L/∂log π_new]
  const cases: Array<[string, number, number, number, number]> = [
    ['inside 1 ± ε, Â > 0', 1.1, 2, -2.2, -2.2],
    ['above 1 + ε, Â > 0: clipped, no gradient', 1.5, 2, -2.4, 0],
    ['below 1 − ε, Â > 0: unclipped term is the min', 0.5, 2, -1.0, -1.0],
    ['below 1 − ε, Â < 0: clipped, no gradient', 0.5, -2, 1.6, 0],
    ['above 1 + ε, Â < 0: unclipped term is the min', 1.5, -2, 3.0, 3.0],
    ['inside 1 ± ε, Â < 0', 0.9, -2, 1.8, 1.8],
  ];
  it.each(cases)('%s', (_name, ratio, advantage, expectedLoss, expectedGradient) => {
    const oldLogProb = -1.3;
    const newLogProb = oldLogProb + Math.log(ratio);
    const dLogProb = new Float64Array(1);
    const result = clippedSurrogate([newLogProb], [oldLogProb], [advantage], 1, EPSILON, dLogProb);
    expect(result.loss).toBeCloseTo(expectedLoss, 12);
    expect(dLogProb[0]).toBeCloseTo(expectedGradient, 12);
    // Sign and size agree with a central difference of the equation (away from the kinks).
    const h = 1e-6;
    const numeric = (referenceLoss(newLogProb + h, oldLogProb, advantage) - referenceLoss(newLogProb - h, oldLogProb, advantage)) / (2 * h);
    expect(dLogProb[0]).toBeCloseTo(numeric, 6);
    expect(result.clipFraction).toBe(Math.abs(ratio - 1) > EPSILON ? 1 : 0);
    expect(result.approxKl).toBeCloseTo(ratio - 1 - Math.log(ratio), 12);
  });

  it('averages over the minibatch', () => {
    const dLogProb = new Float64Array(2);
    const result = clippedSurrogate([Math.log(1.1), Math.log(1.5)], [0, 0], [2, 2], 2, EPSILON, dLogProb);
    expect(result.loss).toBeCloseTo((-2.2 - 2.4) / 2, 12);
    // ∂/∂log π_b of the mean: −ρÂ/B for the unclipped sample, 0 for the clipped one.
    expect(dLogProb[0]).toBeCloseTo(-1.1, 12);
    expect(dLogProb[1]).toBe(0);
    expect(result.clipFraction).toBe(0.5);
  });
});

describe('advantage normalisation', () => {
  it('subtracts the mean and divides by the Bessel-corrected std (+1e−8)', () => {
    const advantages = Float64Array.of(1, 2, 3, 4, 99);
    normalizeAdvantages(advantages, 4); // the fifth value is outside the minibatch and stays
    // mean 2.5, std = √((2.25 + 0.25 + 0.25 + 2.25)/3) = √(5/3) = 1.2909944487358056
    const std = 1.2909944487358056;
    expect(advantages[0]).toBeCloseTo(-1.5 / (std + 1e-8), 12);
    expect(advantages[1]).toBeCloseTo(-0.5 / (std + 1e-8), 12);
    expect(advantages[2]).toBeCloseTo(0.5 / (std + 1e-8), 12);
    expect(advantages[3]).toBeCloseTo(1.5 / (std + 1e-8), 12);
    expect(advantages[4]).toBe(99);
  });

  it('leaves a single advantage as it is', () => {
    const advantages = Float64Array.of(-7);
    normalizeAdvantages(advantages, 1);
    expect(advantages[0]).toBe(-7);
  });
});

describe('gradient-norm clip', () => {
  it('scales a gradient longer than the limit to it, leaves a shorter one', () => {
    const long = Float64Array.of(3, 4); // norm 5
    expect(clipGradientNorm(long, 0.5)).toBe(5);
    expect(Math.hypot(long[0] as number, long[1] as number)).toBeCloseTo(0.5, 6);
    expect((long[0] as number) / (long[1] as number)).toBeCloseTo(0.75, 12);
    const short = Float64Array.of(0.1, 0.2);
    clipGradientNorm(short, 0.5);
    expect(Array.from(short)).toEqual([0.1, 0.2]);
  });
});

describe.each(['gsde', 'gaussian'] as const)('PPO minibatch loss gradient (%s)', (exploration) => {
  it('equals central finite differences of L = L_clip + c_v·MSE − c_e·entropy (z detached)', () => {
    const rng = new Rng(21);
    const shape = { observationSize: 3, actionSize: 1, hiddenSize: 6, exploration };
    const model = new ActorCritic(shape, rng, -0.3);
    for (let i = model.policy.explorationOffset; i < model.policyParameters.length; i++) model.policyParameters[i] = -0.3 + 0.2 * rng.normal();
    const B = 9;
    const observations = new Float64Array(B * 3).map(() => rng.normal());
    const actions = new Float64Array(B).map(() => 0.5 * rng.normal());
    const advantages = new Float64Array(B).map(() => rng.normal());
    const returns = new Float64Array(B).map(() => 3 * rng.normal());
    // Old log-probabilities near the current ones, so ratios fall inside and outside 1 ± ε.
    const coefficients = { clipRange: 0.2, vfCoef: 0.5, entCoef: 0.01 };
    const H = shape.hiddenSize;
    const z0 = model.policy.evaluate(model.policyParameters, observations, B).features.slice(0, B * H);

    /** The loss from ALGORITHMS.md, with v computed here from z0 (detached) and log S / log σ. */
    const loss = (parameters: Float64Array, oldLogProbs: Float64Array): number => {
      const policy = parameters.subarray(0, model.policyParameters.length);
      const mean = model.policy.evaluate(policy, observations, B).mean.slice(0, B);
      const exploration = policy.subarray(model.policy.explorationOffset);
      let clipTerm = 0;
      let entropy = 0;
      for (let b = 0; b < B; b++) {
        let variance = 0;
        if (exploration.length === H) {
          variance = 1e-6;
          for (let i = 0; i < H; i++) variance += (z0[b * H + i] as number) ** 2 * Math.exp(2 * (exploration[i] as number));
        } else {
          variance = Math.exp(2 * (exploration[0] as number));
        }
        const logProb = -0.5 * (((actions[b] as number) - (mean[b] as number)) ** 2 / variance + Math.log(2 * Math.PI * variance));
        clipTerm += referenceLoss(logProb, oldLogProbs[b] as number, advantages[b] as number);
        entropy += 0.5 * Math.log(2 * Math.PI * Math.E * variance);
      }
      const valueNetwork = model.valueNetwork;
      const values = valueNetwork.forward(parameters.subarray(model.policyParameters.length), observations, B).output;
      let mse = 0;
      for (let b = 0; b < B; b++) mse += ((values[b] as number) - (returns[b] as number)) ** 2;
      return clipTerm / B + coefficients.vfCoef * (mse / B) - coefficients.entCoef * (entropy / B);
    };

    const current = model.parameters.slice();
    const evaluation = model.policy.evaluate(model.policyParameters, observations, B);
    const oldLogProbs = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      const v = evaluation.variance[b] as number;
      const exact = -0.5 * (((actions[b] as number) - (evaluation.mean[b] as number)) ** 2 / v + Math.log(2 * Math.PI * v));
      // ratios e^{±0.1} (inside) and e^{±0.5} (outside)
      oldLogProbs[b] = exact - [0.1, -0.1, 0.5, -0.5][b % 4]!;
    }
    const gradient = new Float64Array(model.parameters.length);
    const terms = new PpoMinibatchGradient().compute(model, { size: B, observations, actions, advantages, returns, oldLogProbs }, coefficients, gradient);
    expect(terms.total).toBeCloseTo(loss(current, oldLogProbs), 10);
    expect(terms.clipFraction).toBeGreaterThan(0);
    expect(terms.clipFraction).toBeLessThan(1);

    const h = 1e-6;
    let maxDiff = 0;
    let maxRef = 1e-12;
    for (let i = 0; i < current.length; i++) {
      const plus = current.slice();
      const minus = current.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      const numeric = (loss(plus, oldLogProbs) - loss(minus, oldLogProbs)) / (2 * h);
      maxDiff = Math.max(maxDiff, Math.abs((gradient[i] as number) - numeric));
      maxRef = Math.max(maxRef, Math.abs(numeric));
    }
    expect(maxDiff / maxRef).toBeLessThan(1e-6);
  });
});
