/**
 * The phase-space grid of issue 9's maps: θ ∈ [−π, π] × θ̇ ∈ [−8, 8], gridSize × gridSize cell centres,
 * row-major. Row r holds θ̇ from +8 (r = 0, the top of the image) down to −8; column c holds θ from −π
 * (left) to +π. Value index = r · gridSize + c. No tfjs here (plain arrays).
 */

export const GRID_THETA_RANGE: readonly [number, number] = [-Math.PI, Math.PI];
export const GRID_THETA_DOT_RANGE: readonly [number, number] = [-8, 8];
export const GRID_MIN_SIZE = 16;
export const GRID_MAX_SIZE = 128;

/** The map keys (as the protocol names them). */
export type InsightMapKey = 'policyMean' | 'value' | 'spread';

/** One map: gridSize² values in the layout above. */
export interface InsightMapData {
  key: InsightMapKey;
  label: string;
  description: string;
  values: Float32Array;
}

/** θ of column c (cell centre). */
export function gridTheta(gridSize: number, column: number): number {
  const [low, high] = GRID_THETA_RANGE;
  return low + ((column + 0.5) * (high - low)) / gridSize;
}

/** θ̇ of row r (cell centre): row 0 is the top (+8). */
export function gridThetaDot(gridSize: number, row: number): number {
  const [low, high] = GRID_THETA_DOT_RANGE;
  return high - ((row + 0.5) * (high - low)) / gridSize;
}

/** The state of cell (row, column). */
export function gridState(gridSize: number, row: number, column: number): { theta: number; thetaDot: number } {
  return { theta: gridTheta(gridSize, column), thetaDot: gridThetaDot(gridSize, row) };
}

/** Why `gridSize` is not a usable grid size, or null. */
export function gridSizeProblem(gridSize: unknown): string | null {
  if (typeof gridSize !== 'number' || !Number.isInteger(gridSize) || gridSize < GRID_MIN_SIZE || gridSize > GRID_MAX_SIZE) {
    return `the map grid size must be an integer from ${GRID_MIN_SIZE} to ${GRID_MAX_SIZE}, got ${String(gridSize)}`;
  }
  return null;
}

const cache = new Map<number, Float32Array>();

/**
 * The observations [cos θ, sin θ, θ̇] (float32, as the env gives them) of every cell, [gridSize², 3] row-major.
 * Cached per size: callers must not write to it.
 */
export function gridObservations(gridSize: number): Float32Array {
  const cached = cache.get(gridSize);
  if (cached) return cached;
  const observations = new Float32Array(gridSize * gridSize * 3);
  for (let row = 0; row < gridSize; row++) {
    const thetaDot = gridThetaDot(gridSize, row);
    for (let column = 0; column < gridSize; column++) {
      const theta = gridTheta(gridSize, column);
      const offset = (row * gridSize + column) * 3;
      observations[offset] = Math.cos(theta);
      observations[offset + 1] = Math.sin(theta);
      observations[offset + 2] = thetaDot;
    }
  }
  cache.set(gridSize, observations);
  return observations;
}

/** The observation of one cell, exactly as gridObservations has it (for direct checks). */
export function cellObservation(gridSize: number, row: number, column: number): Float32Array {
  const { theta, thetaDot } = gridState(gridSize, row, column);
  return Float32Array.of(Math.cos(theta), Math.sin(theta), thetaDot);
}
