/**
 * One run's phase-space map: the worker's grid drawn as an image (putImageData on a gridSize² canvas,
 * scaled into the plot), its colour legend, the current episode's trajectory on top (the selected run
 * only: frames come for it alone), and a readout of θ, θ̇ and the value under the pointer. Main-thread
 * work is drawing only: the grid is coloured once per insight message, the trajectory is redrawn in
 * requestAnimationFrame when a new frame arrived.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import {
  colorScaleOf,
  DEFAULT_GRID_SIZE,
  DEFAULT_THETA_DOT_RANGE,
  DEFAULT_THETA_RANGE,
  formatMapValue,
  gridToRgba,
  hoverLookup,
  plotRectOf,
  type GridGeometry,
  type HoverReading,
} from '../../page/insightGrid';
import { getTrajectory } from '../../page/insightTrajectory';
import { usePlayground } from '../../store/index';
import type { InsightMapKey, RunId } from '../../worker/protocol';
import { ColorLegend } from './ColorLegend';
import { drawPhaseMap } from './drawPhaseMap';
import { mapChoice } from './mapChoices';

export interface PhaseMapProps {
  runId: RunId;
  runName: string;
  mapKey: InsightMapKey;
  /** Draw the current episode's trajectory (the selected run). */
  withTrajectory: boolean;
}

/**
 * The map's own main-thread work as User Timing entries (the browser test checks that none comes near a
 * long task); kept to the last few hundred so a long session does not pile them up.
 */
function measure(name: string, start: number): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  try {
    performance.measure(name, { start, end: performance.now() });
    if (performance.getEntriesByName(name, 'measure').length > 500) performance.clearMeasures(name);
  } catch {
    // User Timing level 3 missing: nothing to record.
  }
}

/** The trajectory's redraw interval (ms): 20 per second, as many as env steps in real time. */
const TRAJECTORY_REDRAW_MS = 50;

function describeHover(reading: HoverReading, label: string, unit: string): string {
  const degrees = Math.round((reading.theta * 180) / Math.PI) || 0;
  const theta = `θ ${formatMapValue(reading.theta)} rad (${String(degrees).replace('-', '−')}°)`;
  const thetaDot = `θ̇ ${formatMapValue(reading.thetaDot)} rad/s`;
  return `${theta}, ${thetaDot}: ${label} ${formatMapValue(reading.value)}${unit ? ` ${unit}` : ''}`;
}

/** Memoized: its props are primitives, so the panel's own re-renders do not reach it. */
export const PhaseMap = memo(function PhaseMap({ runId, runName, mapKey, withTrajectory }: PhaseMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const imageRef = useRef<HTMLCanvasElement | null>(null);
  const insight = usePlayground((state) => state.insightMaps[runId] ?? null);
  const status = usePlayground((state) => state.runs[runId]?.status ?? null);
  const [hover, setHover] = useState<string | null>(null);
  const choice = mapChoice(mapKey);
  const map = insight?.maps.find((candidate) => candidate.key === mapKey) ?? null;

  const geometry: GridGeometry = useMemo(
    () => ({
      gridSize: insight?.gridSize ?? DEFAULT_GRID_SIZE,
      thetaRange: insight?.thetaRange ?? DEFAULT_THETA_RANGE,
      thetaDotRange: insight?.thetaDotRange ?? DEFAULT_THETA_DOT_RANGE,
    }),
    [insight?.gridSize, insight?.thetaRange[0], insight?.thetaRange[1], insight?.thetaDotRange[0], insight?.thetaDotRange[1]],
  );
  let placeholder = `No ${choice.label.toLowerCase()} map for this run`;
  if (!insight) {
    if (status === 'queued') placeholder = 'No map while the run waits in the queue';
    else if (status === 'training' || status === 'testing' || status === 'starting') placeholder = 'Waiting for the first map…';
    else placeholder = 'Maps come while the run trains or tests';
  }
  const scale = useMemo(() => (map ? colorScaleOf(choice.colorMap, map.values) : null), [map, choice.colorMap]);

  // The grid's image: coloured once per message.
  const imageVersion = useMemo(() => {
    if (!map || !scale || typeof document === 'undefined') return null;
    const n = geometry.gridSize;
    if (map.values.length !== n * n) return null;
    const image = imageRef.current ?? document.createElement('canvas');
    imageRef.current = image;
    if (image.width !== n || image.height !== n) {
      image.width = n;
      image.height = n;
    }
    const context = image.getContext('2d');
    if (!context) return null;
    const started = performance.now();
    const data = context.createImageData(n, n);
    gridToRgba(map.values, n, scale, data.data);
    context.putImageData(data, 0, 0);
    measure('insight-map-image', started);
    return `${insight?.version ?? 0}:${mapKey}`;
  }, [map, scale, geometry.gridSize, insight?.version, mapKey]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    let frameRequest = 0;
    let drawnTrajectory = -1;
    let drawnImage: string | null = '';
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
    let drawnAt = 0;
    const draw = (now: number): void => {
      frameRequest = requestAnimationFrame(draw);
      const trajectory = getTrajectory();
      const trajectoryVersion = withTrajectory && trajectory.runId === runId ? trajectory.version : -2;
      if (!sizeChanged && drawnImage === imageVersion && drawnTrajectory === trajectoryVersion) return;
      // A new map or size draws at once; the trajectory alone at most every TRAJECTORY_REDRAW_MS.
      if (!sizeChanged && drawnImage === imageVersion && now - drawnAt < TRAJECTORY_REDRAW_MS) return;
      drawnAt = now;
      sizeChanged = false;
      drawnImage = imageVersion;
      drawnTrajectory = trajectoryVersion;
      const points = trajectoryVersion >= 0 ? trajectory.points : [];
      const started = performance.now();
      const drawn = drawPhaseMap(context, {
        width: cssWidth,
        height: cssHeight,
        geometry,
        image: imageVersion !== null ? imageRef.current : null,
        trajectory: points,
        placeholder: placeholder,
      });
      measure('insight-map-draw', started);
      canvas.dataset.trajectoryPoints = String(drawn);
      canvas.dataset.drawn = imageVersion ?? '';
    };
    frameRequest = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frameRequest);
      observer.disconnect();
    };
  }, [imageVersion, geometry, withTrajectory, runId, placeholder]);

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>): void => {
    if (!map) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const reading = hoverLookup(geometry, map.values, plotRectOf(rect.width, rect.height), event.clientX - rect.left, event.clientY - rect.top);
    setHover(reading ? describeHover(reading, choice.label, choice.unit) : null);
  };

  const label = map ? map.label : choice.label;
  const legendId = `insight-legend-${mapKey}-${runId}`;
  return (
    <figure className="insight-map">
      <figcaption className="insight-map-title">
        <strong>{runName}</strong>: {label}
        {insight && <span className="sub"> · at step {insight.step.toLocaleString('en-US')}</span>}
      </figcaption>
      <canvas
        ref={canvasRef}
        className="insight-map-canvas"
        role="img"
        aria-label={`Phase-space map: ${choice.label} of ${runName}`}
        aria-describedby={scale ? legendId : undefined}
        title={map?.description}
        data-map={mapKey}
        data-version={insight?.version ?? 0}
        data-step={insight?.step ?? ''}
        data-value-range={scale ? `${formatMapValue(scale.min)}…${formatMapValue(scale.max)}` : ''}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHover(null)}
      />
      {scale && <ColorLegend scale={scale} label={`${label}${choice.unit && !label.includes(choice.unit) ? ` (${choice.unit})` : ''}`} id={legendId} />}
      <output className="insight-hover" aria-live="polite" aria-label={`Value under the pointer (${runName})`}>
        {hover ?? 'Point at the map to read θ, θ̇ and the value there.'}
      </output>
      {map && <p className="insight-description sub">{map.description}</p>}
    </figure>
  );
});
