/**
 * The live pendulum: a canvas redrawn in requestAnimationFrame from the latest frames the worker sent
 * (store/pendulumFrame.ts), interpolated between the last two, so React never re-renders per env step
 * and the motion stays smooth at display rate.
 */
import { useEffect, useRef } from 'react';
import { getPendulumFrame, interpolatePendulum } from '../store/pendulumFrame';
import { playgroundStore, selectedRun } from '../store/index';
import type { RunStatus } from '../store/runTypes';
import { drawPendulum } from './drawPendulum';

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

export function PendulumCanvas() {
  const canvasRef = useRef<HTMLCanvasElement>(null);

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

    const resize = (): void => {
      const rect = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      cssWidth = Math.max(1, rect.width);
      cssHeight = Math.max(1, rect.height);
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
      const { frame, previous, version } = getPendulumFrame();
      const phase = selectedRun(playgroundStore.getState())?.status ?? 'none';
      if (version === drawnVersion && phase === drawnPhase && !sizeChanged && settled) return;
      drawnVersion = version;
      drawnPhase = phase;
      sizeChanged = false;
      let state = RESTING;
      settled = true;
      if (frame) {
        const interpolated = interpolatePendulum(previous, frame, performance.now());
        state = interpolated.state;
        settled = interpolated.settled;
      }
      drawPendulum(context, state, {
        width: cssWidth,
        height: cssHeight,
        idle: frame === null,
        caption: frame?.source === 'test' ? 'Test policy (deterministic actor, no learning)' : CAPTIONS[phase],
        stepInEpisode: frame?.stepInEpisode ?? null,
      });
      canvas.dataset.frame = String(version);
    };
    frameRequest = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frameRequest);
      observer.disconnect();
    };
  }, []);

  return (
    <canvas
      ref={canvasRef}
      className="pendulum-canvas"
      role="img"
      aria-label="Pendulum: rod, bob and the applied torque (arc: direction and size)"
    />
  );
}
