/**
 * The current episode's trajectory of the selected run (θ, θ̇ of every frame the worker sent), outside
 * React and the store like the frames themselves: the phase-space map draws it on top. A new episode
 * (the step count goes back), another source (train ↔ test) or another run starts it over.
 */
import type { RunId } from '../worker/protocol';

export interface TrajectoryPoint {
  theta: number;
  thetaDot: number;
  step: number;
}

/** More than one episode's steps never come: the cap only guards against a misbehaving sender. */
const MAX_POINTS = 400;

let runId: RunId | null = null;
let source: 'train' | 'test' | null = null;
let points: TrajectoryPoint[] = [];
let version = 0;

export function recordTrajectoryFrame(frameRunId: RunId, frameSource: 'train' | 'test', point: TrajectoryPoint): void {
  const previous = points[points.length - 1];
  if (frameRunId !== runId || frameSource !== source || (previous !== undefined && point.step < previous.step)) {
    runId = frameRunId;
    source = frameSource;
    points = [];
  }
  const last = points[points.length - 1];
  // The same step again (a push moves the state without a step): the newer state replaces it.
  if (last !== undefined && point.step === last.step) points[points.length - 1] = point;
  else points.push(point);
  if (points.length > MAX_POINTS) points = points.slice(points.length - MAX_POINTS);
  version += 1;
}

export function getTrajectory(): { runId: RunId | null; source: 'train' | 'test' | null; points: readonly TrajectoryPoint[]; version: number } {
  return { runId, source, points, version };
}

export function clearTrajectory(): void {
  runId = null;
  source = null;
  points = [];
  version += 1;
}
