/**
 * "You drive" (issue 9): a pendulum simulated on the main thread with the same env class the agents
 * train on (rl/env/pendulum.ts, no tfjs), driven by the keyboard at full ± max torque, 20 steps per
 * second of real time, 200 steps per episode. The score is the env's own return (sum of rewards), so it
 * compares with the agent's test score. The frames go to a holder the pendulum canvas reads.
 */
import { DT, MAX_EPISODE_STEPS, Pendulum } from '../rl/env/pendulum';
import { DEFAULT_PHYSICS, type PendulumPhysics } from '../rl/env/physics';
import type { PendulumFrame } from '../store/pendulumFrame';

/** Real-time steps per second (1 / dt). */
export const DRIVE_STEPS_PER_SECOND = Math.round(1 / DT);
/** At most this many steps catch up in one tick (a throttled tab does not fast-forward the episode). */
const MAX_CATCH_UP = 3;

export type DriveInput = -1 | 0 | 1;

export class DriveSession {
  readonly env: Pendulum;
  readonly physics: PendulumPhysics;
  readonly seed: number;
  private scoreValue = 0;
  private lastTorque = 0;

  constructor(seed: number, physics: PendulumPhysics = DEFAULT_PHYSICS) {
    this.seed = seed;
    this.physics = { ...physics };
    this.env = new Pendulum({ physics: this.physics });
    this.env.reset({ seed });
  }

  get score(): number {
    return this.scoreValue;
  }
  get steps(): number {
    return this.env.stepsInEpisode;
  }
  get done(): boolean {
    return this.env.stepsInEpisode >= MAX_EPISODE_STEPS;
  }
  get torque(): number {
    return this.lastTorque;
  }

  /** One env step with torque input · max torque; nothing once the episode is over. Returns the reward. */
  step(input: DriveInput): number {
    if (this.done) return 0;
    const result = this.env.step([input * this.physics.maxTorque]);
    this.scoreValue += result.reward;
    this.lastTorque = this.env.lastTorque;
    return result.reward;
  }

  frame(receivedAt: number): PendulumFrame {
    return { theta: this.env.theta, thetaDot: this.env.thetaDot, torque: this.lastTorque, stepInEpisode: this.steps, source: 'test', receivedAt };
  }
}

/** How many steps are due after `elapsedMs` of real time when `done` were taken (at most MAX_CATCH_UP at once). */
export function stepsDue(elapsedMs: number, done: number): number {
  const target = Math.min(MAX_EPISODE_STEPS, Math.floor((elapsedMs * DRIVE_STEPS_PER_SECOND) / 1000));
  return Math.max(0, Math.min(MAX_CATCH_UP, target - done));
}

/**
 * The key's torque direction, as a game's "rotate" keys: ← turns counter-clockwise (+max torque, the
 * env's positive direction), → clockwise (−max torque); null for other keys.
 */
export function driveInputOfKey(key: string): DriveInput | null {
  if (key === 'ArrowLeft' || key === 'Left') return 1;
  if (key === 'ArrowRight' || key === 'Right') return -1;
  return null;
}

/** The held keys as one input: both or none → 0. */
export function combinedInput(left: boolean, right: boolean): DriveInput {
  if (left === right) return 0;
  return left ? 1 : -1;
}

const TEXT_ENTRY = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** True when a key event belongs to what has the focus (a field, a slider, a radio, a select): the drive leaves it alone. */
export function keyBelongsToFocus(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return TEXT_ENTRY.has(target.tagName) || target.isContentEditable || target.getAttribute('role') === 'slider' || target.getAttribute('role') === 'radio';
}

// The drive's frames, outside React and the store (as pendulumFrame.ts for the workers' frames).
let latest: PendulumFrame | null = null;
let previous: PendulumFrame | null = null;
let version = 0;

export function setDriveFrame(frame: PendulumFrame | null): void {
  previous = frame === null ? null : latest;
  latest = frame;
  version += 1;
}

export function getDriveFrame(): { frame: PendulumFrame | null; previous: PendulumFrame | null; version: number } {
  return { frame: latest, previous, version };
}
