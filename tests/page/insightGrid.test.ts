/** Phase-space maps, the pure part: grid ↔ state ↔ pixel with exact values, colour maps, hover lookup, trajectory. */
import { describe, expect, it } from 'vitest';
import {
  cellCentre, cellOf, colorAt, colorScaleOf, COOL_WARM, formatMapValue, gridToRgba, hoverLookup, legendTicks, MAP_MARGINS, pixelToState,
  plotRectOf, stateToPixel, trajectorySegments, VIRIDIS, type GridGeometry, type PlotRect,
} from '../../src/page/insightGrid';

const GRID: GridGeometry = { gridSize: 64, thetaRange: [-Math.PI, Math.PI], thetaDotRange: [-8, 8] };
const PLOT: PlotRect = { left: 44, top: 8, width: 400, height: 320 };

describe('grid cells and states (contract: row = θ̇ from +8 down, column = θ from −π; cell centres)', () => {
  it('cell centres', () => {
    expect(cellCentre(GRID, 0, 0)).toEqual({ theta: -Math.PI + Math.PI / 64, thetaDot: 7.875 });
    expect(cellCentre(GRID, 63, 63).theta).toBeCloseTo((63 / 64) * Math.PI, 15);
    expect(cellCentre(GRID, 63, 63).thetaDot).toBe(-7.875);
    expect(cellCentre(GRID, 31, 32)).toEqual({ theta: -Math.PI + (32.5 * 2 * Math.PI) / 64, thetaDot: 0.125 });
    const small: GridGeometry = { gridSize: 16, thetaRange: [-Math.PI, Math.PI], thetaDotRange: [-8, 8] };
    expect(cellCentre(small, 0, 0).thetaDot).toBe(7.5);
  });

  it('the cell of a state, θ wrapped first; every cell centre maps back to its own cell', () => {
    expect(cellOf(GRID, 0, 0)).toEqual({ row: 32, column: 32 });
    expect(cellOf(GRID, -Math.PI, 8)).toEqual({ row: 0, column: 0 });
    expect(cellOf(GRID, Math.PI - 1e-9, -8)).toEqual({ row: 63, column: 63 });
    expect(cellOf(GRID, 2 * Math.PI, 0)).toEqual({ row: 32, column: 32 }); // 2π wraps to 0
    expect(cellOf(GRID, 0, 8.5)).toBeNull();
    for (const [row, column] of [[0, 0], [5, 60], [63, 1], [32, 31]] as const) {
      const { theta, thetaDot } = cellCentre(GRID, row, column);
      expect(cellOf(GRID, theta, thetaDot)).toEqual({ row, column });
    }
  });

  it('plot rect inside the canvas margins', () => {
    expect(plotRectOf(452, 362)).toEqual({ left: MAP_MARGINS.left, top: MAP_MARGINS.top, width: 400, height: 320 });
  });

  it('state → pixel: θ across (−π left), θ̇ up (+8 top); θ wrapped to [−π, π)', () => {
    expect(stateToPixel(GRID, PLOT, 0, 0)).toEqual({ x: 244, y: 168 });
    expect(stateToPixel(GRID, PLOT, -Math.PI, 8)).toEqual({ x: 44, y: 8 });
    expect(stateToPixel(GRID, PLOT, Math.PI / 2, -8)).toEqual({ x: 344, y: 328 });
    expect(stateToPixel(GRID, PLOT, (3 * Math.PI) / 2, 4)).toEqual({ x: 144, y: 88 }); // 3π/2 ≡ −π/2
    expect(stateToPixel(GRID, PLOT, Math.PI, 0).x).toBe(44); // π wraps to −π (left edge)
  });

  it('pixel → state, and outside the plot nothing', () => {
    expect(pixelToState(GRID, PLOT, 144, 8)).toEqual({ theta: -Math.PI / 2, thetaDot: 8 });
    expect(pixelToState(GRID, PLOT, 244, 168)).toEqual({ theta: 0, thetaDot: 0 });
    expect(pixelToState(GRID, PLOT, 43, 100)).toBeNull();
    expect(pixelToState(GRID, PLOT, 100, 329)).toBeNull();
  });

  it('hover reads the value of the cell under the pointer (row-major)', () => {
    const values = Float32Array.from({ length: 64 * 64 }, (_, index) => index);
    const x = 44 + 400 * (10.5 / 64);
    const y = 8 + 320 * (20.5 / 64);
    const reading = hoverLookup(GRID, values, PLOT, x, y);
    expect(reading).toMatchObject({ row: 20, column: 10, value: 20 * 64 + 10 });
    expect(reading?.theta).toBeCloseTo(-Math.PI + (10.5 * 2 * Math.PI) / 64, 12);
    expect(reading?.thetaDot).toBeCloseTo(8 - (20.5 * 16) / 64, 12);
    // The plot's far edges belong to the last cells.
    expect(hoverLookup(GRID, values, PLOT, 444, 328)).toMatchObject({ row: 63, column: 63, value: 64 * 64 - 1 });
    expect(hoverLookup(GRID, values, PLOT, 10, 10)).toBeNull();
  });
});

describe('colour maps', () => {
  it('table stops and linear interpolation between them', () => {
    expect(colorAt(COOL_WARM, 0.5)).toEqual([221, 221, 221]); // 0 torque is the neutral grey
    expect(colorAt(COOL_WARM, 0)).toEqual([59, 76, 192]);
    expect(colorAt(COOL_WARM, 1)).toEqual([180, 4, 38]);
    expect(colorAt(VIRIDIS, 0)).toEqual([68, 1, 84]);
    expect(colorAt(VIRIDIS, 1)).toEqual([253, 231, 37]);
    expect(colorAt(VIRIDIS, 1 / 16)).toEqual([70, 23, 104]); // halfway between #440154 and #472d7b
    expect(colorAt(VIRIDIS, -3)).toEqual([68, 1, 84]);
    expect(colorAt(VIRIDIS, 7)).toEqual([253, 231, 37]);
  });

  it('viridis gets lighter all along (sequential); cool-warm is lightest at its centre (diverging)', () => {
    const lightness = ([r, g, b]: readonly number[]) => 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    const viridis = Array.from({ length: 21 }, (_, index) => lightness(colorAt(VIRIDIS, index / 20)));
    for (let index = 1; index < viridis.length; index += 1) expect(viridis[index]).toBeGreaterThan(viridis[index - 1] as number);
    const coolWarm = Array.from({ length: 21 }, (_, index) => lightness(colorAt(COOL_WARM, index / 20)));
    const centre = coolWarm[10] as number;
    for (const [index, value] of coolWarm.entries()) if (index !== 10) expect(value).toBeLessThan(centre);
  });

  it('scales: symmetric around 0 for torque, min…max for value; degenerate data still spans something', () => {
    expect(colorScaleOf('diverging', [-0.5, 1.5, Number.NaN])).toEqual({ name: 'diverging', min: -1.5, max: 1.5 });
    expect(colorScaleOf('sequential', [-3, 5, 1])).toEqual({ name: 'sequential', min: -3, max: 5 });
    expect(colorScaleOf('sequential', [2, 2])).toEqual({ name: 'sequential', min: 1.5, max: 2.5 });
    expect(colorScaleOf('diverging', [0, 0])).toEqual({ name: 'diverging', min: -1, max: 1 });
    expect(colorScaleOf('sequential', [Number.NaN])).toEqual({ name: 'sequential', min: 0, max: 1 });
    expect(legendTicks({ name: 'sequential', min: -3, max: 5 })).toEqual([-3, -1, 1, 3, 5]);
  });

  it('grid → RGBA: one pixel per cell in grid order, NaN translucent grey', () => {
    const scale = { name: 'diverging' as const, min: -2, max: 2 };
    const pixels = gridToRgba(Float32Array.of(-2, 0, 2, Number.NaN), 2, scale);
    expect(Array.from(pixels)).toEqual([59, 76, 192, 255, 221, 221, 221, 255, 180, 4, 38, 255, 128, 128, 128, 64]);
  });

  it('numbers for the legend and readout', () => {
    expect(formatMapValue(-1.23456)).toBe('−1.23');
    expect(formatMapValue(-0.0001)).toBe('−0.0001');
    expect(formatMapValue(-0)).toBe('0');
    expect(formatMapValue(1234.5)).toBe('1230');
    expect(formatMapValue(Number.NaN)).toBe('—');
  });
});

describe('trajectory on the map', () => {
  it('one polyline while θ stays inside; broken where the wrapped θ jumps across ±π', () => {
    const points = [
      { theta: Math.PI - 0.2, thetaDot: 2 },
      { theta: Math.PI - 0.1, thetaDot: 2 },
      { theta: Math.PI + 0.1, thetaDot: 2 }, // through the bottom: wraps to −π + 0.1
      { theta: Math.PI + 0.2, thetaDot: 2 },
    ];
    const segments = trajectorySegments(GRID, PLOT, points);
    expect(segments.map((segment) => segment.length)).toEqual([2, 2]);
    expect(segments[0]?.[0]?.x).toBeCloseTo(44 + 400 * ((Math.PI - 0.2 + Math.PI) / (2 * Math.PI)), 9);
    expect(segments[1]?.[0]?.x).toBeCloseTo(44 + 400 * (0.1 / (2 * Math.PI)), 9);
    expect(segments[0]?.[0]?.y).toBe(8 + 320 * (6 / 16));
    expect(trajectorySegments(GRID, PLOT, [{ theta: 0, thetaDot: 0 }, { theta: Number.NaN, thetaDot: 0 }, { theta: 0.1, thetaDot: 0 }])).toHaveLength(1);
  });
});
