/**
 * Actor and twin critic: forward passes against plain-JS MLPs computed from the variables' values,
 * the log σ clamp, PyTorch's nn.Linear initialisation bounds, hard copy and soft target update.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/rng';
import { ActorNetwork, LOG_STD_MAX, LOG_STD_MIN, TwinCriticNetwork } from '../../src/rl/sac/networks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const relu = (x: number): number => Math.max(0, x);

function at<T>(xs: readonly T[] | ArrayLike<T> | undefined, i: number): T {
  const v = xs?.[i];
  if (v === undefined) throw new Error(`index ${i} out of range`);
  return v;
}

const valuesOf = (variables: tf.Variable[]): number[][] => variables.map((v) => Array.from(v.dataSync()));

/**
 * The twin critic's variables as [Q1's six arrays, Q2's six arrays], each [kernel1 [in, H], bias1 [H],
 * kernel2 [H, H], bias2 [H], kernel3 [H, 1], bias3 [1]] row-major. Accepts both storage layouts of
 * TwinCriticNetwork: six stacked variables [2, …] (index 0 = Q1, 1 = Q2) or twelve plain ones (Q1's then Q2's).
 */
function twinValues(network: TwinCriticNetwork): [number[][], number[][]] {
  const variables = network.variables;
  const values = valuesOf(variables);
  if (values.length === 12) return [values.slice(0, 6), values.slice(6)];
  if (values.length === 6 && variables.every((v) => v.shape[0] === 2)) {
    return [values.map((v) => v.slice(0, v.length / 2)), values.map((v) => v.slice(v.length / 2))];
  }
  throw new Error(`unknown TwinCriticNetwork layout: ${JSON.stringify(variables.map((v) => v.shape))}`);
}

/** Plain-JS Dense(H, relu) → Dense(H, relu) → Dense(out) for one input row; kernels [in, out] row-major. */
function mlp(w: number[][], input: number[], hidden: number, out: number): number[] {
  const [k1, b1, k2, b2, k3, b3] = w;
  const h1 = Array.from({ length: hidden }, (_, j) => relu(input.reduce((s, x, i) => s + x * at(k1, i * hidden + j), at(b1, j))));
  const h2 = Array.from({ length: hidden }, (_, j) => relu(h1.reduce((s, x, i) => s + x * at(k2, i * hidden + j), at(b2, j))));
  return Array.from({ length: out }, (_, o) => h2.reduce((s, x, i) => s + x * at(k3, i * out + o), at(b3, o)));
}

/** Assigns `values` (flat) to each variable in turn. */
function assignAll(variables: tf.Variable[], make: (index: number, size: number) => number[]): void {
  variables.forEach((variable, index) => {
    const t = tf.tensor(make(index, variable.size), variable.shape);
    variable.assign(t);
    t.dispose();
  });
}

const OBS = 3;
const ACT = 1;

const observations = [
  [0.3, -0.95, 1.7],
  [-0.8, 0.6, -4.2],
  [1, 0, 0],
  [0.05, 0.99, 7.5],
];
const actions = [0.4, -0.9, 0, 0.99];

describe('TwinCriticNetwork', () => {
  it('forward equals two independent plain-JS MLPs (Q1 at index 0, Q2 at index 1)', () => {
    const H = 5;
    const critic = new TwinCriticNetwork(new Rng(31), OBS, ACT, H);
    const [q1w, q2w] = twinValues(critic);
    const s = tf.tensor2d(observations);
    const a = tf.tensor2d(actions.map((x) => [x]));
    const q = critic.forward(s, a);
    expect(q.shape).toEqual([2, observations.length, 1]);
    const out = q.dataSync();
    const B = observations.length;
    let differ = 0;
    observations.forEach((obs, b) => {
      const input = [...obs, at(actions, b)];
      const q1 = at(mlp(q1w, input, H, 1), 0);
      const q2 = at(mlp(q2w, input, H, 1), 0);
      expect(Math.abs(at(out, b) - q1)).toBeLessThan(1e-5);
      expect(Math.abs(at(out, B + b) - q2)).toBeLessThan(1e-5);
      if (Math.abs(q1 - q2) > 1e-3) differ++;
    });
    expect(differ).toBeGreaterThan(0); // the twins are independent networks
    tf.dispose([s, a, q]);
    critic.dispose();
  });

  it('init: every weight and bias in U(±1/√fan_in), spread over the range; Q1 ≠ Q2; a target starts at zero', () => {
    const H = 64;
    const critic = new TwinCriticNetwork(new Rng(500), OBS, ACT, H);
    const [q1w, q2w] = twinValues(critic);
    const fanIns = [OBS + ACT, OBS + ACT, H, H, H, H];
    for (const w of [q1w, q2w]) {
      w.forEach((values, layer) => {
        const bound = 1 / Math.sqrt(at(fanIns, layer));
        const maxAbs = Math.max(...values.map(Math.abs));
        expect(maxAbs).toBeLessThanOrEqual(bound);
        if (values.length >= 64) {
          expect(maxAbs).toBeGreaterThan(0.9 * bound); // not drawn with a smaller bound (wrong fan_in)
          expect(Math.abs(values.reduce((x, y) => x + y, 0) / values.length)).toBeLessThan(0.25 * bound);
        }
      });
    }
    expect(at(q1w, 0)).not.toEqual(at(q2w, 0));
    const target = new TwinCriticNetwork(null, OBS, ACT, H);
    for (const values of valuesOf(target.variables)) expect(values.every((x) => x === 0)).toBe(true);
    critic.dispose();
    target.dispose();
  });

  it('copyFrom makes the target equal to the source, as an independent copy', () => {
    const H = 4;
    const source = new TwinCriticNetwork(new Rng(1), OBS, ACT, H);
    const target = new TwinCriticNetwork(null, OBS, ACT, H);
    target.copyFrom(source);
    const copied = valuesOf(target.variables);
    expect(copied).toEqual(valuesOf(source.variables));
    // Changing the source afterwards leaves the copy alone.
    assignAll(source.variables, (_, size) => new Array<number>(size).fill(3));
    expect(valuesOf(target.variables)).toEqual(copied);
    source.dispose();
    target.dispose();
  });

  it('softUpdateFrom: θ̄ ← τθ + (1 − τ)θ̄, exactly on float32-exact values', () => {
    const H = 3;
    const source = new TwinCriticNetwork(new Rng(2), OBS, ACT, H);
    const target = new TwinCriticNetwork(null, OBS, ACT, H);
    // Small dyadic numbers, so τ = 0.25 arithmetic is exact in float32.
    const sourceValue = (index: number, i: number): number => ((index * 7 + i * 3) % 17) - 8; // integers in [−8, 8]
    const targetValue = (index: number, i: number): number => (((index * 5 + i * 11) % 13) - 6) / 4;
    assignAll(source.variables, (index, size) => Array.from({ length: size }, (_, i) => sourceValue(index, i)));
    assignAll(target.variables, (index, size) => Array.from({ length: size }, (_, i) => targetValue(index, i)));
    const sourceBefore = valuesOf(source.variables);
    target.softUpdateFrom(source, 0.25);
    const expected = target.variables.map((v, index) => Array.from({ length: v.size }, (_, i) => 0.25 * sourceValue(index, i) + 0.75 * targetValue(index, i)));
    expect(valuesOf(target.variables)).toEqual(expected);
    expect(valuesOf(source.variables)).toEqual(sourceBefore); // the source is not touched

    // The default τ = 0.005 on arbitrary values, twice in a row (the update compounds).
    const t0 = valuesOf(target.variables);
    target.softUpdateFrom(source, 0.005);
    target.softUpdateFrom(source, 0.005);
    const got = valuesOf(target.variables);
    t0.forEach((values, index) =>
      values.forEach((old, i) => {
        const theta = at(at(sourceBefore, index), i);
        const once = 0.005 * theta + 0.995 * old;
        const twice = 0.005 * theta + 0.995 * once;
        expect(Math.abs(at(at(got, index), i) - twice)).toBeLessThan(1e-6 * Math.max(1, Math.abs(twice)));
      }),
    );
    source.dispose();
    target.dispose();
  });

  it('softUpdateFrom with τ = 1 copies and with τ = 0 keeps the target', () => {
    const H = 3;
    const source = new TwinCriticNetwork(new Rng(3), OBS, ACT, H);
    const target = new TwinCriticNetwork(new Rng(4), OBS, ACT, H);
    const before = valuesOf(target.variables);
    target.softUpdateFrom(source, 0);
    expect(valuesOf(target.variables)).toEqual(before);
    target.softUpdateFrom(source, 1);
    expect(valuesOf(target.variables)).toEqual(valuesOf(source.variables));
    source.dispose();
    target.dispose();
  });
});

describe('ActorNetwork', () => {
  /** Plain-JS actor from its variables: head columns [μ | log σ], log σ clamped to [−20, 2]. */
  function jsActor(actor: ActorNetwork, obs: number[]): { mean: number; logStd: number; rawLogStd: number } {
    const [head0, head1] = mlp(valuesOf(actor.variables), obs, actor.hiddenSize, 2);
    const rawLogStd = head1 ?? Number.NaN;
    return { mean: head0 ?? Number.NaN, rawLogStd, logStd: Math.min(Math.max(rawLogStd, -20), 2) };
  }

  it('forward equals a plain-JS MLP with μ and log σ heads', () => {
    const actor = new ActorNetwork(new Rng(17), OBS, ACT, 6);
    const s = tf.tensor2d(observations);
    const { mean, logStd } = actor.forward(s);
    expect(mean.shape).toEqual([observations.length, 1]);
    expect(logStd.shape).toEqual([observations.length, 1]);
    const m = mean.dataSync();
    const l = logStd.dataSync();
    observations.forEach((obs, b) => {
      const expected = jsActor(actor, obs);
      expect(Math.abs(at(m, b) - expected.mean)).toBeLessThan(1e-5);
      expect(Math.abs(at(l, b) - expected.logStd)).toBeLessThan(1e-5);
    });
    tf.dispose([s, mean, logStd]);
    actor.dispose();
  });

  it('log σ is clamped to [−20, 2]; μ is not', () => {
    expect(LOG_STD_MIN).toBe(-20);
    expect(LOG_STD_MAX).toBe(2);
    const H = 4;
    const actor = new ActorNetwork(new Rng(8), OBS, ACT, H);
    // Head kernel zero, head bias [μ, raw log σ]: the outputs are the bias itself, clamped for log σ.
    const headKernel = at(actor.variables, 4);
    const headBias = at(actor.variables, 5);
    const zeros = tf.zeros(headKernel.shape);
    headKernel.assign(zeros);
    zeros.dispose();
    const s = tf.tensor2d([[0.1, 0.2, 0.3]]);
    for (const [mu, raw, want] of [
      [40, 50, 2],
      [-40, -50, -20],
      [0.5, -3, -3],
      [0, 2, 2],
      [0, -20, -20],
      [0, 2.5, 2],
      [0, -20.5, -20],
    ] as const) {
      const bias = tf.tensor1d([mu, raw]);
      headBias.assign(bias);
      bias.dispose();
      const { mean, logStd } = actor.forward(s);
      expect(mean.dataSync()[0]).toBe(mu);
      expect(logStd.dataSync()[0]).toBe(want);
      tf.dispose([mean, logStd]);
    }
    tf.dispose(s);
    actor.dispose();
  });

  it('init: every weight and bias in U(±1/√fan_in), spread over the range', () => {
    const H = 64;
    const actor = new ActorNetwork(new Rng(500), OBS, ACT, H);
    const fanIns = [OBS, OBS, H, H, H, H];
    valuesOf(actor.variables).forEach((values, layer) => {
      const bound = 1 / Math.sqrt(at(fanIns, layer));
      const maxAbs = Math.max(...values.map(Math.abs));
      expect(maxAbs).toBeLessThanOrEqual(bound);
      if (values.length >= 64) expect(maxAbs).toBeGreaterThan(0.9 * bound);
    });
    // The μ and log σ heads are separate draws.
    const head = at(valuesOf(actor.variables), 4);
    const muColumn = head.filter((_, i) => i % 2 === 0);
    const logStdColumn = head.filter((_, i) => i % 2 === 1);
    expect(muColumn).not.toEqual(logStdColumn);
    actor.dispose();
  });

  it('the same seed gives the same weights', () => {
    const a = new ActorNetwork(new Rng(9), OBS, ACT, 8);
    const b = new ActorNetwork(new Rng(9), OBS, ACT, 8);
    const c = new ActorNetwork(new Rng(10), OBS, ACT, 8);
    expect(valuesOf(b.variables)).toEqual(valuesOf(a.variables));
    expect(valuesOf(c.variables)).not.toEqual(valuesOf(a.variables));
    a.dispose();
    b.dispose();
    c.dispose();
  });
});

describe('no leaks', () => {
  it('forward, copyFrom and softUpdateFrom leave only their outputs', () => {
    const critic = new TwinCriticNetwork(new Rng(1), OBS, ACT, 4);
    const target = new TwinCriticNetwork(null, OBS, ACT, 4);
    const actor = new ActorNetwork(new Rng(2), OBS, ACT, 4);
    const s = tf.tensor2d(observations);
    const a = tf.tensor2d(actions.map((x) => [x]));
    const before = tf.memory().numTensors;
    target.copyFrom(critic);
    target.softUpdateFrom(critic, 0.1);
    expect(tf.memory().numTensors).toBe(before);
    const q = critic.forward(s, a);
    expect(tf.memory().numTensors).toBe(before + 1);
    q.dispose();
    tf.dispose([s, a]);
    critic.dispose();
    target.dispose();
    actor.dispose();
  });
});
