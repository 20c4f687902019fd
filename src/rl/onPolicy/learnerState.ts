/** Checks of the plain-data optimiser state in an on-policy checkpoint (before anything is restored). */

function isFloat64Array(value: unknown): value is Float64Array {
  return Object.prototype.toString.call(value) === '[object Float64Array]';
}

/** Why `value` is not a PlainAdamState over `size` parameters, or null. */
export function adamStateProblem(value: unknown, size: number, name: string): string | null {
  if (typeof value !== 'object' || value === null) return `${name} must be an object`;
  const record = value as { firstMoment?: unknown; secondMoment?: unknown; steps?: unknown };
  if (typeof record.steps !== 'number' || !Number.isInteger(record.steps) || record.steps < 0) return `${name}'s step count must be a non-negative integer`;
  for (const key of ['firstMoment', 'secondMoment'] as const) {
    const array = record[key];
    if (!isFloat64Array(array) || array.length !== size) return `${name}'s ${key} must be ${size} float64 values`;
    if (!array.every(Number.isFinite)) return `${name}'s ${key} contains NaN or infinite values`;
  }
  return null;
}

export { isFloat64Array };
