/**
 * The SAC losses of SAC-SPEC.md on tiny hand-made examples (expected values computed here in plain
 * JavaScript, following the spec's equations literally), their gradients, and one full
 * SacAgent.update on a tiny network whose reported statistics are recomputed in plain JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocateBatch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { SacAgent, UPDATE_STATS, type UpdateHyperparameters } from '../../src/rl/sac/agent';
import { alphaLossAndGradient } from '../../src/rl/sac/gradients';
import { actorLoss, alphaLoss, criticLoss, criticTarget, minOfTwin } from '../../src/rl/sac/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function expectAllClose(actual: ArrayLike<number>, expected: number[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs((actual[i] ?? Number.NaN) - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e))));
}

/** [Q1 values, Q2 values] → [2, B, 1] tensor. */
const twin = (q1: number[], q2: number[]): tf.Tensor3D => tf.tensor3d([q1.map((x) => [x]), q2.map((x) => [x])]);
const column = (xs: number[]): tf.Tensor2D => tf.tensor2d(xs.map((x) => [x]));

// A batch of three transitions; the middle one has mask 0 (only to exercise the mask; Pendulum's is always 1).
const rewards = [1, -0.5, 2];
const masks = [1, 0, 1];
const nextQ1 = [3, 1, -2]; // Q̄1(s', a')
const nextQ2 = [2.5, 4, -1]; // Q̄2(s', a')
const nextLogProb = [-0.3, 0.8, 1.2]; // log π(a'|s')
const alphaValue = 0.2;
const gamma = 0.99;

// y_b = r_b + γ·mask_b·(min(Q̄1, Q̄2) − α·log π'), written out:
//   b=0: 1 + 0.99·1·(min(3, 2.5) − 0.2·(−0.3)) = 1 + 0.99·2.56 = 3.5344
//   b=1: −0.5 + 0.99·0·(…) = −0.5
//   b=2: 2 + 0.99·1·(min(−2, −1) − 0.2·1.2) = 2 + 0.99·(−2.24) = −0.2176
const expectedTarget = [1 + 0.99 * (2.5 + 0.2 * 0.3), -0.5, 2 + 0.99 * (-2 - 0.2 * 1.2)];

describe('critic target and critic loss', () => {
  it('hand arithmetic agrees with the literal numbers (self-check of the fixture)', () => {
    expectAllClose(expectedTarget, [3.5344, -0.5, -0.2176], 1e-12);
  });

  it('y = r + γ·mask·(min(Q̄1, Q̄2) − α·log π′)', () => {
    const r = column(rewards);
    const m = column(masks);
    const q = twin(nextQ1, nextQ2);
    const lp = column(nextLogProb);
    const alpha = tf.scalar(alphaValue);
    const y = criticTarget({ rewards: r, masks: m, nextTargetQ: q, nextLogProb: lp, alpha, gamma });
    expect(y.shape).toEqual([3, 1]);
    expectAllClose(y.dataSync(), expectedTarget);
    tf.dispose([r, m, q, lp, alpha, y]);
  });

  it('minOfTwin takes the element-wise minimum over the twin axis', () => {
    const q = twin(nextQ1, nextQ2);
    const min = minOfTwin(q);
    expect(min.shape).toEqual([3, 1]);
    expect(Array.from(min.dataSync())).toEqual([2.5, 1, -2]);
    tf.dispose([q, min]);
  });

  it('loss = MSE(Q1, y) + MSE(Q2, y)', () => {
    const q1 = [3, 0, -1];
    const q2 = [4, -1, 0.5];
    const y = [3.5344, -0.5, -0.2176];
    // MSE(Q1, y) = ((3 − 3.5344)² + (0 + 0.5)² + (−1 + 0.2176)²)/3; MSE(Q2, y) likewise.
    const mse1 = ((3 - 3.5344) ** 2 + (0 + 0.5) ** 2 + (-1 + 0.2176) ** 2) / 3;
    const mse2 = ((4 - 3.5344) ** 2 + (-1 + 0.5) ** 2 + (0.5 + 0.2176) ** 2) / 3;
    const q = twin(q1, q2);
    const target = column(y);
    const loss = criticLoss(q, target);
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo(mse1 + mse2, 5);
    expect(mse1 + mse2).toBeCloseTo(0.709822, 5); // (0.285584 + 0.25 + 0.612151)/3 + (0.216777 + 0.25 + 0.514950)/3

    // d loss / d Q_twin,b = 2·(Q_twin,b − y_b)/B.
    const grad = tf.grad((x: tf.Tensor) => criticLoss(x as tf.Tensor3D, target))(q);
    expectAllClose(grad.dataSync(), [...q1.map((v, b) => (2 * (v - (y[b] ?? 0))) / 3), ...q2.map((v, b) => (2 * (v - (y[b] ?? 0))) / 3)]);
    tf.dispose([q, target, loss, grad]);
  });
});

describe('actor loss', () => {
  const logProb = [0.5, -1, 2];
  const q1 = [1, 2, -3];
  const q2 = [1.5, 0, -4];

  it('mean(α·log π − min(Q1, Q2))', () => {
    // (0.2·0.5 − 1) + (0.2·(−1) − 0) + (0.2·2 − (−4)) = −0.9 − 0.2 + 4.4 = 3.3; mean = 1.1
    const expected = mean([0.2 * 0.5 - Math.min(1, 1.5), 0.2 * -1 - Math.min(2, 0), 0.2 * 2 - Math.min(-3, -4)]);
    expect(expected).toBeCloseTo(1.1, 12);
    const alpha = tf.scalar(alphaValue);
    const lp = column(logProb);
    const q = twin(q1, q2);
    const loss = actorLoss(alpha, lp, q);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);

    // Gradients: α/B to log π; −1/B to the smaller twin only.
    const [dLogProb, dQ] = tf.grads((a: tf.Tensor, b: tf.Tensor) => actorLoss(alpha, a as tf.Tensor2D, b as tf.Tensor3D))([lp, q]);
    expectAllClose(dLogProb?.dataSync() ?? [], [0.2 / 3, 0.2 / 3, 0.2 / 3]);
    expectAllClose(dQ?.dataSync() ?? [], [-1 / 3, 0, 0, 0, -1 / 3, -1 / 3]);
    tf.dispose([alpha, lp, q, loss, dLogProb, dQ].filter((t): t is tf.Tensor => t !== undefined));
  });
});

describe('temperature loss', () => {
  const logProb = [0.5, -1, 2];
  const targetEntropy = -1;

  it('J(α) = −mean(log α · (log π + H̄))', () => {
    const logAlphaValue = Math.log(0.2);
    // −mean(ln0.2·(0.5 − 1), ln0.2·(−1 − 1), ln0.2·(2 − 1)) = −ln0.2·(−0.5 − 2 + 1)/3 = 0.5·ln 0.2
    const expected = -mean(logProb.map((lp) => logAlphaValue * (lp + targetEntropy)));
    expect(expected).toBeCloseTo(0.5 * Math.log(0.2), 12);
    const logAlpha = tf.scalar(logAlphaValue);
    const lp = column(logProb);
    const loss = alphaLoss(logAlpha, lp, targetEntropy);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose([logAlpha, lp, loss]);
  });

  it('dJ/dlog α = −mean(log π + H̄), by autodiff and by the hand-written gradient the agent uses', () => {
    const expectedGradient = -mean(logProb.map((lp) => lp + targetEntropy)); // −(−0.5) = 0.5
    expect(expectedGradient).toBeCloseTo(0.5, 12);
    const lp = column(logProb);
    const logAlpha = tf.scalar(Math.log(0.2));
    const autodiff = tf.grad((x: tf.Tensor) => alphaLoss(x, lp, targetEntropy))(logAlpha);
    expect(autodiff.dataSync()[0]).toBeCloseTo(expectedGradient, 6);
    const manual = alphaLossAndGradient(logAlpha, lp, targetEntropy);
    expect(manual.gradient.dataSync()[0]).toBeCloseTo(expectedGradient, 6);
    expect(manual.loss.dataSync()[0]).toBeCloseTo(0.5 * Math.log(0.2), 6);
    // Sign: log π + H̄ below zero on average (entropy above target) → positive gradient → α decreases.
    tf.dispose([lp, logAlpha, autodiff, manual.gradient, manual.loss]);
  });

  it('no gradient reaches log π (nor what produced it) when log π is passed detached', () => {
    const logAlpha = tf.variable(tf.scalar(Math.log(0.2)), true, 'test_logAlpha');
    const source = tf.variable(tf.tensor2d([[0.25], [-0.5], [1]]), true, 'test_logProbSource'); // log π = 2·source
    // Detached: the value of 2·source as a fresh constant, as the agent's α step receives it.
    const produced = tf.mul(source, 2);
    const detached = tf.tensor2d(produced.dataSync(), [3, 1]);
    const withDetached = tf.variableGrads(() => alphaLoss(logAlpha, detached, targetEntropy), [logAlpha, source]);
    expect(Object.keys(withDetached.grads)).toEqual([logAlpha.name]);
    expect(withDetached.grads[logAlpha.name]?.dataSync()[0]).toBeCloseTo(0.5, 6);

    // Control: without detaching, alphaLoss itself would pass −log α·2/B to the source (so the check above can fail).
    const attached = tf.variableGrads(() => alphaLoss(logAlpha, tf.mul(source, 2) as tf.Tensor2D, targetEntropy), [logAlpha, source]);
    expectAllClose(attached.grads[source.name]?.dataSync() ?? [], [0, 1, 2].map(() => (-Math.log(0.2) * 2) / 3));

    tf.dispose([produced, detached, withDetached.value, attached.value, ...Object.values(withDetached.grads), ...Object.values(attached.grads)]);
    logAlpha.dispose();
    source.dispose();
  });
});

// ---------------------------------------------------------------------------------------------------
// One full SacAgent.update, recomputed in plain JavaScript (float64) from the agent's weights.

const OBS = 3;
const ACT = 1;
const H = 2;
const B = 3;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const relu = (x: number): number => Math.max(0, x);

/** Known weights: a fixed deterministic pattern per variable, rounded to float32 as the variable stores them. */
function pattern(count: number, phase: number, scale: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.fround(scale * Math.sin(1.7 * i + phase) + 0.1 * scale));
}

function assignPattern(variables: tf.Variable[], phase: number, scale: number): number[][] {
  return variables.map((variable, index) => {
    const values = pattern(variable.size, phase + 10 * index, scale);
    const t = tf.tensor(values, variable.shape);
    variable.assign(t);
    t.dispose();
    return values;
  });
}

function at<T>(xs: readonly T[] | undefined, i: number): T {
  const v = xs?.[i];
  if (v === undefined) throw new Error(`index ${i} out of range (length ${xs?.length})`);
  return v;
}

/** Plain-JS actor: μ and clamped log σ for one observation (A = 1; head columns [μ | log σ]). */
function jsActor(w: number[][], obs: number[]): { mu: number; logStd: number } {
  const [k1, b1, k2, b2, hk, hb] = w;
  const h1 = Array.from({ length: H }, (_, j) => relu(obs.reduce((s, x, i) => s + x * at(k1, i * H + j), at(b1, j))));
  const h2 = Array.from({ length: H }, (_, j) => relu(h1.reduce((s, x, i) => s + x * at(k2, i * H + j), at(b2, j))));
  const mu = h2.reduce((s, x, i) => s + x * at(hk, i * 2), at(hb, 0));
  const rawLogStd = h2.reduce((s, x, i) => s + x * at(hk, i * 2 + 1), at(hb, 1));
  return { mu, logStd: Math.min(Math.max(rawLogStd, -20), 2) };
}

/**
 * The twin critic's variables as [Q1's six arrays, Q2's six arrays], each [kernel1 [in, H], bias1 [H],
 * kernel2 [H, H], bias2 [H], kernel3 [H, 1], bias3 [1]] row-major. Accepts both storage layouts of
 * TwinCriticNetwork: six stacked variables [2, …] (index 0 = Q1, 1 = Q2) or twelve plain ones (Q1's then Q2's).
 */
function splitTwin(values: number[][], shapes: number[][]): [number[][], number[][]] {
  if (values.length === 12) return [values.slice(0, 6), values.slice(6)];
  if (values.length === 6 && shapes.every((shape) => shape[0] === 2)) {
    return [values.map((v) => v.slice(0, v.length / 2)), values.map((v) => v.slice(v.length / 2))];
  }
  throw new Error(`unknown TwinCriticNetwork layout: ${JSON.stringify(shapes)}`);
}

function twinValues(variables: tf.Variable[]): [number[][], number[][]] {
  return splitTwin(
    variables.map((v) => Array.from(v.dataSync())),
    variables.map((v) => v.shape),
  );
}

/** Plain-JS Q network (one critic's weights) for input [obs, a]. */
function jsQ(w: number[][], obs: number[], a: number): number {
  const [k1, b1, k2, b2, k3, b3] = w;
  const input = [...obs, a];
  const h1 = Array.from({ length: H }, (_, j) => relu(input.reduce((s, x, i) => s + x * at(k1, i * H + j), at(b1, j))));
  const h2 = Array.from({ length: H }, (_, j) => relu(h1.reduce((s, x, i) => s + x * at(k2, i * H + j), at(b2, j))));
  return h2.reduce((s, x, i) => s + x * at(k3, i), at(b3, 0));
}

/** Plain-JS critic `c` (0 = Q1, 1 = Q2). */
function jsCritic(twinW: [number[][], number[][]], c: number, obs: number[], a: number): number {
  return jsQ(twinW[c === 0 ? 0 : 1], obs, a);
}

/** a = tanh(μ + σε), log π = −ε²/2 − log σ − ½ log 2π − log(1 − a² + 1e−6) (SAC-SPEC.md). */
function jsSample(actorW: number[][], obs: number[], eps: number): { a: number; logProb: number } {
  const { mu, logStd } = jsActor(actorW, obs);
  const a = Math.tanh(mu + Math.exp(logStd) * eps);
  return { a, logProb: -0.5 * eps * eps - logStd - HALF_LOG_TWO_PI - Math.log(1 - a * a + 1e-6) };
}

describe('SacAgent.update against a plain-JS recomputation', () => {
  it('criticLoss, alphaLoss, entropy, actorLoss, qMean and the first Adam / soft-update steps', () => {
    const agent = new SacAgent(new Rng(5), { observationSize: OBS, actionSize: ACT, hiddenSize: H, initialAlpha: 1, actionScale: 2 });
    const actorW = assignPattern(agent.actor.variables, 0.3, 0.25);
    const criticFlat = assignPattern(agent.critic.variables, 1.1, 0.9);
    const targetFlat = assignPattern(agent.targetCritic.variables, 2.9, 0.7); // deliberately ≠ critic
    const criticShapes = agent.critic.variables.map((v) => v.shape);
    const criticW = splitTwin(criticFlat, criticShapes);
    const targetW = splitTwin(targetFlat, criticShapes);
    const logAlpha0 = Math.fround(Math.log(0.3));
    const la = tf.scalar(logAlpha0);
    agent.logAlpha.assign(la);
    la.dispose();

    const batch = allocateBatch(B, OBS, ACT);
    const obs = [
      [0.6, -0.8, 1.5],
      [-1, 0.1, -2],
      [0.2, 0.98, 0.4],
    ];
    const nextObs = [
      [0.5, -0.9, 2.1],
      [-0.95, 0.3, -1.2],
      [0.1, 0.99, -0.7],
    ];
    const acts = [0.3, -0.7, 0.9];
    const rew = [-1.5, -2.2, -0.3];
    const msk = [1, 1, 0];
    batch.observations.set(obs.flat());
    batch.nextObservations.set(nextObs.flat());
    batch.actions.set(acts);
    batch.rewards.set(rew);
    batch.masks.set(msk);
    const hp: UpdateHyperparameters = { gamma: 0.99, tau: 0.1, actorLr: 0.01, criticLr: 0.02, alphaLr: 0.05, targetEntropy: -1 };

    // The agent draws ε' (next state) then ε (current state) from the rng it is given, B·A normals each.
    const replica = new Rng(1234);
    const nextEps = Array.from(replica.fillNormal(new Float32Array(B * ACT)));
    const eps = Array.from(replica.fillNormal(new Float32Array(B * ACT)));

    // Read everything back as float32 (what the agent holds), then compute in float64.
    const obsF = obs.map((row) => row.map(Math.fround));
    const nextObsF = nextObs.map((row) => row.map(Math.fround));
    const actsF = acts.map(Math.fround);
    const rewF = rew.map(Math.fround);
    const alpha0 = Math.exp(logAlpha0);

    // Critic target with the target critic and the current actor at s'.
    const y = nextObsF.map((s2, b) => {
      const next = jsSample(actorW, s2, at(nextEps, b));
      const minTargetQ = Math.min(jsCritic(targetW, 0, s2, next.a), jsCritic(targetW, 1, s2, next.a));
      return at(rewF, b) + hp.gamma * at(msk, b) * (minTargetQ - alpha0 * next.logProb);
    });
    const jsCriticLoss = (w: [number[][], number[][]]): number =>
      mean(obsF.map((s, b) => (jsCritic(w, 0, s, at(actsF, b)) - at(y, b)) ** 2)) + mean(obsF.map((s, b) => (jsCritic(w, 1, s, at(actsF, b)) - at(y, b)) ** 2));
    const expectedCriticLoss = jsCriticLoss(criticW);

    // Current-state sample with the pre-update actor (log π is computed before the actor's Adam step).
    const current = obsF.map((s, b) => jsSample(actorW, s, at(eps, b)));
    const expectedEntropy = -mean(current.map((c) => c.logProb));
    const expectedAlphaLoss = -mean(current.map((c) => logAlpha0 * (c.logProb + hp.targetEntropy)));

    // Sanity of the fixture: hidden units are alive and the terms are not trivially zero.
    expect(Math.abs(expectedCriticLoss)).toBeGreaterThan(1e-2);
    expect(new Set(y.map((v) => v.toFixed(6))).size).toBe(3);
    // Actions away from ±1, where float32 tanh would make log(1 − a² + 1e−6) imprecise.
    for (const c of current) expect(Math.abs(c.a)).toBeLessThan(0.98);

    const stats = agent.update(batch, new Rng(1234), hp);
    const values = Array.from(stats.dataSync());
    stats.dispose();
    const stat = (name: (typeof UPDATE_STATS)[number]): number => at(values, UPDATE_STATS.indexOf(name));

    const rel = (actual: number, expected: number): number => Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    expect(rel(stat('criticLoss'), expectedCriticLoss)).toBeLessThan(1e-5);
    expect(rel(stat('entropy'), expectedEntropy)).toBeLessThan(1e-5);
    expect(rel(stat('alphaLoss'), expectedAlphaLoss)).toBeLessThan(1e-5);

    // Actor loss and qMean are measured against the critic *after* its step (the lecture's order).
    const criticAfterFlat = agent.critic.variables.map((v) => Array.from(v.dataSync()));
    const criticAfter = splitTwin(criticAfterFlat, criticShapes);
    const minQAfter = obsF.map((s, b) => Math.min(jsCritic(criticAfter, 0, s, at(current, b).a), jsCritic(criticAfter, 1, s, at(current, b).a)));
    const expectedActorLoss = mean(current.map((c, b) => alpha0 * c.logProb - at(minQAfter, b)));
    expect(rel(stat('actorLoss'), expectedActorLoss)).toBeLessThan(1e-5);
    expect(rel(stat('qMean'), mean(minQAfter))).toBeLessThan(1e-5);

    // First Adam step of the critic: Δθ = −lr·g/(|g| + 1e−8) ≈ −lr·sign(g) for |g| ≫ 1e−8, with g the
    // gradient of the plain-JS critic loss (central differences in float64).
    let checked = 0;
    criticFlat.forEach((values0, p) => {
      values0.forEach((theta, i) => {
        const h = 1e-6;
        const shifted = (delta: number): number =>
          jsCriticLoss(splitTwin(criticFlat.map((w, q) => (q === p ? w.map((v, j) => (j === i ? v + delta : v)) : w)), criticShapes));
        const g = (shifted(h) - shifted(-h)) / (2 * h);
        const after = at(at(criticAfterFlat, p), i);
        if (Math.abs(g) > 1e-3) {
          expect(Math.abs(after - (theta - hp.criticLr * Math.sign(g)))).toBeLessThan(1e-5);
          checked++;
        } else if (g === 0) {
          expect(after).toBe(theta); // dead ReLU: no gradient, no move
        }
      });
    });
    expect(checked).toBeGreaterThan(10);

    // Temperature: g = −mean(log π + H̄) → log α moves by −alphaLr·sign(g) on the first Adam step.
    const gAlpha = -mean(current.map((c) => c.logProb + hp.targetEntropy));
    expect(Math.abs(gAlpha)).toBeGreaterThan(1e-3);
    expect(Math.abs((agent.logAlpha.dataSync()[0] ?? Number.NaN) - (logAlpha0 - hp.alphaLr * Math.sign(gAlpha)))).toBeLessThan(1e-6);

    // Soft target update: θ̄ ← τ·θ(after critic step) + (1 − τ)·θ̄.
    agent.targetCritic.variables.forEach((v, p) => {
      const expected = at(targetFlat, p);
      const actual = v.dataSync();
      expected.forEach((old, i) => expect(Math.abs((actual[i] ?? Number.NaN) - (hp.tau * at(at(criticAfterFlat, p), i) + (1 - hp.tau) * old))).toBeLessThan(1e-6));
    });

    agent.dispose();
  });
});
