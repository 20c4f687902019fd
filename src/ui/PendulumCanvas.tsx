/**
 * The live pendulum: a canvas redrawn in requestAnimationFrame from the latest frames the worker sent
 * (store/pendulumFrame.ts), interpolated between the last two, so React never re-renders per env step
 * and the motion stays smooth at display rate. In "you drive" mode it shows the main-thread pendulum
 * instead (page/insightDrive.ts). During Test policy, or training in watch mode, the pointer pushes the
 * pendulum (issue 9): drag the bob to move it (a flick throws it), click or swipe beside it to push it.
 */
import { useEffect, useRef } from 'react';
import { getDriveFrame } from '../page/insightDrive';
import { getPendulumFrame, interpolatePendulum } from '../store/pendulumFrame';
import { playgroundStore, selectedRun, usePlayground } from '../store/index';
import type { PlaygroundState } from '../store/index';
import type { RunStatus } from '../store/runTypes';
import { DEFAULT_PHYSICS } from '../rl/env/physics';
import { useCommands } from './commandsContext';
import { drawPendulum, pendulumGeometry } from './drawPendulum';
import { angleAtPointer, gesturePush, hitsBob, type Gesture } from './insight/pushGesture';

const RESTING = { theta: Math.PI, thetaDot: 0, torque: 0 };

/** Caption under the pendulum by the selected run's state ('none': no run selected). */
const CAPTIONS: Record<RunStatus | 'none', string> = {
  none: '',
  queued: 'Queued: waiting for a free worker',
  starting: 'Starting…',
  training: 'Training',
  paused: 'Training (paused)',
  testing: 'Test policy',
  done: 'Training stopped',
  failed: 'Training failed',
};

/** Whether the selected run's pendulum takes pushes now (Test policy, or training in watch mode; not while you drive). */
export function canPushSelected(state: PlaygroundState): boolean {
  const status = selectedRun(state)?.status;
  return !state.driveActive && (status === 'testing' || (status === 'training' && state.speed.mode === 'watch'));
}

export function PendulumCanvas() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const gestureRef = useRef<(Gesture & { pointerId: number }) | null>(null);
  const sizeRef = useRef({ width: 1, height: 1 });
  /** The angle drawn last: the bob is grabbed where the user sees it (the drawing runs a frame behind the latest state). */
  const drawnThetaRef = useRef<number>(Math.PI);
  const commands = useCommands();
  const pushable = usePlayground(canPushSelected);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    let frameRequest = 0;
    let drawnVersion = -1;
    let drawnPhase = '';
    let settled = true;
    let cssWidth = 0;
    let cssHeight = 0;
    let sizeChanged = true;
    let wasDragging = false;

    const resize = (): void => {
      const rect = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      cssWidth = Math.max(1, rect.width);
      cssHeight = Math.max(1, rect.height);
      sizeRef.current = { width: cssWidth, height: cssHeight };
      canvas.width = Math.round(cssWidth * ratio);
      canvas.height = Math.round(cssHeight * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      sizeChanged = true;
    };
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    resize();

    const draw = (): void => {
      frameRequest = requestAnimationFrame(draw);
      const state = playgroundStore.getState();
      const driving = state.driveActive;
      const { frame, previous, version } = driving ? getDriveFrame() : getPendulumFrame();
      const phase = driving ? 'drive' : (selectedRun(state)?.status ?? 'none');
      const gesture = gestureRef.current;
      const dragging = gesture !== null && gesture.onBob && gesture.samples.length > 1;
      if (version === drawnVersion && phase === drawnPhase && !sizeChanged && settled && !dragging && !wasDragging) return;
      drawnVersion = version;
      drawnPhase = phase;
      sizeChanged = false;
      wasDragging = dragging;
      let pendulum = RESTING;
      settled = true;
      if (frame) {
        const interpolated = interpolatePendulum(previous, frame, performance.now());
        pendulum = interpolated.state;
        settled = interpolated.settled;
      }
      let caption = frame?.source === 'test' ? 'Test policy (deterministic actor, no learning)' : CAPTIONS[phase as RunStatus | 'none'];
      if (driving) caption = 'You drive: ← counter-clockwise, → clockwise';
      if (dragging && gesture) {
        const last = gesture.samples[gesture.samples.length - 1];
        if (last) pendulum = { theta: last.angle, thetaDot: 0, torque: 0 };
        caption = 'Release to let go (flick to throw)';
      }
      drawPendulum(context, pendulum, {
        width: cssWidth,
        height: cssHeight,
        idle: frame === null && !driving,
        caption,
        stepInEpisode: frame?.stepInEpisode ?? null,
        maxTorque: driving ? (state.physicsByRun[state.selectedRunId ?? '']?.physics.maxTorque ?? DEFAULT_PHYSICS.maxTorque) : undefined,
      });
      canvas.dataset.frame = String(version);
      // The drawn angle (rad), so a test can find the bob to drag it.
      canvas.dataset.theta = pendulum.theta.toFixed(4);
      drawnThetaRef.current = pendulum.theta;
    };
    frameRequest = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frameRequest);
      observer.disconnect();
    };
  }, []);

  const pointerAt = (event: React.PointerEvent<HTMLCanvasElement>): { x: number; y: number } => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const currentState = (): { theta: number; thetaDot: number } => {
    const { frame } = getPendulumFrame();
    return frame ? { theta: frame.theta, thetaDot: frame.thetaDot } : { theta: RESTING.theta, thetaDot: 0 };
  };

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>): void => {
    if (event.button !== 0 || !canPushSelected(playgroundStore.getState())) return;
    const { x, y } = pointerAt(event);
    const geometry = pendulumGeometry(sizeRef.current.width, sizeRef.current.height);
    const onBob = hitsBob(geometry, drawnThetaRef.current, x, y) || hitsBob(geometry, currentState().theta, x, y);
    gestureRef.current = { pointerId: event.pointerId, startX: x, startY: y, onBob, samples: [{ time: event.timeStamp, angle: angleAtPointer(geometry, x, y) }] };
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // No active pointer of that id (a synthetic event): the drag still works while over the canvas.
    }
    event.preventDefault();
  };
  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>): void => {
    const gesture = gestureRef.current;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    const { x, y } = pointerAt(event);
    const geometry = pendulumGeometry(sizeRef.current.width, sizeRef.current.height);
    gesture.samples.push({ time: event.timeStamp, angle: angleAtPointer(geometry, x, y) });
    if (gesture.samples.length > 64) gesture.samples.splice(0, gesture.samples.length - 64);
  };
  const onPointerUp = (event: React.PointerEvent<HTMLCanvasElement>): void => {
    const gesture = gestureRef.current;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    gestureRef.current = null;
    const state = playgroundStore.getState();
    const runId = state.selectedRunId;
    if (runId === null) return;
    const { x, y } = pointerAt(event);
    const geometry = pendulumGeometry(sizeRef.current.width, sizeRef.current.height);
    const maxSpeed = state.physicsByRun[runId]?.physics.maxSpeed ?? DEFAULT_PHYSICS.maxSpeed;
    const push = gesturePush(geometry, gesture, x, y, currentState(), maxSpeed);
    if (push) commands.push(runId, push);
  };

  return (
    <canvas
      ref={canvasRef}
      className={`pendulum-canvas${pushable ? ' pushable' : ''}`}
      role="img"
      aria-label="Pendulum: rod, bob and the applied torque (arc: direction and size)"
      aria-describedby="pendulum-push-hint"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        gestureRef.current = null;
      }}
    />
  );
}
