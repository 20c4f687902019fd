/** The training charts with their shared controls: x-axis (episode / env step) and smoothing. */
import { useState } from 'react';
import { usePlayground } from '../store/index';
import { MetricChart, type ChartSeries, type XAxis } from './MetricChart';

const SCORE_SERIES: readonly ChartSeries[] = [
  { label: 'Episode score', color: '#2563eb', value: (episode) => episode.score, smoothed: true },
  { label: '100-episode mean', color: '#f59e0b', value: (episode) => episode.avg100, smoothed: false },
];
const ALPHA_SERIES: readonly ChartSeries[] = [
  { label: 'α (temperature)', color: '#9333ea', value: (episode) => episode.alpha, smoothed: false },
];
const LOSS_SERIES: readonly ChartSeries[] = [
  { label: 'Critic loss', color: '#dc2626', value: (episode) => episode.criticLoss, smoothed: true },
  { label: 'Actor loss', color: '#0891b2', value: (episode) => episode.actorLoss, smoothed: true },
];
const ENTROPY_SERIES: readonly ChartSeries[] = [
  { label: 'α loss', color: '#65a30d', value: (episode) => episode.alphaLoss, smoothed: true },
  { label: 'Entropy', color: '#db2777', value: (episode) => episode.entropy, smoothed: true },
];

export function ChartsPanel() {
  const [xAxis, setXAxis] = useState<XAxis>('episode');
  const [smoothing, setSmoothing] = useState(0.6);
  const goalScore = usePlayground((state) => state.runConfig?.goalScore ?? state.config.goalScore);
  const noEpisodes = usePlayground((state) => state.episodes.length === 0);

  return (
    <section className="card charts" aria-labelledby="charts-title">
      <div className="card-head">
        <h2 id="charts-title">Training curves</h2>
        <div className="chart-controls">
          <fieldset className="segmented">
            <legend className="visually-hidden">X axis</legend>
            <span className="control-label" aria-hidden="true">X axis</span>
            <label>
              <input type="radio" name="x-axis" value="episode" checked={xAxis === 'episode'} onChange={() => setXAxis('episode')} />
              Episode
            </label>
            <label>
              <input type="radio" name="x-axis" value="step" checked={xAxis === 'step'} onChange={() => setXAxis('step')} />
              Env step
            </label>
          </fieldset>
          <label className="inline-slider">
            <span>Smoothing</span>
            <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(event) => setSmoothing(Number(event.target.value))} />
            <span className="slider-value">{smoothing.toFixed(2)}</span>
          </label>
        </div>
      </div>
      {noEpisodes && <p className="hint">Curves appear after the first episode (200 env steps).</p>}
      <div className="chart-grid">
        <MetricChart title="Episode score" series={SCORE_SERIES} xAxis={xAxis} smoothing={smoothing} goal={goalScore} />
        <MetricChart title="Temperature α" series={ALPHA_SERIES} xAxis={xAxis} smoothing={smoothing} />
        <MetricChart title="Critic and actor loss" series={LOSS_SERIES} xAxis={xAxis} smoothing={smoothing} />
        <MetricChart title="α loss and entropy" series={ENTROPY_SERIES} xAxis={xAxis} smoothing={smoothing} />
      </div>
    </section>
  );
}
