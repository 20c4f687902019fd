/**
 * Pushes (issue 9, "push it"): the fixed impulse of the "Push left / Push right" buttons and clicks, the
 * sentence the status shows once the worker applied a push, and the pushes waiting for their answer
 * (what the pendulum was doing when the push was sent, for "θ̇ 1.2 → 4.2 rad/s").
 */
import { angleNormalize } from '../rl/env/pendulum';
import type { PushAppliedMessage, RunId } from '../worker/protocol';

/** Δθ̇ of one push by the buttons or a click (rad/s). */
export const PUSH_AMOUNT = 3;

export interface PushRequest {
  deltaThetaDot?: number;
  theta?: number;
}

export interface PendulumPoint {
  theta: number;
  thetaDot: number;
}

/**
 * The Δθ̇ that moves the bob to the screen's left (or right) now. The bob sits at x = −l·sin θ (θ = 0
 * up, counter-clockwise positive), so its horizontal speed is −l·cos θ·θ̇: left needs θ̇·cos θ > 0.
 * With the rod horizontal (cos θ = 0) left means counter-clockwise.
 */
export function sidePushDelta(side: 'left' | 'right', theta: number, amount = PUSH_AMOUNT): number {
  const cos = Math.cos(theta);
  const towardsLeft = Math.abs(cos) < 1e-9 || cos > 0 ? amount : -amount;
  return side === 'left' ? towardsLeft : -towardsLeft;
}

function degrees(theta: number): string {
  const value = Math.round((angleNormalize(theta) * 180) / Math.PI) || 0;
  return `${value < 0 ? '−' : ''}${Math.abs(value)}°`;
}

function speed(value: number): string {
  const rounded = Math.round(value * 10) / 10 || 0;
  return `${rounded < 0 ? '−' : ''}${Math.abs(rounded).toFixed(1)}`;
}

/**
 * "Pushed: θ̇ 1.2 → 4.2 rad/s" (an impulse), "Pushed: θ 170° → 45°, θ̇ 0.3 → 2.0 rad/s" (the bob moved and
 * flicked). `before`: the state when the push was sent (null when unknown: then only the result).
 * Where the push changed θ̇ and was not clipped at ±maxSpeed, θ̇ before is exactly θ̇ after − Δθ̇.
 */
export function describePush(push: PushRequest, before: PendulumPoint | null, after: PendulumPoint, maxSpeed: number, source: 'train' | 'test'): string {
  const parts: string[] = [];
  if (push.theta !== undefined) parts.push(before ? `θ ${degrees(before.theta)} → ${degrees(after.theta)}` : `θ → ${degrees(after.theta)}`);
  let thetaDotBefore = before?.thetaDot ?? null;
  if (push.deltaThetaDot !== undefined && Math.abs(after.thetaDot) < maxSpeed - 1e-9) thetaDotBefore = after.thetaDot - push.deltaThetaDot;
  if (push.deltaThetaDot !== undefined || push.theta === undefined) {
    parts.push(thetaDotBefore === null ? `θ̇ → ${speed(after.thetaDot)} rad/s` : `θ̇ ${speed(thetaDotBefore)} → ${speed(after.thetaDot)} rad/s`);
  }
  const where = source === 'test' ? '' : ' (training env)';
  return `Pushed: ${parts.join(', ')}${where}`;
}

/** Pushes sent and not yet answered, by run and request id. */
const waiting = new Map<string, { push: PushRequest; before: PendulumPoint | null }>();

export function rememberPush(runId: RunId, requestId: number, push: PushRequest, before: PendulumPoint | null): void {
  waiting.set(`${runId}\u0000${requestId}`, { push, before });
  // Answers can be lost with a worker: keep the map small.
  if (waiting.size > 64) {
    const oldest = waiting.keys().next().value;
    if (oldest !== undefined) waiting.delete(oldest);
  }
}

export function takePush(runId: RunId, requestId: number): { push: PushRequest; before: PendulumPoint | null } | null {
  const key = `${runId}\u0000${requestId}`;
  const entry = waiting.get(key) ?? null;
  waiting.delete(key);
  return entry;
}

/** The sentence for an applied push (the request's own push, when it is still known). */
export function describeAppliedPush(message: PushAppliedMessage, maxSpeed: number): string {
  const entry = takePush(message.runId, message.requestId);
  const push = entry?.push ?? { deltaThetaDot: 0 };
  return describePush(push, entry?.before ?? null, { theta: message.theta, thetaDot: message.thetaDot }, maxSpeed, message.source);
}
