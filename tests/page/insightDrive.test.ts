/**
 * "You drive": the main-thread pendulum's score is the env's return, checked against the Pendulum-v1
 * equations written out here independently (SAC-SPEC.md / Gymnasium), at default and changed physics;
 * real-time pacing and the keys.
 */
import { describe, expect, it } from 'vitest';
import { combinedInput, DriveSession, driveInputOfKey, DRIVE_STEPS_PER_SECOND, keyBelongsToFocus, stepsDue } from '../../src/page/insightDrive';

/** Gymnasium's Pendulum-v1 step, written out: returns the reward and the next state. */
function referenceStep(theta: number, thetaDot: number, u: number, p: { g: number; m: number; l: number; maxTorque: number; maxSpeed: number }) {
  const torque = Math.min(Math.max(u, -p.maxTorque), p.maxTorque);
  const normalized = ((((theta + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  const cost = normalized ** 2 + 0.1 * thetaDot ** 2 + 0.001 * torque ** 2;
  let newThetaDot = thetaDot + ((3 * p.g) / (2 * p.l) * Math.sin(theta) + (3 / (p.m * p.l ** 2)) * torque) * 0.05;
  newThetaDot = Math.min(Math.max(newThetaDot, -p.maxSpeed), p.maxSpeed);
  return { reward: -cost, theta: theta + newThetaDot * 0.05, thetaDot: newThetaDot };
}

function playAndCompare(physics: { gravity: number; mass: number; length: number; maxTorque: number; maxSpeed: number }, inputs: (step: number) => -1 | 0 | 1) {
  const session = new DriveSession(7, physics);
  let theta = session.env.theta;
  let thetaDot = session.env.thetaDot;
  let expected = 0;
  for (let step = 0; step < 200; step += 1) {
    const input = inputs(step);
    const reference = referenceStep(theta, thetaDot, input * physics.maxTorque, { g: physics.gravity, m: physics.mass, l: physics.length, maxTorque: physics.maxTorque, maxSpeed: physics.maxSpeed });
    expected += reference.reward;
    theta = reference.theta;
    thetaDot = reference.thetaDot;
    const reward = session.step(input);
    expect(reward).toBeCloseTo(reference.reward, 12);
  }
  return { session, expected, theta, thetaDot };
}

describe('you drive', () => {
  it('scores a 200-step episode exactly as the env equations do (default physics, bang-bang input)', () => {
    const { session, expected, theta, thetaDot } = playAndCompare(
      { gravity: 10, mass: 1, length: 1, maxTorque: 2, maxSpeed: 8 },
      (step) => (Math.floor(step / 15) % 2 === 0 ? 1 : step % 7 === 0 ? 0 : -1),
    );
    expect(session.done).toBe(true);
    expect(session.steps).toBe(200);
    expect(session.score).toBeCloseTo(expected, 9);
    expect(session.env.theta).toBeCloseTo(theta, 9);
    expect(session.env.thetaDot).toBeCloseTo(thetaDot, 9);
    // Over: more steps change nothing.
    expect(session.step(1)).toBe(0);
    expect(session.score).toBeCloseTo(expected, 9);
  });

  it('uses the test physics: g 20, m 2, l 0.5, max torque 1, max speed 6', () => {
    const physics = { gravity: 20, mass: 2, length: 0.5, maxTorque: 1, maxSpeed: 6 };
    const { session, expected } = playAndCompare(physics, (step) => (step % 3 === 0 ? -1 : 1));
    expect(session.score).toBeCloseTo(expected, 9);
    expect(Math.abs(session.torque)).toBe(1);
  });

  it('the same seed starts the same episode; the frame says where it is', () => {
    const a = new DriveSession(3);
    const b = new DriveSession(3);
    expect(a.env.theta).toBe(b.env.theta);
    a.step(1);
    expect(a.frame(123)).toEqual({ theta: a.env.theta, thetaDot: a.env.thetaDot, torque: 2, stepInEpisode: 1, source: 'test', receivedAt: 123 });
  });

  it('paces at 20 steps per second of real time, catching up at most 3 steps at once, never past 200', () => {
    expect(DRIVE_STEPS_PER_SECOND).toBe(20);
    expect(stepsDue(49, 0)).toBe(0);
    expect(stepsDue(50, 0)).toBe(1);
    expect(stepsDue(1000, 18)).toBe(2);
    expect(stepsDue(1000, 0)).toBe(3);
    expect(stepsDue(20_000, 199)).toBe(1);
    expect(stepsDue(20_000, 200)).toBe(0);
  });

  it('keys: ← counter-clockwise (+), → clockwise (−), both or none nothing; no DOM target is a field', () => {
    expect(driveInputOfKey('ArrowLeft')).toBe(1);
    expect(driveInputOfKey('ArrowRight')).toBe(-1);
    expect(driveInputOfKey('a')).toBeNull();
    expect(combinedInput(true, false)).toBe(1);
    expect(combinedInput(false, true)).toBe(-1);
    expect(combinedInput(true, true)).toBe(0);
    expect(combinedInput(false, false)).toBe(0);
    expect(keyBelongsToFocus(null)).toBe(false);
  });
});
