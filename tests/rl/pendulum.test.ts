/**
 * Pendulum-v1 (g = 10) against numbers computed independently in Python with a transcription of
 * Gymnasium's `PendulumEnv.step` (math instead of numpy, same operations in the same order):
 *
 *   import math, struct
 *   def f32(x): return struct.unpack('f', struct.pack('f', x))[0]
 *   def angle_normalize(x): return ((x + math.pi) % (2 * math.pi)) - math.pi
 *   def step(th, thdot, u, g=10.0, m=1.0, l=1.0, dt=0.05, max_speed=8.0, max_torque=2.0):
 *       u = min(max(u, -max_torque), max_torque)
 *       costs = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * (u ** 2)
 *       newthdot = thdot + (3 * g / (2 * l) * math.sin(th) + 3.0 / (m * l ** 2) * u) * dt
 *       newthdot = min(max(newthdot, -max_speed), max_speed)
 *       newth = th + newthdot * dt
 *       return newth, newthdot, -costs
 *   for th, thd, u in cases:
 *       nth, nthd, r = step(th, thd, u)
 *       obs = [f32(math.cos(nth)), f32(math.sin(nth)), f32(nthd)]
 *       print([th, thd, u, nth, nthd, r, *obs])
 */
import { describe, expect, it } from 'vitest';
import { MAX_EPISODE_STEPS, Pendulum, angleNormalize, pendulumDynamics, pythonMod } from '../../src/rl/env/pendulum';

const PI = Math.PI;

// [θ, θ̇, u, θ', θ̇', reward, obs0, obs1, obs2] printed by the Python above.
const PYTHON_STEPS: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['θ = −3 (negative angle)', [-3.0, 0.5, 1.0, -2.972792000302245, 0.5441599939550996, -9.026, -0.9857869744300842, -0.16800017654895782, 0.544160008430481]],
  ['θ = −7 (below −2π, normalised for the cost)', [-7.0, -2.0, -0.5, -7.128386997451955, -2.5677399490390918, -0.9140733038432242, 0.6635804176330566, -0.748104989528656, -2.567739963531494]],
  ['θ = 4 (above π)', [4.0, 1.0, 0.3, 4.023869906425952, 0.47739812851905383, -5.313025146920741, -0.6353943347930908, -0.7721878290176392, 0.4773981273174286]],
  ['torque 5 clipped to 2', [0.1, 0.0, 5.0, 0.11874375312425606, 0.37487506248512115, -0.014000000000000018, 0.9929582476615906, 0.11846490204334259, 0.3748750686645508]],
  ['torque −5 clipped to −2', [0.1, 0.0, -5.0, 0.08874375312425606, -0.22512493751487891, -0.014000000000000018, 0.9960648417472839, 0.08862731605768204, -0.22512494027614594]],
  ['speed clipped at +8', [1.0, 7.9, 2.0, 1.4, 8.0, -7.245, 0.1699671447277069, 0.9854497313499451, 8.0]],
  ['speed clipped at −8', [-1.0, -7.9, -2.0, -1.4, -8.0, -7.245, 0.1699671447277069, -0.9854497313499451, -8.0]],
  ['θ = π (normalised to −π)', [PI, 0.0, 0.0, PI, 9.184850993605151e-17, -9.869604401089358, -1.0, 1.2246468525851679e-16, 9.184850732644269e-17]],
  ['θ = −π, θ̇ = 8, u = 2: the worst reward', [-PI, 8.0, 2.0, -2.741592653589793, 8.0, -16.27360440108936, -0.9210609793663025, -0.3894183337688446, 8.0]],
];

// Five consecutive steps from (θ, θ̇) = (−3, 0.5): [u, θ', θ̇', reward] (same Python, state carried over).
const PYTHON_TRAJECTORY: ReadonlyArray<readonly [number, number, number, number]> = [
  [2.0, -2.965292000302245, 0.6941599939550996, -9.029],
  [-1.5, -2.948411079770992, 0.3376184106250627, -8.843392456777265],
  [0.7, -2.9334794937203768, 0.2986317210123121, -8.705016514435647],
  [3.0, -2.911295937990503, 0.44367111459747655, -8.618220030557435],
  [-0.2, -2.899172372842002, 0.24247130297002795, -8.495368444352819],
];

const TOL = 1e-6;

function expectClose(actual: number, expected: number, tolerance = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

describe('Pendulum.step against Gymnasium Pendulum-v1 (Python reference)', () => {
  for (const [name, row] of PYTHON_STEPS) {
    it(name, () => {
      const [theta, thetaDot, u, nextTheta, nextThetaDot, reward, o0, o1, o2] = row as [number, number, number, number, number, number, number, number, number];
      const env = new Pendulum();
      env.reset({ state: { theta, thetaDot } });
      const result = env.step([u]);
      expectClose(env.theta, nextTheta);
      expectClose(env.thetaDot, nextThetaDot);
      expectClose(result.reward, reward);
      expect(result.observation).toBeInstanceOf(Float32Array);
      expect(result.observation.length).toBe(3);
      expectClose(result.observation[0] ?? Number.NaN, o0);
      expectClose(result.observation[1] ?? Number.NaN, o1);
      expectClose(result.observation[2] ?? Number.NaN, o2);
      expect(result.terminated).toBe(false);
      expect(result.truncated).toBe(false);
      // The pure dynamics give the same step.
      const pure = pendulumDynamics(theta, thetaDot, u, 10);
      expectClose(pure.theta, nextTheta);
      expectClose(pure.thetaDot, nextThetaDot);
      expectClose(-pure.cost, reward);
    });
  }

  it('five consecutive steps carry the unwrapped state', () => {
    const env = new Pendulum();
    env.reset({ state: { theta: -3, thetaDot: 0.5 } });
    for (const [u, theta, thetaDot, reward] of PYTHON_TRAJECTORY) {
      const result = env.step([u]);
      expectClose(env.theta, theta);
      expectClose(env.thetaDot, thetaDot);
      expectClose(result.reward, reward);
    }
  });

  it('clips the applied torque to ±2 and reports it', () => {
    const env = new Pendulum();
    env.reset({ state: { theta: 0.1, thetaDot: 0 } });
    env.step([5]);
    expect(env.lastTorque).toBe(2);
    env.step([-5]);
    expect(env.lastTorque).toBe(-2);
    env.step([0.5]);
    expect(env.lastTorque).toBe(0.5);
  });

  it('does not wrap θ in the state: spinning keeps accumulating the angle', () => {
    const env = new Pendulum();
    env.reset({ state: { theta: 0, thetaDot: 8 } });
    for (let i = 0; i < 40; i++) env.step([2]);
    // At most 8 rad/s · 0.05 s per step: after 40 steps θ has gone well past 2π without being wrapped.
    expect(env.theta).toBeGreaterThan(2 * PI);
    expect(Math.abs(env.thetaDot)).toBeLessThanOrEqual(8);
  });

  it('the observation is [cos θ, sin θ, θ̇] rounded to float32', () => {
    const env = new Pendulum();
    const obs = env.reset({ state: { theta: -7, thetaDot: 1.2345678901 } });
    expect(obs).toBeInstanceOf(Float32Array);
    expect(Array.from(obs)).toEqual([Math.fround(Math.cos(-7)), Math.fround(Math.sin(-7)), Math.fround(1.2345678901)]);
    expect(obs[2]).not.toBe(1.2345678901);
  });
});

describe('Pendulum episode bookkeeping', () => {
  it('truncates exactly on the 200th step and only then; never terminates', () => {
    expect(MAX_EPISODE_STEPS).toBe(200);
    const env = new Pendulum();
    env.reset({ seed: 3 });
    for (let t = 1; t <= 200; t++) {
      const result = env.step([Math.sin(t)]);
      expect(result.terminated).toBe(false);
      expect(result.truncated).toBe(t === 200);
      expect(env.stepsInEpisode).toBe(t);
    }
    // A reset starts a fresh 200-step episode.
    env.reset({ seed: 4 });
    expect(env.stepsInEpisode).toBe(0);
    for (let t = 1; t <= 199; t++) expect(env.step([0]).truncated).toBe(false);
    expect(env.step([0]).truncated).toBe(true);
  });

  it('reset(seed) is reproducible and draws θ ∈ [−π, π), θ̇ ∈ [−1, 1]', () => {
    const a = new Pendulum();
    const b = new Pendulum();
    const first = a.reset({ seed: 123 });
    const second = b.reset({ seed: 123 });
    expect(Array.from(second)).toEqual(Array.from(first));
    expect(b.theta).toBe(a.theta);
    expect(b.thetaDot).toBe(a.thetaDot);
    const c = new Pendulum();
    c.reset({ seed: 124 });
    expect(c.theta).not.toBe(a.theta);

    // Unseeded resets continue the seeded stream, identically for both envs.
    for (let i = 0; i < 500; i++) {
      a.reset();
      b.reset();
      expect(b.theta).toBe(a.theta);
      expect(a.theta).toBeGreaterThanOrEqual(-PI);
      expect(a.theta).toBeLessThan(PI);
      expect(a.thetaDot).toBeGreaterThanOrEqual(-1);
      expect(a.thetaDot).toBeLessThanOrEqual(1);
      expect(a.lastTorque).toBe(0);
    }
  });

  it('reset draws cover the ranges (not a constant)', () => {
    const env = new Pendulum();
    env.reset({ seed: 9 });
    let minTheta = Infinity;
    let maxTheta = -Infinity;
    let minDot = Infinity;
    let maxDot = -Infinity;
    for (let i = 0; i < 2000; i++) {
      env.reset();
      minTheta = Math.min(minTheta, env.theta);
      maxTheta = Math.max(maxTheta, env.theta);
      minDot = Math.min(minDot, env.thetaDot);
      maxDot = Math.max(maxDot, env.thetaDot);
    }
    expect(minTheta).toBeLessThan(-3);
    expect(maxTheta).toBeGreaterThan(3);
    expect(minDot).toBeLessThan(-0.95);
    expect(maxDot).toBeGreaterThan(0.95);
  });

  it('rejects NaN, ±Infinity and wrong-length actions', () => {
    const env = new Pendulum();
    env.reset({ state: { theta: 0.3, thetaDot: 0 } });
    expect(() => env.step([Number.NaN])).toThrow(RangeError);
    expect(() => env.step([Infinity])).toThrow(RangeError);
    expect(() => env.step([-Infinity])).toThrow(RangeError);
    expect(() => env.step([])).toThrow(RangeError);
    expect(() => env.step([0.1, 0.2])).toThrow(RangeError);
    expect(() => env.step(new Float32Array([Number.NaN]))).toThrow(RangeError);
    // Rejected actions did not advance the env.
    expect(env.theta).toBe(0.3);
    expect(env.stepsInEpisode).toBe(0);
  });

  it('every reward lies in [−16.2736044, 0], and the bound is reached', () => {
    const env = new Pendulum();
    env.reset({ seed: 1 });
    for (let episode = 0; episode < 5; episode++) {
      env.reset();
      for (let t = 0; t < 200; t++) {
        const r = env.step([4 * Math.sin(0.37 * t + episode)]).reward;
        expect(r).toBeLessThanOrEqual(0);
        expect(r).toBeGreaterThanOrEqual(-16.2736044);
      }
    }
    // Worst case: |norm θ| = π, |θ̇| = 8, |u| = 2 → −(π² + 6.4 + 0.004) = −16.27360440108936 (Python).
    env.reset({ state: { theta: -PI, thetaDot: -8 } });
    expectClose(env.step([-2]).reward, -16.27360440108936, 1e-12);
    env.reset({ state: { theta: 0, thetaDot: 0 } });
    expect(env.step([0]).reward === 0).toBe(true); // upright and still: no cost
  });
});

describe('pythonMod and angleNormalize on negatives (values from Python)', () => {
  it('pythonMod has the sign of the divisor', () => {
    // Python: -1.0 % 3.0, -7.5 % 2.0, 5.0 % 3.0, -6.0 % 3.0, -0.25 % 1.0
    const cases: Array<[number, number, number]> = [
      [-1.0, 3.0, 2.0],
      [-7.5, 2.0, 0.5],
      [5.0, 3.0, 2.0],
      [-6.0, 3.0, 0.0],
      [-0.25, 1.0, 0.75],
    ];
    for (const [x, m, expected] of cases) expect(pythonMod(x, m)).toBeCloseTo(expected, 12);
    expect(-1 % 3).toBe(-1); // JavaScript's % differs; the helper must not be plain %
  });

  it('angleNormalize maps into [−π, π) like Gymnasium', () => {
    // Python: angle_normalize(x) = ((x + math.pi) % (2 * math.pi)) - math.pi
    const cases: Array<[number, number]> = [
      [-3.0, -3.0],
      [-7.0, -0.7168146928204138],
      [4.0, -2.2831853071795862],
      [-PI, -PI],
      [PI, -PI],
      [-10.5, 2.0663706143591725],
      [13.0, 0.43362938564082754],
      [0.0, 0.0],
    ];
    for (const [x, expected] of cases) expect(angleNormalize(x)).toBeCloseTo(expected, 12);
  });
});
