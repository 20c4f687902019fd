/**
 * The pendulum's physical parameters (issue 9: "change the physics"). The defaults are exactly
 * Gymnasium Pendulum-v1's (g = 10, m = 1, l = 1, max torque 2, max speed 8); with them the dynamics are
 * bit for bit the golden ones. Plain data: it crosses postMessage and is stored with a session.
 */

export interface PendulumPhysics {
  /** m/s² */
  gravity: number;
  /** kg */
  mass: number;
  /** m */
  length: number;
  /** N·m: actions are clipped to ±maxTorque. */
  maxTorque: number;
  /** rad/s: θ̇ is clipped to ±maxSpeed. */
  maxSpeed: number;
}

export const PHYSICS_KEYS: readonly (keyof PendulumPhysics)[] = ['gravity', 'mass', 'length', 'maxTorque', 'maxSpeed'];

/** Gymnasium Pendulum-v1's values. */
export const DEFAULT_PHYSICS: Readonly<PendulumPhysics> = Object.freeze({ gravity: 10, mass: 1, length: 1, maxTorque: 2, maxSpeed: 8 });

/** Allowed range of each setting (inclusive), with its name and unit for messages and sliders. */
export const PHYSICS_RANGES: Readonly<Record<keyof PendulumPhysics, { min: number; max: number; label: string; unit: string }>> = Object.freeze({
  gravity: { min: 0.5, max: 30, label: 'Gravity g', unit: 'm/s²' },
  mass: { min: 0.1, max: 10, label: 'Mass m', unit: 'kg' },
  length: { min: 0.2, max: 5, label: 'Length l', unit: 'm' },
  maxTorque: { min: 0.1, max: 10, label: 'Max torque', unit: 'N·m' },
  maxSpeed: { min: 1, max: 30, label: 'Max speed', unit: 'rad/s' },
});

/** Why `value` is not a valid PendulumPhysics (naming the setting and its range), or null when it is one. */
export function physicsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the physics must be an object with gravity, mass, length, maxTorque and maxSpeed';
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(PHYSICS_KEYS as readonly string[]).includes(key)) return `unknown physics setting "${key}" (known: ${PHYSICS_KEYS.join(', ')})`;
  }
  for (const key of PHYSICS_KEYS) {
    const { min, max, label, unit } = PHYSICS_RANGES[key];
    const field = record[key];
    if (typeof field !== 'number' || !Number.isFinite(field)) return `${label} (${key}) must be a finite number in [${min}, ${max}] ${unit}, got ${String(field)}`;
    if (field < min || field > max) return `${label} (${key}) must be in [${min}, ${max}] ${unit}, got ${field}`;
  }
  return null;
}

/** Throws RangeError with physicsProblem's message when `value` is not a valid PendulumPhysics. */
export function validatePhysics(value: unknown): PendulumPhysics {
  const problem = physicsProblem(value);
  if (problem !== null) throw new RangeError(problem);
  const record = value as PendulumPhysics;
  return { gravity: record.gravity, mass: record.mass, length: record.length, maxTorque: record.maxTorque, maxSpeed: record.maxSpeed };
}

/** True when both have the same five values. */
export function samePhysics(a: PendulumPhysics, b: PendulumPhysics): boolean {
  return PHYSICS_KEYS.every((key) => a[key] === b[key]);
}
