/**
 * One chart.js chart of one metric group (a ChartSpec) over every visible run and group. Points are
 * appended from a transient store subscription (no React render per metrics batch); redraws go through
 * the shared queue (one chart per frame, each at most 2/s); animation off, decimation on. Ctrl + wheel or
 * pinch zooms, dragging pans (chartjs-plugin-zoom); "Reset zoom" undoes both.
 */
import { useEffect, useRef } from 'react';
import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
  type Point,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { playgroundStore, usePlayground } from '../../store/index';
import type { ChartXAxis, GroupBand } from '../../store/runTypes';
import type { ChartSpec } from './chartLayout';
import { ChartModel, roleOfDataset } from './chartModel';
import { describeCurves, type CurveSet } from './curveSet';
import { cancelRedraw, requestRedraw, type Redrawable } from './redrawQueue';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation, Title, Filler, zoomPlugin);

/** Lines with more points than the threshold are drawn from this many (LTTB keeps the shape). */
const DECIMATION_SAMPLES = 300;
const DECIMATION_THRESHOLD = 600;

const X_TITLES: Record<ChartXAxis, string> = { episode: 'Episode', step: 'Env step', logStep: 'Env step (log scale)', wall: 'Wall-clock seconds' };

export interface ExperimentChartProps {
  spec: ChartSpec;
  curves: CurveSet;
  xAxis: ChartXAxis;
  band: GroupBand;
  smoothing: number;
  /** The goal line's height (the score chart only); null: none. */
  goal: number | null;
}

export function ExperimentChart({ spec, curves, xAxis, band, smoothing, goal }: ExperimentChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line', Point[]> | null>(null);
  const modelRef = useRef<{ model: ChartModel; redraw: () => void } | null>(null);
  const goalRef = useRef(goal);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const model = new ChartModel({ spec, curves, xAxis, band, smoothing });
    model.setGoal(goalRef.current);
    const chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: model.datasets },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'xy', intersect: false },
        scales: {
          // Log scale: SAC's few thousand steps and TRPO's tens of thousands on one readable axis (the lecture comparison).
          x: { type: xAxis === 'logStep' ? 'logarithmic' : 'linear', title: { display: true, text: X_TITLES[xAxis] }, ticks: { maxTicksLimit: 6 } },
          y: { type: 'linear', ticks: { maxTicksLimit: 6 } },
        },
        plugins: {
          title: { display: true, text: spec.title, align: 'start', font: { size: 13, weight: 'bold' }, color: '#1e293b' },
          legend: {
            position: 'bottom',
            labels: { boxWidth: 12, boxHeight: 2, filter: (item, data) => isLegendRole(data.datasets[item.datasetIndex ?? -1]) },
          },
          // Hovering a curve names its run: the dataset label is "<run name> · <metric>".
          tooltip: { filter: (item) => isTooltipRole(item.dataset) },
          // Long runs are drawn from at most DECIMATION_SAMPLES points per line (of the visible range, so zooming in
          // shows detail): with many runs a full redraw must stay well under 50 ms on a slow machine.
          decimation: { enabled: true, algorithm: 'lttb', samples: DECIMATION_SAMPLES, threshold: DECIMATION_THRESHOLD },
          zoom: {
            // Ctrl + wheel zooms, so that a plain wheel over a chart still scrolls the page.
            zoom: { wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, mode: 'xy' },
            pan: { enabled: true, mode: 'xy' },
          },
        },
      },
    });
    chartRef.current = chart;
    canvas.dataset.points = '0';
    canvas.dataset.view = '';
    const redrawable: Redrawable = {
      redraw: () => {
        const state = playgroundStore.getState();
        model.prepare(state);
        chart.update('none');
        // What this chart last drew, for the browser tests (a rebuilt chart resets these until its first redraw).
        canvas.dataset.points = String(model.mainPointCount());
        canvas.dataset.view = `${xAxis}/${band}`;
      },
    };
    const redraw = (): void => requestRedraw(redrawable);
    modelRef.current = { model, redraw };
    model.sync(playgroundStore.getState());
    redraw();
    const unsubscribe = playgroundStore.subscribe((state, previous) => {
      if (state.episodes === previous.episodes && state.metricsEpoch === previous.metricsEpoch) return;
      if (model.sync(state)) redraw();
    });
    return () => {
      unsubscribe();
      cancelRedraw(redrawable);
      modelRef.current = null;
      chartRef.current = null;
      chart.destroy();
    };
  }, [spec, curves, xAxis, band, smoothing]);

  useEffect(() => {
    goalRef.current = goal;
    const current = modelRef.current;
    if (!current) return;
    current.model.setGoal(goal);
    current.redraw();
  }, [goal]);

  const drawn = describeCurves(curves);
  // The equations panel points at this chart while a term it plots is hovered or focused (issue 9).
  const highlighted = usePlayground((state) => state.highlightedChart === spec.title);
  return (
    <figure className={highlighted ? 'chart-box chart-highlighted' : 'chart-box'} data-highlighted={highlighted ? 'true' : undefined}>
      <div className="chart-canvas">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`Chart: ${spec.title}`}
          aria-description={drawn === '' ? 'No run shown' : `Curves: ${drawn}`}
          data-curves={drawn}
        />
      </div>
      <button type="button" className="link reset-zoom" onClick={() => chartRef.current?.resetZoom()} aria-label={`Reset zoom: ${spec.title}`}>
        Reset zoom
      </button>
    </figure>
  );
}

function isLegendRole(dataset: object | undefined): boolean {
  if (!dataset) return false;
  const role = roleOfDataset(dataset);
  return role === 'main' || role === 'goal';
}

function isTooltipRole(dataset: object): boolean {
  const role = roleOfDataset(dataset);
  return role === 'main' || role === 'member';
}
