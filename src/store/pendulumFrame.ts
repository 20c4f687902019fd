/**
 * The latest pendulum frame, outside React and outside the zustand store: written by the worker client
 * up to once per worker slice, read by the canvas in requestAnimationFrame. Nothing re-renders per frame.
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
let version = 0;

export function setPendulumFrame(frame: PendulumFrame): void {
  latest = frame;
  version += 1;
}

export function getPendulumFrame(): { frame: PendulumFrame | null; version: number } {
  return { frame: latest, version };
}

export function clearPendulumFrame(): void {
  latest = null;
  version += 1;
}
