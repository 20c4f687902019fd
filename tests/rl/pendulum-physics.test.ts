/**
 * Issue 9: the pendulum's physics as parameters. Checked against an independent transcription of
 * Gymnasium's Pendulum-v1 `step` written out here (not the code's formula imported), for non-default
 * g, m, l, max torque and max speed; plus validation, pushes, "from the next episode" and snapshots.
 */
import { describe, expect, it } from 'vitest';
import { Pendulum } from '../../src/rl/env/pendulum';
import { DEFAULT_PHYSICS, PHYSICS_RANGES, physicsProblem, type PendulumPhysics } from '../../src/rl/env/physics';

/** Gymnasium's PendulumEnv.step, transcribed (dt = 0.05). */
function gymStep(th: number, thdot: number, u: number, g: number, m: number, l: number, maxTorque: number, maxSpeed: number): [number, number, number] {
  const dt = 0.05;
  const angle = ((((th + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  u = Math.min(Math.max(u, -maxTorque), maxTorque);
  const costs = angle * angle + 0.1 * thdot * thdot + 0.001 * u * u;
  let newthdot = thdot + ((3 * g) / (2 * l) * Math.sin(th) + (3.0 / (m * l * l)) * u) * dt;
  newthdot = Math.min(Math.max(newthdot, -maxSpeed), maxSpeed);
  const newth = th + newthdot * dt;
  return [newth, newthdot, -costs];
}

const SETS: ReadonlyArray<[string, PendulumPhysics]> = [
  ['g = 20', { ...DEFAULT_PHYSICS, gravity: 20 }],
  ['moon: g = 1.62, m = 0.5, l = 2', { gravity: 1.62, mass: 0.5, length: 2, maxTorque: 2, maxSpeed: 8 }],
  ['heavy short: g = 9.81, m = 3, l = 0.4, torque 6, speed 15', { gravity: 9.81, mass: 3, length: 0.4, maxTorque: 6, maxSpeed: 15 }],
  ['weak motor, slow: torque 0.5, speed 3', { gravity: 10, mass: 1, length: 1, maxTorque: 0.5, maxSpeed: 3 }],
];

const TORQUES = [2, -1.5, 0.7, 9, -9, 0.2, 3, -0.4, 1, -2.5, 5, 0, -7, 1.1, 0.3];

describe('Pendulum physics against Gymnasium Pendulum-v1 (transcribed)', () => {
  for (const [name, physics] of SETS) {
    it(`${name}: 60 steps from a few starts match`, () => {
      for (const [theta0, thetaDot0] of [[-3, 0.5], [0.3, -2], [2.5, 6]] as Array<[number, number]>) {
        const env = new Pendulum({ physics });
        env.reset({ state: { theta: theta0, thetaDot: thetaDot0 } });
        let th = theta0;
        let thdot = thetaDot0;
        for (let i = 0; i < 60; i++) {
          const u = TORQUES[i % TORQUES.length] as number;
          const [nth, nthdot, reward] = gymStep(th, thdot, u, physics.gravity, physics.mass, physics.length, physics.maxTorque, physics.maxSpeed);
          const result = env.step([u]);
          expect(env.theta).toBeCloseTo(nth, 12);
          expect(env.thetaDot).toBeCloseTo(nthdot, 12);
          expect(result.reward).toBeCloseTo(reward, 12);
          expect(Math.abs(env.thetaDot)).toBeLessThanOrEqual(physics.maxSpeed);
          expect(Math.abs(env.lastTorque)).toBeLessThanOrEqual(physics.maxTorque);
          th = nth;
          thdot = nthdot;
        }
      }
    });
  }

  it('the defaults are exactly Gymnasium’s and the old { g } option still works', () => {
    expect(DEFAULT_PHYSICS).toEqual({ gravity: 10, mass: 1, length: 1, maxTorque: 2, maxSpeed: 8 });
    expect(new Pendulum().physics).toEqual(DEFAULT_PHYSICS);
    expect(new Pendulum({ g: 9.81 }).physics).toEqual({ ...DEFAULT_PHYSICS, gravity: 9.81 });
    const a = new Pendulum({ g: 20 });
    const b = new Pendulum({ physics: { gravity: 20 } });
    a.reset({ state: { theta: 1, thetaDot: 0 } });
    b.reset({ state: { theta: 1, thetaDot: 0 } });
    a.step([0.5]);
    b.step([0.5]);
    expect(a.theta).toBe(b.theta);
  });

  it('g = 20 falls faster than g = 10 from the same start', () => {
    const fall = (gravity: number): number => {
      const env = new Pendulum({ physics: { gravity } });
      env.reset({ state: { theta: 0.2, thetaDot: 0 } });
      for (let i = 0; i < 10; i++) env.step([0]);
      return env.theta;
    };
    expect(fall(20)).toBeGreaterThan(fall(10));
  });
});

describe('physics validation', () => {
  it('names the setting and its range', () => {
    expect(physicsProblem({ ...DEFAULT_PHYSICS, gravity: 40 })).toMatch(/Gravity g \(gravity\) must be in \[0\.5, 30\]/);
    expect(physicsProblem({ ...DEFAULT_PHYSICS, mass: 0 })).toMatch(/mass.*\[0\.1, 10\]/);
    expect(physicsProblem({ ...DEFAULT_PHYSICS, length: Number.NaN })).toMatch(/length.*finite/);
    expect(physicsProblem({ ...DEFAULT_PHYSICS, maxSpeed: 31 })).toMatch(/maxSpeed.*\[1, 30\]/);
    expect(physicsProblem({ ...DEFAULT_PHYSICS, maxTorque: 0.05 })).toMatch(/maxTorque.*\[0\.1, 10\]/);
    expect(physicsProblem({ ...DEFAULT_PHYSICS, friction: 1 })).toMatch(/unknown physics setting "friction"/);
    expect(physicsProblem({ gravity: 10 })).toMatch(/mass/);
    expect(physicsProblem(null)).toMatch(/object/);
    expect(physicsProblem(DEFAULT_PHYSICS)).toBeNull();
    for (const range of Object.values(PHYSICS_RANGES)) expect(range.min).toBeLessThan(range.max);
  });

  it('the env refuses bad physics and keeps its own', () => {
    const env = new Pendulum();
    expect(() => env.setPhysics({ ...DEFAULT_PHYSICS, gravity: 0 })).toThrow(/gravity/);
    expect(env.physics).toEqual(DEFAULT_PHYSICS);
    expect(() => new Pendulum({ physics: { length: 10 } })).toThrow(/length/);
  });
});

describe('pushes, next-episode physics and snapshots', () => {
  it('a push adds to θ̇ (clipped to ±max speed) and/or sets θ', () => {
    const env = new Pendulum({ physics: { maxSpeed: 5 } });
    env.reset({ state: { theta: 1, thetaDot: 2 } });
    expect(env.push({ deltaThetaDot: 1.5 })).toEqual({ theta: 1, thetaDot: 3.5 });
    expect(env.push({ deltaThetaDot: 10 }).thetaDot).toBe(5);
    expect(env.push({ theta: -0.5, deltaThetaDot: -20 })).toEqual({ theta: -0.5, thetaDot: -5 });
    expect(() => env.push({})).toThrow(/deltaThetaDot or theta/);
    expect(() => env.push({ deltaThetaDot: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(env.thetaDot).toBe(-5);
  });

  it("'nextReset' physics wait for the next episode", () => {
    const env = new Pendulum();
    env.reset({ seed: 1 });
    env.setPhysics({ ...DEFAULT_PHYSICS, gravity: 20 }, 'nextReset');
    expect(env.gravity).toBe(10);
    expect(env.pendingPhysics?.gravity).toBe(20);
    env.reset();
    expect(env.gravity).toBe(20);
    expect(env.pendingPhysics).toBeNull();
  });

  it('physics survive a snapshot; default physics add nothing to it', () => {
    const plain = new Pendulum();
    plain.reset({ seed: 3 });
    expect(Object.keys(plain.getState()).sort()).toEqual(['lastTorque', 'resetRng', 'stepsInEpisode', 'theta', 'thetaDot']);

    const env = new Pendulum({ physics: { gravity: 15, length: 1.5 } });
    env.reset({ seed: 3 });
    env.setPhysics({ ...DEFAULT_PHYSICS, mass: 2 }, 'nextReset');
    const copy = new Pendulum();
    copy.setState(env.getState());
    expect(copy.physics).toEqual(env.physics);
    expect(copy.pendingPhysics).toEqual(env.pendingPhysics);
    for (let i = 0; i < 5; i++) {
      env.step([0.3]);
      copy.step([0.3]);
    }
    expect(copy.theta).toBe(env.theta);
    // A default snapshot restores the defaults.
    copy.setState(plain.getState());
    expect(copy.physics).toEqual(DEFAULT_PHYSICS);
    expect(() => copy.setState({ ...plain.getState(), physics: { ...DEFAULT_PHYSICS, gravity: -1 } })).toThrow(/physics.*gravity/);
  });
});
