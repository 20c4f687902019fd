/**
 * The training curves of every visible run, one chart per metric group of the algorithms' descriptors,
 * with the shared view options: x axis (episode / env step / wall-clock seconds), the group band
 * (min–max or ±1 s.d.) and smoothing. React renders here only when the drawn set or an option changes;
 * new episodes reach the charts through their own store subscriptions.
 */
import { useMemo } from 'react';
import { playgroundStore, selectedRun, usePlayground } from '../../store/index';
import type { ChartXAxis, GroupBand } from '../../store/runTypes';
import type { PlaygroundState } from '../../store/index';
import { chartsFor } from './chartLayout';
import { curveSetKey, curveSetOf, type CurveSet } from './curveSet';
import { ExperimentChart } from './ExperimentChart';

const X_AXES: ReadonlyArray<{ value: ChartXAxis; label: string }> = [
  { value: 'episode', label: 'Episode' },
  { value: 'step', label: 'Env step' },
  { value: 'logStep', label: 'Env step (log)' },
  { value: 'wall', label: 'Wall-clock seconds' },
];
const BANDS: ReadonlyArray<{ value: GroupBand; label: string }> = [
  { value: 'minmax', label: 'Min–max' },
  { value: 'sd', label: '±1 s.d.' },
];

/** The drawn set as a string: equal strings mean the same charts, so React compares by value. */
function selectCurveKey(state: PlaygroundState): string {
  return curveSetKey(curveSetOf({ runs: state.runs, runOrder: state.runOrder, groups: state.groups }));
}

export function ChartsPanel() {
  const curveKey = usePlayground(selectCurveKey);
  const curves = useMemo(() => JSON.parse(curveKey) as CurveSet, [curveKey]);
  const xAxis = usePlayground((state) => state.xAxis);
  const band = usePlayground((state) => state.band);
  const smoothing = usePlayground((state) => state.smoothing);
  // Every algorithm's table has goal_score (the lecture's stop rule).
  const goal = usePlayground((state) => Number(selectedRun(state)?.config.goalScore ?? state.config.goalScore));
  const editorAlgorithm = usePlayground((state) => state.algorithm);
  const noEpisodes = usePlayground((state) => Object.values(state.episodes).every((episodes) => episodes.length === 0));
  // The visible runs' own metrics; with none shown, those of the algorithm the editor would start.
  const algorithms = curves.algorithms.length > 0 ? curves.algorithms : [editorAlgorithm];
  const specs = useMemo(() => chartsFor(algorithms), [algorithms.join(',')]);
  const hasGroup = curves.curves.some((curve) => curve.kind === 'group');
  const store = playgroundStore.getState();

  return (
    <section className="card charts" aria-labelledby="charts-title">
      <div className="card-head">
        <h2 id="charts-title">Training curves</h2>
        <div className="chart-controls">
          <fieldset className="segmented" role="radiogroup" aria-label="X axis">
            <legend className="visually-hidden">X axis</legend>
            <span className="control-label" aria-hidden="true">
              X axis
            </span>
            {X_AXES.map((option) => (
              <label key={option.value}>
                <input type="radio" name="x-axis" value={option.value} checked={xAxis === option.value} onChange={() => store.setXAxis(option.value)} />
                {option.label}
              </label>
            ))}
          </fieldset>
          <fieldset className="segmented" role="radiogroup" aria-label="Band" title="What the shaded band around a group's mean shows">
            <legend className="visually-hidden">Band</legend>
            <span className={`control-label${hasGroup ? '' : ' muted'}`} aria-hidden="true">
              Band
            </span>
            {BANDS.map((option) => (
              <label key={option.value}>
                <input type="radio" name="band" value={option.value} checked={band === option.value} onChange={() => store.setBand(option.value)} />
                {option.label}
              </label>
            ))}
          </fieldset>
          <label className="inline-slider">
            <span>Smoothing</span>
            <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(event) => store.setSmoothing(Number(event.target.value))} />
            <span className="slider-value">{smoothing.toFixed(2)}</span>
          </label>
        </div>
      </div>
      {noEpisodes && <p className="hint">Curves appear after the first episode (200 env steps).</p>}
      {!noEpisodes && curves.curves.length === 0 && <p className="hint">Every run is hidden: tick “Show … on charts” in the runs list.</p>}
      <p className="hint">Ctrl + scroll or pinch on a chart zooms, dragging pans; hover a curve to see its run. A group is drawn as its mean (thick), its band and its seeds (thin).</p>
      <div className="chart-grid">
        {specs.map((spec) => (
          <ExperimentChart key={spec.title} spec={spec} curves={curves} xAxis={xAxis} band={band} smoothing={smoothing} goal={spec.showsGoal ? goal : null} />
        ))}
      </div>
    </section>
  );
}
