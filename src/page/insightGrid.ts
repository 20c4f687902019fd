/**
 * Phase-space maps (issue 9), the pure part: where a grid cell, a canvas pixel and a state (θ, θ̇) meet,
 * the colour maps, hover lookup and the trajectory as drawable segments. No DOM: unit-tested in Node.
 *
 * The grid (worker contract): gridSize × gridSize, row-major; row r holds θ̇ from the top (+8) down to
 * the bottom (−8), column c holds θ from the left (−π) to the right (+π); each value is taken at its
 * cell's centre.
 */
import { angleNormalize } from '../rl/env/pendulum';

export const DEFAULT_THETA_RANGE: readonly [number, number] = [-Math.PI, Math.PI];
export const DEFAULT_THETA_DOT_RANGE: readonly [number, number] = [-8, 8];
export const DEFAULT_GRID_SIZE = 64;

export interface GridGeometry {
  gridSize: number;
  thetaRange: readonly [number, number];
  thetaDotRange: readonly [number, number];
}

/** The plot area inside the canvas (CSS pixels): the map image fills it exactly. */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Margins of the map canvas around the plot: axis labels left (θ̇) and below (θ). */
export const MAP_MARGINS = { left: 44, right: 8, top: 8, bottom: 34 } as const;

export function plotRectOf(canvasWidth: number, canvasHeight: number): PlotRect {
  return {
    left: MAP_MARGINS.left,
    top: MAP_MARGINS.top,
    width: Math.max(1, canvasWidth - MAP_MARGINS.left - MAP_MARGINS.right),
    height: Math.max(1, canvasHeight - MAP_MARGINS.top - MAP_MARGINS.bottom),
  };
}

/** The state at the centre of cell (row, column). */
export function cellCentre(geometry: GridGeometry, row: number, column: number): { theta: number; thetaDot: number } {
  const [thetaMin, thetaMax] = geometry.thetaRange;
  const [dotMin, dotMax] = geometry.thetaDotRange;
  const n = geometry.gridSize;
  return {
    theta: thetaMin + ((column + 0.5) * (thetaMax - thetaMin)) / n,
    thetaDot: dotMax - ((row + 0.5) * (dotMax - dotMin)) / n,
  };
}

/** The cell holding (θ, θ̇) (θ wrapped to [−π, π) first); null outside the θ̇ range. */
export function cellOf(geometry: GridGeometry, theta: number, thetaDot: number): { row: number; column: number } | null {
  const [thetaMin, thetaMax] = geometry.thetaRange;
  const [dotMin, dotMax] = geometry.thetaDotRange;
  const n = geometry.gridSize;
  if (!Number.isFinite(theta) || !Number.isFinite(thetaDot) || thetaDot < dotMin || thetaDot > dotMax) return null;
  const wrapped = angleNormalize(theta);
  const column = Math.min(n - 1, Math.max(0, Math.floor(((wrapped - thetaMin) / (thetaMax - thetaMin)) * n)));
  const row = Math.min(n - 1, Math.max(0, Math.floor(((dotMax - thetaDot) / (dotMax - dotMin)) * n)));
  return { row, column };
}

/** A state → a point in the plot (θ wrapped to [−π, π)). */
export function stateToPixel(geometry: GridGeometry, plot: PlotRect, theta: number, thetaDot: number): { x: number; y: number } {
  const [thetaMin, thetaMax] = geometry.thetaRange;
  const [dotMin, dotMax] = geometry.thetaDotRange;
  const wrapped = angleNormalize(theta);
  return {
    x: plot.left + ((wrapped - thetaMin) / (thetaMax - thetaMin)) * plot.width,
    y: plot.top + ((dotMax - thetaDot) / (dotMax - dotMin)) * plot.height,
  };
}

/** A point in the canvas → the state there; null outside the plot. */
export function pixelToState(geometry: GridGeometry, plot: PlotRect, x: number, y: number): { theta: number; thetaDot: number } | null {
  const fx = (x - plot.left) / plot.width;
  const fy = (y - plot.top) / plot.height;
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  const [thetaMin, thetaMax] = geometry.thetaRange;
  const [dotMin, dotMax] = geometry.thetaDotRange;
  return { theta: thetaMin + fx * (thetaMax - thetaMin), thetaDot: dotMax - fy * (dotMax - dotMin) };
}

/** What hovering shows: the state under the pointer and the map's value in its cell. */
export interface HoverReading {
  theta: number;
  thetaDot: number;
  row: number;
  column: number;
  value: number;
}

export function hoverLookup(geometry: GridGeometry, values: ArrayLike<number>, plot: PlotRect, x: number, y: number): HoverReading | null {
  const state = pixelToState(geometry, plot, x, y);
  if (!state) return null;
  const n = geometry.gridSize;
  const column = Math.min(n - 1, Math.floor(((x - plot.left) / plot.width) * n));
  const row = Math.min(n - 1, Math.floor(((y - plot.top) / plot.height) * n));
  const value = values[row * n + column];
  if (value === undefined) return null;
  return { ...state, row, column, value };
}

// ---------------------------------------------------------------------------------------------------
// Colour maps
// ---------------------------------------------------------------------------------------------------

export type Rgb = readonly [number, number, number];
export type ColorMapName = 'diverging' | 'sequential';

/**
 * Moreland's "cool to warm" diverging map (Kenneth Moreland, Diverging Color Maps for Scientific
 * Visualization, 2009; the table of the paper at 0, 1/8, …, 1): blue for negative, a neutral grey at 0,
 * red for positive, with even perceived lightness steps on either side.
 */
export const COOL_WARM: readonly Rgb[] = [
  [59, 76, 192],
  [98, 130, 234],
  [141, 176, 254],
  [184, 208, 249],
  [221, 221, 221],
  [245, 196, 173],
  [244, 154, 123],
  [222, 96, 77],
  [180, 4, 38],
];

/** Viridis (matplotlib; van der Walt and Smith) at 0, 1/8, …, 1: sequential, perceptually uniform, colour-blind safe. */
export const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84], // #440154
  [71, 45, 123], // #472d7b
  [59, 82, 139], // #3b528b
  [44, 114, 142], // #2c728e
  [33, 145, 140], // #21918c
  [40, 174, 128], // #28ae80
  [94, 201, 98], // #5ec962
  [173, 220, 48], // #addc30
  [253, 231, 37], // #fde725
];

/** The colour at t ∈ [0, 1] (clamped; NaN → the map's middle), linear between the table's stops. */
export function colorAt(table: readonly Rgb[], t: number): Rgb {
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  const position = clamped * (table.length - 1);
  const index = Math.min(table.length - 2, Math.floor(position));
  const fraction = position - index;
  const from = table[index] as Rgb;
  const to = table[index + 1] as Rgb;
  return [
    Math.round(from[0] + (to[0] - from[0]) * fraction),
    Math.round(from[1] + (to[1] - from[1]) * fraction),
    Math.round(from[2] + (to[2] - from[2]) * fraction),
  ];
}

export function tableOf(name: ColorMapName): readonly Rgb[] {
  return name === 'diverging' ? COOL_WARM : VIRIDIS;
}

/** The value range a colour map spans: symmetric around 0 for the diverging map (0 is the neutral grey). */
export interface ColorScale {
  name: ColorMapName;
  min: number;
  max: number;
}

export function colorScaleOf(name: ColorMapName, values: ArrayLike<number>): ColorScale {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as number;
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min > max) return { name, min: name === 'diverging' ? -1 : 0, max: 1 };
  if (name === 'diverging') {
    const limit = Math.max(Math.abs(min), Math.abs(max)) || 1;
    return { name, min: -limit, max: limit };
  }
  if (min === max) return { name, min: min - 0.5, max: max + 0.5 };
  return { name, min, max };
}

/** Position of `value` on the scale, 0…1. */
export function scalePosition(scale: ColorScale, value: number): number {
  return (value - scale.min) / (scale.max - scale.min);
}

/**
 * The grid as RGBA pixels, one per cell (row 0 on top, as in the grid): ready for putImageData on a
 * gridSize × gridSize image, which the canvas then scales into the plot. Non-finite values are drawn
 * mid-grey-transparent.
 */
export function gridToRgba(values: ArrayLike<number>, gridSize: number, scale: ColorScale, out?: Uint8ClampedArray): Uint8ClampedArray {
  const pixels = out && out.length === gridSize * gridSize * 4 ? out : new Uint8ClampedArray(gridSize * gridSize * 4);
  const table = tableOf(scale.name);
  for (let index = 0; index < gridSize * gridSize; index += 1) {
    const value = values[index] as number;
    const offset = index * 4;
    if (value === undefined || !Number.isFinite(value)) {
      pixels[offset] = 128;
      pixels[offset + 1] = 128;
      pixels[offset + 2] = 128;
      pixels[offset + 3] = 64;
      continue;
    }
    const [r, g, b] = colorAt(table, scalePosition(scale, value));
    pixels[offset] = r;
    pixels[offset + 1] = g;
    pixels[offset + 2] = b;
    pixels[offset + 3] = 255;
  }
  return pixels;
}

/** Tick values of a legend: min, ¼, ½, ¾, max of the scale. */
export function legendTicks(scale: ColorScale, count = 5): number[] {
  return Array.from({ length: count }, (_, index) => scale.min + ((scale.max - scale.min) * index) / (count - 1));
}

/** A number for a legend or a hover readout: 3 significant digits, no "-0". */
export function formatMapValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const rounded = Number(value.toPrecision(3));
  return (rounded === 0 ? 0 : rounded).toString().replace('-', '−');
}

// ---------------------------------------------------------------------------------------------------
// Trajectory
// ---------------------------------------------------------------------------------------------------

/**
 * The trajectory as polylines in the plot: θ wrapped to [−π, π), so a pendulum going over the top or
 * through the bottom leaves one edge and comes in at the other; the line is broken there instead of
 * crossing the whole map.
 */
export function trajectorySegments(
  geometry: GridGeometry,
  plot: PlotRect,
  points: ReadonlyArray<{ theta: number; thetaDot: number }>,
): Array<Array<{ x: number; y: number }>> {
  const segments: Array<Array<{ x: number; y: number }>> = [];
  let current: Array<{ x: number; y: number }> = [];
  let previousWrapped: number | null = null;
  for (const point of points) {
    if (!Number.isFinite(point.theta) || !Number.isFinite(point.thetaDot)) continue;
    const wrapped = angleNormalize(point.theta);
    if (previousWrapped !== null && Math.abs(wrapped - previousWrapped) > Math.PI) {
      if (current.length > 0) segments.push(current);
      current = [];
    }
    current.push(stateToPixel(geometry, plot, wrapped, point.thetaDot));
    previousWrapped = wrapped;
  }
  if (current.length > 0) segments.push(current);
  return segments;
}
