/**
 * Draws the pendulum: pure function of a 2D context and a state (no DOM lookups, no globals).
 * θ = 0 is upright and positive θ turns counter-clockwise (Gymnasium's convention); the torque is
 * drawn as an arc around the pivot whose sweep (up to 270°) and width grow with |torque| and whose
 * arrowhead points the way it turns.
 */
import type { PendulumState } from '../rl/types';

export interface PendulumView {
  /** CSS pixels of the drawing area. */
  width: number;
  height: number;
  /** Largest torque (N·m): a full arc. */
  maxTorque?: number;
  /** Caption, e.g. "Training" or "Test policy". */
  caption?: string;
  /** Step within the episode, shown as "step 57 / 200". */
  stepInEpisode?: number | null;
  /** Draw the "no run yet" hint instead of a live caption. */
  idle?: boolean;
}

export const PENDULUM_COLORS = {
  background: '#f8fafc',
  grid: '#e2e8f0',
  rod: '#334155',
  bob: '#e4572e',
  pivot: '#0f172a',
  torquePositive: '#2563eb',
  torqueNegative: '#9333ea',
  text: '#475569',
  target: '#16a34a',
} as const;

/** Where the pendulum is drawn in a view (CSS pixels): the pivot, the rod's length and the bob's radius. */
export interface PendulumGeometry {
  cx: number;
  cy: number;
  length: number;
  bobRadius: number;
}

export function pendulumGeometry(width: number, height: number): PendulumGeometry {
  const length = Math.max(10, Math.min(width, height) * 0.36);
  return { cx: width / 2, cy: height / 2 + 6, length, bobRadius: Math.max(6, length * 0.1) };
}

export function drawPendulum(ctx: CanvasRenderingContext2D, state: PendulumState, view: PendulumView): void {
  const { width, height } = view;
  const maxTorque = view.maxTorque ?? 2;
  const { cx, cy, length, bobRadius } = pendulumGeometry(width, height);

  ctx.save();
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = PENDULUM_COLORS.background;
  ctx.fillRect(0, 0, width, height);

  // The bob's circle, and the upright target at its top.
  ctx.strokeStyle = PENDULUM_COLORS.grid;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 6]);
  ctx.beginPath();
  ctx.arc(cx, cy, length, 0, Math.PI * 2);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = PENDULUM_COLORS.target;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(cx, cy, length, -Math.PI / 2 - 0.12, -Math.PI / 2 + 0.12);
  ctx.stroke();

  // Torque arc: sweep ∝ |torque|, counter-clockwise for positive torque (screen y points down).
  const torque = Number.isFinite(state.torque) ? state.torque : 0;
  const fraction = Math.min(1, Math.abs(torque) / maxTorque);
  if (fraction > 0.01) {
    const radius = length * 0.3;
    const start = -Math.PI / 2;
    const sweep = fraction * Math.PI * 1.5;
    const counterClockwise = torque > 0;
    const end = counterClockwise ? start - sweep : start + sweep;
    const color = counterClockwise ? PENDULUM_COLORS.torquePositive : PENDULUM_COLORS.torqueNegative;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2 + 4 * fraction;
    ctx.lineCap = 'round';
    ctx.globalAlpha = 0.85;
    ctx.beginPath();
    ctx.arc(cx, cy, radius, start, end, counterClockwise);
    ctx.stroke();
    // Arrowhead at the end, along the direction of travel.
    const tipX = cx + radius * Math.cos(end);
    const tipY = cy + radius * Math.sin(end);
    const tangent = end + (counterClockwise ? -Math.PI / 2 : Math.PI / 2);
    const head = 7 + 5 * fraction;
    ctx.beginPath();
    ctx.moveTo(tipX + head * Math.cos(tangent), tipY + head * Math.sin(tangent));
    ctx.lineTo(tipX + head * 0.8 * Math.cos(tangent + 2.3), tipY + head * 0.8 * Math.sin(tangent + 2.3));
    ctx.lineTo(tipX + head * 0.8 * Math.cos(tangent - 2.3), tipY + head * 0.8 * Math.sin(tangent - 2.3));
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
  }

  // Rod and bob: θ = 0 up, positive θ counter-clockwise.
  const theta = Number.isFinite(state.theta) ? state.theta : 0;
  const bobX = cx - length * Math.sin(theta);
  const bobY = cy - length * Math.cos(theta);
  ctx.strokeStyle = PENDULUM_COLORS.rod;
  ctx.lineWidth = Math.max(4, length * 0.07);
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(cx, cy);
  ctx.lineTo(bobX, bobY);
  ctx.stroke();
  ctx.fillStyle = PENDULUM_COLORS.bob;
  ctx.beginPath();
  ctx.arc(bobX, bobY, bobRadius, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = PENDULUM_COLORS.pivot;
  ctx.beginPath();
  ctx.arc(cx, cy, Math.max(3, length * 0.045), 0, Math.PI * 2);
  ctx.fill();

  // Captions.
  ctx.fillStyle = PENDULUM_COLORS.text;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(view.idle ? 'Press Start to train' : view.caption ?? '', 10, 10);
  if (view.stepInEpisode !== null && view.stepInEpisode !== undefined && !view.idle) {
    ctx.textAlign = 'right';
    ctx.fillText(`step ${Math.round(view.stepInEpisode)} / 200`, width - 10, 10);
  }
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(`torque ${torque >= 0 ? '+' : '−'}${Math.abs(torque).toFixed(2)} N·m`, 10, height - 8);
  ctx.textAlign = 'right';
  const wrapped = ((((theta + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  const degrees = Math.round((wrapped * 180) / Math.PI) || 0; // || 0: no "-0"
  const thetaDot = Number.isFinite(state.thetaDot) ? state.thetaDot : 0;
  ctx.fillText(`θ ${degrees}°  θ̇ ${(Math.round(thetaDot * 10) / 10 || 0).toFixed(1)} rad/s`, width - 10, height - 8);
  ctx.restore();
}
