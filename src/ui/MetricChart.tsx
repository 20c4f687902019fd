/**
 * The one chart.js wrapper. Points are appended incrementally from the metrics store (transient
 * subscription, no React re-render per batch); redraws are spread out (one chart per animation frame, each at most 4 times a second), with
 * animation off and chart.js decimation on, so 10,000+ episodes stay smooth. Smoothed series are drawn
 * TensorBoard-style: the raw values faint, the debiased EMA on top.
 */
import { useEffect, useRef } from 'react';
import {
  Chart,
  Decimation,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
  type ChartDataset,
  type Point,
} from 'chart.js';
import type { EpisodeMetrics } from '../rl/types';
import { playgroundStore, type PlaygroundState } from '../store/index';
import { Smoother } from './smoothing';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation, Title);

export type XAxis = 'episode' | 'step';

export interface ChartSeries {
  label: string;
  color: string;
  value: (episode: EpisodeMetrics) => number;
  /** Draw the raw values faint and a smoothed line on top (the smoothing slider applies). */
  smoothed: boolean;
  dashed?: boolean;
}

export interface MetricChartProps {
  title: string;
  series: readonly ChartSeries[];
  xAxis: XAxis;
  /** TensorBoard smoothing weight 0…0.99. */
  smoothing: number;
  /** Horizontal goal line (e.g. goal_score); omitted: none. */
  goal?: number | null;
  logScale?: boolean;
}

interface SeriesState {
  spec: ChartSeries;
  raw: Point[];
  smooth: Point[] | null;
  smoother: Smoother;
}

/**
 * One chart redraw per animation frame across all charts (oldest request first), and at most one
 * redraw per chart every MIN_REDRAW_INTERVAL_MS: a metrics batch then costs a few small frames instead
 * of one frame that redraws every chart (which on a slow machine could exceed 50 ms).
 */
const MIN_REDRAW_INTERVAL_MS = 250;
const redrawQueue = new Set<Chart<'line', Point[]>>();
const lastRedraw = new WeakMap<Chart<'line', Point[]>, number>();
let redrawFrame = 0;

function pumpRedraws(): void {
  redrawFrame = 0;
  const time = performance.now();
  for (const chart of redrawQueue) {
    if (time - (lastRedraw.get(chart) ?? 0) < MIN_REDRAW_INTERVAL_MS) continue;
    redrawQueue.delete(chart);
    lastRedraw.set(chart, time);
    chart.update('none');
    break;
  }
  if (redrawQueue.size > 0) redrawFrame = requestAnimationFrame(pumpRedraws);
}

function requestRedraw(chart: Chart<'line', Point[]>): void {
  redrawQueue.add(chart);
  if (redrawFrame === 0) redrawFrame = requestAnimationFrame(pumpRedraws);
}

function cancelRedraw(chart: Chart<'line', Point[]>): void {
  redrawQueue.delete(chart);
}

const RAW_SUFFIX = ' (raw)';
const GOAL_LABEL = 'Goal';

function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export function MetricChart({ title, series, xAxis, smoothing, goal, logScale = false }: MetricChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const goalRef = useRef<number | null | undefined>(goal);
  const extentRef = useRef<{ min: number; max: number } | null>(null);
  const goalRedrawRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const states: SeriesState[] = series.map((spec) => ({
      spec,
      raw: [],
      smooth: spec.smoothed && smoothing > 0 ? [] : null,
      smoother: new Smoother(smoothing),
    }));
    const datasets: Array<ChartDataset<'line', Point[]>> = [];
    for (const state of states) {
      const base = { borderWidth: 1.5, pointRadius: 0, pointHitRadius: 4, tension: 0, spanGaps: true } as const;
      if (state.smooth) {
        datasets.push({ ...base, label: state.spec.label + RAW_SUFFIX, data: state.raw, borderColor: withAlpha(state.spec.color, 0.25), borderWidth: 1 });
        datasets.push({ ...base, label: state.spec.label, data: state.smooth, borderColor: state.spec.color, borderDash: state.spec.dashed ? [6, 4] : [] });
      } else {
        datasets.push({ ...base, label: state.spec.label, data: state.raw, borderColor: state.spec.color, borderDash: state.spec.dashed ? [6, 4] : [] });
      }
    }
    const goalPoints: Point[] = [];
    if (goal !== undefined) {
      datasets.push({ label: GOAL_LABEL, data: goalPoints, borderColor: '#16a34a', borderDash: [4, 4], borderWidth: 1.5, pointRadius: 0 });
    }

    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: xAxis === 'episode' ? 'Episode' : 'Env step' }, ticks: { maxTicksLimit: 6 } },
          y: { type: logScale ? 'logarithmic' : 'linear', ticks: { maxTicksLimit: 6 } },
        },
        plugins: {
          title: { display: true, text: title, align: 'start', font: { size: 13, weight: 'bold' }, color: '#1e293b' },
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, filter: (item) => !item.text.endsWith(RAW_SUFFIX) } },
          tooltip: { filter: (item) => !(item.dataset.label ?? '').endsWith(RAW_SUFFIX) },
          decimation: { enabled: true, algorithm: 'min-max' },
        },
      },
    });

    let processed = 0;
    let epoch = playgroundStore.getState().metricsEpoch;
    const scheduleUpdate = (): void => requestRedraw(chart);
    const updateGoal = (): void => {
      goalPoints.length = 0;
      const extent = extentRef.current;
      const value = goalRef.current;
      if (value === undefined || value === null || !extent) return;
      goalPoints.push({ x: extent.min, y: value }, { x: extent.max, y: value });
    };
    const append = (episodes: readonly EpisodeMetrics[]): void => {
      for (let index = processed; index < episodes.length; index += 1) {
        const episode = episodes[index];
        if (!episode) continue;
        const x = xAxis === 'episode' ? episode.episode : episode.step;
        extentRef.current = extentRef.current ? { min: extentRef.current.min, max: x } : { min: x, max: x };
        for (const state of states) {
          const y = state.spec.value(episode);
          if (!Number.isFinite(y) || (logScale && y <= 0)) continue;
          state.raw.push({ x, y });
          state.smooth?.push({ x, y: state.smoother.next(y) });
        }
      }
      processed = episodes.length;
      updateGoal();
      scheduleUpdate();
    };
    const reset = (): void => {
      processed = 0;
      extentRef.current = null;
      for (const state of states) {
        state.raw.length = 0;
        if (state.smooth) state.smooth.length = 0;
        state.smoother = new Smoother(smoothing);
      }
    };
    const onChange = (state: PlaygroundState): void => {
      if (state.metricsEpoch !== epoch || state.episodes.length < processed) {
        epoch = state.metricsEpoch;
        reset();
      }
      if (state.episodes.length !== processed) append(state.episodes);
      else scheduleUpdate();
    };
    extentRef.current = null;
    append(playgroundStore.getState().episodes);
    const unsubscribe = playgroundStore.subscribe((state, previous) => {
      if (state.episodes !== previous.episodes || state.metricsEpoch !== previous.metricsEpoch) onChange(state);
    });
    const redrawGoal = (): void => {
      updateGoal();
      scheduleUpdate();
    };
    goalRedrawRef.current = redrawGoal;
    return () => {
      unsubscribe();
      cancelRedraw(chart);
      goalRedrawRef.current = null;
      chart.destroy();
    };
    // `goal` is left out on purpose: the effect below moves the goal line without rebuilding the chart.
  }, [series, xAxis, smoothing, logScale, title]);

  useEffect(() => {
    goalRef.current = goal;
    goalRedrawRef.current?.();
  }, [goal]);

  return (
    <div className="chart-box">
      <canvas ref={canvasRef} role="img" aria-label={`Chart: ${title}`} />
    </div>
  );
}
