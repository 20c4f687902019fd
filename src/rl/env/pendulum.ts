/**
 * Gymnasium Pendulum-v1 (g = 10), exactly as SAC-SPEC.md restates it, in double precision; the
 * observation is float32 like Gymnasium's. Step order: clip torque, cost from the *old* state,
 * integrate θ̇ (semi-implicit Euler) and clip it, then θ. θ is never wrapped in the state.
 *
 * Issue 9: the physics (g, m, l, max torque, max speed) are parameters (physics.ts); Gymnasium's values
 * are the default and give exactly the golden numbers. A physics change can wait for the next reset
 * (training "from the next episode on"); the physics, and a waiting change, are part of the snapshot, so
 * they survive a checkpoint/restore. A push (θ̇ += δ, θ = value) is the page's "poke the pendulum".
 */
import { Rng, rngStateProblem, type RngState } from '../rng';
import { DEFAULT_PHYSICS, physicsProblem, samePhysics, validatePhysics, type PendulumPhysics } from './physics';
import type { Env, StepResult } from './types';

export type { PendulumPhysics } from './physics';

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

/**
 * Pure dynamics of one step (no time limit, no randomness): the equations of SAC-SPEC.md, with
 * Gymnasium's m, l, max torque and max speed when `physics` is a number (g), else the given ones.
 */
export function pendulumDynamics(theta: number, thetaDot: number, action: number, physics: number | PendulumPhysics): PendulumDynamicsResult {
  const { gravity, mass, length, maxTorque, maxSpeed } = typeof physics === 'number' ? { ...DEFAULT_PHYSICS, gravity: physics } : physics;
  const torque = Math.min(Math.max(action, -maxTorque), maxTorque);
  const cost = angleNormalize(theta) ** 2 + 0.1 * thetaDot ** 2 + 0.001 * torque ** 2;
  const angularAcceleration = (3 * gravity) / (2 * length) * Math.sin(theta) + (3 / (mass * length ** 2)) * torque;
  const newThetaDot = Math.min(Math.max(thetaDot + angularAcceleration * DT, -maxSpeed), maxSpeed);
  const newTheta = theta + newThetaDot * DT;
  return { theta: newTheta, thetaDot: newThetaDot, torque, cost };
}

/** A push: θ̇ += deltaThetaDot (then clipped to ±max speed) and/or θ = theta. */
export interface PendulumPush {
  deltaThetaDot?: number;
  theta?: number;
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
  /** The physics now; absent = Gymnasium's defaults (old checkpoints have none). */
  physics?: PendulumPhysics;
  /** Physics that take effect at the next reset; absent = none waiting. */
  pendingPhysics?: PendulumPhysics;
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
  if (rngProblem !== null) return `pendulum reset generator: ${rngProblem}`;
  for (const key of ['physics', 'pendingPhysics'] as const) {
    if (record[key] === undefined) continue;
    const problem = physicsProblem(record[key]);
    if (problem !== null) return `the pendulum's ${key}: ${problem}`;
  }
  return null;
}

export class Pendulum implements Env {
  readonly observationSize = PENDULUM_SHAPE.observationSize;
  readonly actionSize = PENDULUM_SHAPE.actionSize;
  private physicsValue: PendulumPhysics;
  private pendingPhysicsValue: PendulumPhysics | null = null;
  private thetaValue = 0;
  private thetaDotValue = 0;
  private lastTorqueValue = 0;
  private elapsedSteps = 0;
  private rng: Rng;

  /** `g` alone (the old option) or any of the physics; the rest are Gymnasium's. Throws RangeError on an out-of-range value. */
  constructor(options: { g?: number; physics?: Partial<PendulumPhysics> } = {}) {
    const physics = { ...DEFAULT_PHYSICS, gravity: options.g ?? DEFAULT_GRAVITY, ...options.physics };
    this.physicsValue = validatePhysics(physics);
    this.rng = new Rng(0);
  }

  /** g in m/s². */
  get gravity(): number {
    return this.physicsValue.gravity;
  }
  /** The physics in effect now (a copy). */
  get physics(): PendulumPhysics {
    return { ...this.physicsValue };
  }
  /** Physics waiting for the next reset, or null. */
  get pendingPhysics(): PendulumPhysics | null {
    return this.pendingPhysicsValue === null ? null : { ...this.pendingPhysicsValue };
  }

  /**
   * New physics, validated (RangeError naming the setting and its range; nothing changes then). `now`:
   * from the next step on; `nextReset`: from the next episode on (replacing any change still waiting).
   */
  setPhysics(physics: PendulumPhysics, when: 'now' | 'nextReset' = 'now'): void {
    const checked = validatePhysics(physics);
    if (when === 'now') {
      this.physicsValue = checked;
      this.pendingPhysicsValue = null;
    } else {
      this.pendingPhysicsValue = checked;
    }
  }

  /**
   * Pokes the pendulum: θ̇ += deltaThetaDot, clipped to ±max speed, and/or θ = theta. Throws RangeError
   * (changing nothing) on a non-finite value or an empty push. The step count and torque stay.
   */
  push(push: PendulumPush): { theta: number; thetaDot: number } {
    const { deltaThetaDot, theta } = push;
    if (deltaThetaDot === undefined && theta === undefined) throw new RangeError('A push needs deltaThetaDot or theta');
    if (deltaThetaDot !== undefined && (typeof deltaThetaDot !== 'number' || !Number.isFinite(deltaThetaDot))) {
      throw new RangeError(`A push's deltaThetaDot must be a finite number, got ${String(deltaThetaDot)}`);
    }
    if (theta !== undefined && (typeof theta !== 'number' || !Number.isFinite(theta))) {
      throw new RangeError(`A push's theta must be a finite number, got ${String(theta)}`);
    }
    const max = this.physicsValue.maxSpeed;
    if (theta !== undefined) this.thetaValue = theta;
    if (deltaThetaDot !== undefined) this.thetaDotValue = Math.min(Math.max(this.thetaDotValue + deltaThetaDot, -max), max);
    return { theta: this.thetaValue, thetaDot: this.thetaDotValue };
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
    if (this.pendingPhysicsValue !== null) {
      this.physicsValue = this.pendingPhysicsValue;
      this.pendingPhysicsValue = null;
    }
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
    const snapshot: PendulumSnapshot = {
      theta: this.thetaValue,
      thetaDot: this.thetaDotValue,
      lastTorque: this.lastTorqueValue,
      stepsInEpisode: this.elapsedSteps,
      resetRng: this.rng.getState(),
    };
    // Only when not Gymnasium's: a default run's snapshot (and checkpoint) is what it always was.
    if (!samePhysics(this.physicsValue, DEFAULT_PHYSICS)) snapshot.physics = { ...this.physicsValue };
    if (this.pendingPhysicsValue !== null) snapshot.pendingPhysics = { ...this.pendingPhysicsValue };
    return snapshot;
  }

  /** Continues from a state taken by getState. Throws RangeError (changing nothing) if it is not one. */
  setState(state: PendulumSnapshot): void {
    const problem = pendulumSnapshotProblem(state);
    if (problem !== null) throw new RangeError(`Pendulum.setState: ${problem}`);
    this.rng.setState(state.resetRng);
    this.physicsValue = state.physics === undefined ? { ...DEFAULT_PHYSICS } : validatePhysics(state.physics);
    this.pendingPhysicsValue = state.pendingPhysics === undefined ? null : validatePhysics(state.pendingPhysics);
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
    const next = pendulumDynamics(this.thetaValue, this.thetaDotValue, value, this.physicsValue);
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
