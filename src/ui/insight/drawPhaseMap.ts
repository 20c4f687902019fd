/**
 * Draws one phase-space map: the grid's image scaled into the plot (no smoothing: one block per cell),
 * the axes (θ from −π to π, θ̇ from −8 to 8), the upright target (θ = 0, θ̇ = 0) and the current
 * episode's trajectory on top. A pure function of a 2D context and plain data; the image itself is made
 * by the caller (putImageData on a gridSize × gridSize canvas) and passed in.
 */
import { plotRectOf, stateToPixel, trajectorySegments, type GridGeometry } from '../../page/insightGrid';

export interface PhaseMapView {
  width: number;
  height: number;
  geometry: GridGeometry;
  /** The grid as an image (gridSize × gridSize pixels), or null while no map has arrived. */
  image: CanvasImageSource | null;
  trajectory: ReadonlyArray<{ theta: number; thetaDot: number }>;
  /** Shown in the plot while there is no image. */
  placeholder?: string;
}

export const MAP_COLORS = {
  background: '#f1f5f9',
  axis: '#475569',
  text: '#334155',
  trajectory: '#ffffff',
  trajectoryShadow: '#0f172a',
  target: '#16a34a',
} as const;

const THETA_TICKS: ReadonlyArray<[number, string]> = [
  [-Math.PI, '−π'],
  [-Math.PI / 2, '−π/2'],
  [0, '0'],
  [Math.PI / 2, 'π/2'],
  [Math.PI - 1e-9, 'π'],
];

function thetaDotTicks(range: readonly [number, number]): number[] {
  const [min, max] = range;
  return [min, (3 * min + max) / 4, (min + max) / 2, (min + 3 * max) / 4, max];
}

/** Returns the number of trajectory points drawn. */
export function drawPhaseMap(ctx: CanvasRenderingContext2D, view: PhaseMapView): number {
  const { width, height, geometry } = view;
  const plot = plotRectOf(width, height);
  ctx.save();
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = MAP_COLORS.background;
  ctx.fillRect(plot.left, plot.top, plot.width, plot.height);

  if (view.image) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(view.image, plot.left, plot.top, plot.width, plot.height);
  } else if (view.placeholder) {
    ctx.fillStyle = MAP_COLORS.text;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(view.placeholder, plot.left + plot.width / 2, plot.top + plot.height * 0.3); // above the target mark
  }

  // Axes and ticks.
  ctx.strokeStyle = MAP_COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width - 1, plot.height - 1);
  ctx.fillStyle = MAP_COLORS.text;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const [theta, label] of THETA_TICKS) {
    const { x } = stateToPixel(geometry, plot, theta, 0);
    ctx.beginPath();
    ctx.moveTo(x, plot.top + plot.height);
    ctx.lineTo(x, plot.top + plot.height + 4);
    ctx.stroke();
    ctx.fillText(label, x, plot.top + plot.height + 5);
  }
  ctx.fillText('θ (rad)', plot.left + plot.width / 2, plot.top + plot.height + 19);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const thetaDot of thetaDotTicks(geometry.thetaDotRange)) {
    const { y } = stateToPixel(geometry, plot, 0, thetaDot);
    ctx.beginPath();
    ctx.moveTo(plot.left - 4, y);
    ctx.lineTo(plot.left, y);
    ctx.stroke();
    ctx.fillText(String(Math.round(thetaDot * 10) / 10).replace('-', '−'), plot.left - 6, y);
  }
  ctx.save();
  ctx.translate(11, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('θ̇ (rad/s)', 0, 0);
  ctx.restore();

  // Trajectory: a light line with a dark edge, readable on both colour maps; the current state as a dot.
  let drawn = 0;
  const segments = trajectorySegments(geometry, plot, view.trajectory);
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  // One path for all segments, stroked twice (edge, then line): two stroke calls per redraw.
  ctx.beginPath();
  for (const segment of segments) {
    const first = segment[0];
    if (!first) continue;
    ctx.moveTo(first.x, first.y);
    for (let index = 1; index < segment.length; index += 1) {
      const point = segment[index] as { x: number; y: number };
      ctx.lineTo(point.x, point.y);
    }
  }
  for (const [color, lineWidth] of [[MAP_COLORS.trajectoryShadow, 3.5], [MAP_COLORS.trajectory, 1.5]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth;
    ctx.stroke();
  }
  for (const segment of segments) drawn += segment.length;
  const lastSegment = segments[segments.length - 1];
  const current = lastSegment?.[lastSegment.length - 1];
  if (current) {
    ctx.fillStyle = MAP_COLORS.trajectory;
    ctx.strokeStyle = MAP_COLORS.trajectoryShadow;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(current.x, current.y, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }

  // The upright target (θ = 0, θ̇ = 0): a ring and a cross.
  const target = stateToPixel(geometry, plot, 0, 0);
  ctx.strokeStyle = MAP_COLORS.trajectoryShadow;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(target.x, target.y, 7, 0, Math.PI * 2);
  ctx.stroke();
  ctx.strokeStyle = MAP_COLORS.target;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(target.x, target.y, 7, 0, Math.PI * 2);
  ctx.moveTo(target.x - 11, target.y);
  ctx.lineTo(target.x + 11, target.y);
  ctx.moveTo(target.x, target.y - 11);
  ctx.lineTo(target.x, target.y + 11);
  ctx.stroke();
  ctx.restore();

  ctx.restore();
  return drawn;
}
