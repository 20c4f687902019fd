/**
 * Gymnasium Pendulum-v1 (g = 10), exactly as SAC-SPEC.md restates it, in double precision; the
 * observation is float32 like Gymnasium's. Step order: clip torque, cost from the *old* state,
 * integrate θ̇ (semi-implicit Euler) and clip it, then θ. θ is never wrapped in the state.
 */
import { Rng, rngStateProblem, type RngState } from '../rng';
import type { Env, StepResult } from './types';

export const MAX_SPEED = 8; // rad/s
export const MAX_TORQUE = 2; // N·m
export const DT = 0.05; // s
export const MASS = 1; // kg
export const LENGTH = 1; // m
export const DEFAULT_GRAVITY = 10; // m/s²
/** TimeLimit of Pendulum-v1: truncated on the 200th step. */
export const MAX_EPISODE_STEPS = 200;
/** The swing-up criterion lives with the other per-episode rules. */
export { SWING_UP_THRESHOLD } from '../episodeRules';
/** Observation [cos θ, sin θ, θ̇] and one torque. */
export const PENDULUM_SHAPE = { observationSize: 3, actionSize: 1 } as const;

/** Python's `x % m` for m > 0: the result has the sign of the divisor (JavaScript's % keeps the dividend's). */
export function pythonMod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

/** Angle normalised to [−π, π): ((x + π) mod 2π) − π. */
export function angleNormalize(theta: number): number {
  return pythonMod(theta + Math.PI, 2 * Math.PI) - Math.PI;
}

export interface PendulumDynamicsResult {
  theta: number;
  thetaDot: number;
  torque: number;
  cost: number;
}

/** Pure dynamics of one step (no time limit, no randomness): the equations of SAC-SPEC.md. */
export function pendulumDynamics(theta: number, thetaDot: number, action: number, gravity: number): PendulumDynamicsResult {
  const torque = Math.min(Math.max(action, -MAX_TORQUE), MAX_TORQUE);
  const cost = angleNormalize(theta) ** 2 + 0.1 * thetaDot ** 2 + 0.001 * torque ** 2;
  const angularAcceleration = (3 * gravity) / (2 * LENGTH) * Math.sin(theta) + (3 / (MASS * LENGTH ** 2)) * torque;
  const newThetaDot = Math.min(Math.max(thetaDot + angularAcceleration * DT, -MAX_SPEED), MAX_SPEED);
  const newTheta = theta + newThetaDot * DT;
  return { theta: newTheta, thetaDot: newThetaDot, torque, cost };
}

/** Everything the pendulum's future depends on, as plain data (a checkpoint stores it). */
export interface PendulumSnapshot {
  theta: number;
  thetaDot: number;
  /** Clipped torque of the last step (drawn by the canvas; does not affect the dynamics). */
  lastTorque: number;
  /** Steps taken in the current episode (the 200-step time limit counts them). */
  stepsInEpisode: number;
  /** The generator behind the next reset's random start. */
  resetRng: RngState;
}

/** Why `value` is not a PendulumSnapshot, or null when it is one. */
export function pendulumSnapshotProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the pendulum state must be an object';
  const record = value as Partial<Record<keyof PendulumSnapshot, unknown>>;
  for (const key of ['theta', 'thetaDot', 'lastTorque'] as const) {
    const field = record[key];
    if (typeof field !== 'number' || !Number.isFinite(field)) return `the pendulum's ${key} must be a finite number`;
  }
  const steps = record.stepsInEpisode;
  if (!Number.isInteger(steps) || (steps as number) < 0 || (steps as number) >= MAX_EPISODE_STEPS) {
    return `the pendulum's stepsInEpisode must be an integer in [0, ${MAX_EPISODE_STEPS - 1}]`;
  }
  const rngProblem = rngStateProblem(record.resetRng);
  return rngProblem === null ? null : `pendulum reset generator: ${rngProblem}`;
}

export class Pendulum implements Env {
  readonly observationSize = PENDULUM_SHAPE.observationSize;
  readonly actionSize = PENDULUM_SHAPE.actionSize;
  readonly gravity: number;
  private thetaValue = 0;
  private thetaDotValue = 0;
  private lastTorqueValue = 0;
  private elapsedSteps = 0;
  private rng: Rng;

  constructor(options: { g?: number } = {}) {
    this.gravity = options.g ?? DEFAULT_GRAVITY;
    this.rng = new Rng(0);
  }

  /** Angle in rad (0 = upright), unwrapped. */
  get theta(): number {
    return this.thetaValue;
  }
  /** Angular velocity in rad/s. */
  get thetaDot(): number {
    return this.thetaDotValue;
  }
  /** Torque applied on the last step, after clipping, in N·m (0 after reset). */
  get lastTorque(): number {
    return this.lastTorqueValue;
  }
  /** Steps taken in the current episode. */
  get stepsInEpisode(): number {
    return this.elapsedSteps;
  }

  /**
   * Starts an episode: θ ~ U(−π, π), θ̇ ~ U(−1, 1) from this env's generator (re-seeded when `seed` is
   * given), or the given state exactly.
   */
  reset(options: { seed?: number; state?: { theta: number; thetaDot: number } } = {}): Float32Array {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    if (options.state) {
      const { theta, thetaDot } = options.state;
      if (!Number.isFinite(theta) || !Number.isFinite(thetaDot)) {
        throw new RangeError(`Pendulum.reset: state must be finite, got theta=${theta}, thetaDot=${thetaDot}`);
      }
      this.thetaValue = theta;
      this.thetaDotValue = thetaDot;
    } else {
      this.thetaValue = this.rng.uniform(-Math.PI, Math.PI);
      this.thetaDotValue = this.rng.uniform(-1, 1);
    }
    this.lastTorqueValue = 0;
    this.elapsedSteps = 0;
    return this.observation();
  }

  /** The state as plain data: setState on a fresh Pendulum continues exactly from here. */
  getState(): PendulumSnapshot {
    return {
      theta: this.thetaValue,
      thetaDot: this.thetaDotValue,
      lastTorque: this.lastTorqueValue,
      stepsInEpisode: this.elapsedSteps,
      resetRng: this.rng.getState(),
    };
  }

  /** Continues from a state taken by getState. Throws RangeError (changing nothing) if it is not one. */
  setState(state: PendulumSnapshot): void {
    const problem = pendulumSnapshotProblem(state);
    if (problem !== null) throw new RangeError(`Pendulum.setState: ${problem}`);
    this.rng.setState(state.resetRng);
    this.thetaValue = state.theta;
    this.thetaDotValue = state.thetaDot;
    this.lastTorqueValue = state.lastTorque;
    this.elapsedSteps = state.stepsInEpisode;
  }

  step(action: ArrayLike<number>): StepResult {
    const value = action[0];
    if (action.length !== 1 || value === undefined || !Number.isFinite(value)) {
      throw new RangeError(`Pendulum.step: action must be one finite torque, got [${Array.from(action).join(', ')}]`);
    }
    const next = pendulumDynamics(this.thetaValue, this.thetaDotValue, value, this.gravity);
    this.thetaValue = next.theta;
    this.thetaDotValue = next.thetaDot;
    this.lastTorqueValue = next.torque;
    this.elapsedSteps += 1;
    return {
      observation: this.observation(),
      reward: -next.cost,
      terminated: false,
      truncated: this.elapsedSteps === MAX_EPISODE_STEPS,
    };
  }

  /** [cos θ, sin θ, θ̇] as float32. */
  observation(): Float32Array {
    return Float32Array.of(Math.cos(this.thetaValue), Math.sin(this.thetaValue), this.thetaDotValue);
  }
}
