/**
 * The latest pendulum frames, outside React and outside the zustand store: written by the worker client
 * up to once per worker slice, read by the canvas in requestAnimationFrame. Nothing re-renders per frame.
 * The previous frame is kept too, so the canvas can interpolate between the two and animate smoothly
 * at display rate although env steps arrive at 20 per second (watch) or in bursts (fast).
 */
import type { PendulumState } from '../rl/types';

export interface PendulumFrame extends PendulumState {
  /** Step within the current episode (0…200). */
  stepInEpisode: number;
  source: 'train' | 'test';
  /** performance.now() when it arrived. */
  receivedAt: number;
}

let latest: PendulumFrame | null = null;
let previous: PendulumFrame | null = null;
let version = 0;

export function setPendulumFrame(frame: PendulumFrame): void {
  previous = latest;
  latest = frame;
  version += 1;
}

export function getPendulumFrame(): { frame: PendulumFrame | null; previous: PendulumFrame | null; version: number } {
  return { frame: latest, previous, version };
}

export function clearPendulumFrame(): void {
  latest = null;
  previous = null;
  version += 1;
}

/** Longest gap between two frames that is still animated as motion (s); longer gaps jump. */
const MAX_INTERPOLATION_GAP_MS = 250;

/**
 * The state to draw at time `now`: moves from `previous` to `latest` over the time that separated
 * their arrival (so the picture runs one frame interval behind, smoothly). No interpolation across an
 * episode reset, a source change or a long gap.
 */
export function interpolatePendulum(
  previousFrame: PendulumFrame | null,
  latestFrame: PendulumFrame,
  now: number,
): { state: PendulumState; settled: boolean } {
  if (!previousFrame || previousFrame.source !== latestFrame.source || latestFrame.stepInEpisode < previousFrame.stepInEpisode) {
    return { state: latestFrame, settled: true };
  }
  const interval = latestFrame.receivedAt - previousFrame.receivedAt;
  if (interval <= 0 || interval > MAX_INTERPOLATION_GAP_MS) return { state: latestFrame, settled: true };
  const fraction = Math.min(1, Math.max(0, (now - latestFrame.receivedAt) / interval));
  const mix = (from: number, to: number): number => from + (to - from) * fraction;
  return {
    state: {
      theta: mix(previousFrame.theta, latestFrame.theta),
      thetaDot: mix(previousFrame.thetaDot, latestFrame.thetaDot),
      torque: fraction < 1 ? previousFrame.torque + (latestFrame.torque - previousFrame.torque) * fraction : latestFrame.torque,
    },
    settled: fraction >= 1,
  };
}
