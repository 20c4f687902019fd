/**
 * Pointer gestures on the pendulum canvas (issue 9, "push it"), as pure functions of the drawn geometry:
 * a drag that starts on the bob moves it (θ = the pointer's angle around the pivot) and lets it go with
 * the speed of the last ~120 ms of the drag (a flick throws it, a slow release leaves it at rest); a
 * click elsewhere pushes it to the side clicked (left half: left), a swipe elsewhere the way it went.
 */
import { sidePushDelta, type PushRequest } from '../../page/insightPush';
import type { PendulumGeometry } from '../drawPendulum';

export interface DragSample {
  /** ms */
  time: number;
  /** Pointer angle around the pivot (rad, θ convention: 0 up, counter-clockwise positive). */
  angle: number;
}

/** Moves shorter than this (px) are clicks. */
export const CLICK_SLOP_PX = 6;
/** A release slower than this (rad/s) leaves the pendulum at rest. */
export const MIN_FLICK_SPEED = 1;
const FLICK_WINDOW_MS = 120;

export function bobPosition(geometry: PendulumGeometry, theta: number): { x: number; y: number } {
  return { x: geometry.cx - geometry.length * Math.sin(theta), y: geometry.cy - geometry.length * Math.cos(theta) };
}

/** The θ that puts the bob on the line from the pivot through (x, y). */
export function angleAtPointer(geometry: PendulumGeometry, x: number, y: number): number {
  return Math.atan2(geometry.cx - x, geometry.cy - y);
}

/** True when (x, y) is on the bob (with a margin big enough for a finger). */
export function hitsBob(geometry: PendulumGeometry, theta: number, x: number, y: number): boolean {
  const bob = bobPosition(geometry, theta);
  return Math.hypot(x - bob.x, y - bob.y) <= Math.max(geometry.bobRadius * 2, 20);
}

/** Difference of two angles in (−π, π]. */
function angleDifference(to: number, from: number): number {
  let difference = (to - from) % (2 * Math.PI);
  if (difference > Math.PI) difference -= 2 * Math.PI;
  if (difference <= -Math.PI) difference += 2 * Math.PI;
  return difference;
}

/** Angular speed of the drag's last FLICK_WINDOW_MS (rad/s); 0 with fewer than two samples. */
export function flickSpeed(samples: readonly DragSample[]): number {
  const last = samples[samples.length - 1];
  if (!last) return 0;
  let first: DragSample | undefined;
  for (let index = samples.length - 2; index >= 0; index -= 1) {
    const sample = samples[index] as DragSample;
    if (last.time - sample.time > FLICK_WINDOW_MS) break;
    first = sample;
  }
  if (!first || last.time <= first.time) return 0;
  // Sum of small steps: a fast drag can pass ±π without the angle jumping.
  let swept = 0;
  const start = samples.indexOf(first);
  for (let index = start + 1; index < samples.length; index += 1) {
    swept += angleDifference((samples[index] as DragSample).angle, (samples[index - 1] as DragSample).angle);
  }
  return swept / ((last.time - first.time) / 1000);
}

export interface Gesture {
  startX: number;
  startY: number;
  onBob: boolean;
  samples: DragSample[];
}

/**
 * The push a finished gesture asks for, given where the pendulum is now (θ, θ̇) and its max speed;
 * null when it asks for nothing.
 */
export function gesturePush(geometry: PendulumGeometry, gesture: Gesture, endX: number, endY: number, now: { theta: number; thetaDot: number }, maxSpeed: number): PushRequest | null {
  const moved = Math.hypot(endX - gesture.startX, endY - gesture.startY) > CLICK_SLOP_PX;
  if (gesture.onBob && moved) {
    const theta = angleAtPointer(geometry, endX, endY);
    const speed = flickSpeed(gesture.samples);
    const target = Math.abs(speed) >= MIN_FLICK_SPEED ? Math.min(maxSpeed, Math.max(-maxSpeed, speed)) : 0;
    const deltaThetaDot = target - now.thetaDot;
    return Math.abs(deltaThetaDot) > 1e-6 ? { theta, deltaThetaDot } : { theta };
  }
  // A swipe elsewhere pushes the way it went; a click, towards the side clicked.
  const towardsLeft = moved ? endX < gesture.startX : endX < geometry.cx;
  return { deltaThetaDot: sidePushDelta(towardsLeft ? 'left' : 'right', now.theta) };
}
