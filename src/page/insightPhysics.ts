/**
 * The physics panel's pure part (issue 9): reading what was typed into the five fields, the same
 * validation as the worker (rl/env/physics.ts: one table of ranges), and the robustness sweeps.
 */
import { DEFAULT_PHYSICS, PHYSICS_KEYS, PHYSICS_RANGES, physicsProblem, type PendulumPhysics } from '../rl/env/physics';

export type PhysicsKey = keyof PendulumPhysics;
export type PhysicsDraft = Record<PhysicsKey, string>;

export function draftOf(physics: PendulumPhysics): PhysicsDraft {
  return Object.fromEntries(PHYSICS_KEYS.map((key) => [key, String(physics[key])])) as PhysicsDraft;
}

/** A setting's name for messages: "Gravity g (m/s²)". */
export function physicsLabel(key: PhysicsKey): string {
  const { label, unit } = PHYSICS_RANGES[key];
  return `${label} (${unit})`;
}

/**
 * The typed values as physics, or the refusal: the first setting that is not a number or is out of
 * its range, named with its range (same ranges and words as the worker's check).
 */
export function parsePhysicsDraft(draft: PhysicsDraft): { physics: PendulumPhysics } | { problem: string } {
  const physics = { ...DEFAULT_PHYSICS };
  for (const key of PHYSICS_KEYS) {
    const text = draft[key].trim().replace(',', '.').replace('−', '-');
    const { min, max, label, unit } = PHYSICS_RANGES[key];
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) return { problem: `${label} must be a number from ${min} to ${max} ${unit}; "${draft[key]}" is not a number.` };
    if (value < min || value > max) return { problem: `${label} must be from ${min} to ${max} ${unit}; ${value} is out of range. Nothing was changed.` };
    physics[key] = value;
  }
  const problem = physicsProblem(physics);
  return problem === null ? { physics } : { problem };
}

/** "g 20 m/s², m 1 kg, …" — the settings that differ from Gymnasium's, or "Gymnasium's defaults". */
export function describePhysics(physics: PendulumPhysics): string {
  const changed = PHYSICS_KEYS.filter((key) => physics[key] !== DEFAULT_PHYSICS[key]);
  if (changed.length === 0) return "Gymnasium's defaults (g 10 m/s², m 1 kg, l 1 m, max torque 2 N·m, max speed 8 rad/s)";
  return changed.map((key) => `${PHYSICS_RANGES[key].label} ${physics[key]} ${PHYSICS_RANGES[key].unit}`).join(', ');
}

/** The values a robustness sweep scores for each setting: 8 values, Gymnasium's default among them, all in range. */
export const SWEEPS: Readonly<Record<PhysicsKey, readonly number[]>> = {
  gravity: [2, 4, 6, 8, 10, 12, 16, 20],
  mass: [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3],
  length: [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3],
  maxTorque: [0.5, 1, 1.5, 2, 2.5, 3, 4, 5],
  maxSpeed: [2, 4, 6, 8, 10, 12, 16, 20],
};

export const ROBUSTNESS_EPISODES = 10;
