/**
 * "Equations, live" (issue 9) connected to the store: the selected run's algorithm (the editor's when no
 * run is selected), its latest episode's metrics and its config, seen by React at most twice a second
 * (useThrottledSelector; never per env step). Hovering or focusing a term sets the store's
 * highlightedChart, which the chart of that title marks. Below: "Lecture as written vs fixed".
 */
import 'katex/dist/katex.min.css';
import './equations.css';
import { useEffect, useMemo } from 'react';
import { latestLectureBugs, type LectureBugsResult } from '../../page/lectureBugs';
import type { AlgorithmId } from '../../rl/algorithm';
import type { AlgorithmConfig } from '../../rl/algorithmSettings';
import type { EpisodeMetrics } from '../../rl/types';
import { playgroundStore, selectedEpisodes, selectedRun, type PlaygroundState } from '../../store/index';
import { useCommands } from '../commandsContext';
import { formatInteger } from '../format';
import { useThrottledSelector } from '../useThrottledSelector';
import { annotateEquations, EQUATIONS } from './equationModel';
import { EquationsView } from './EquationsView';
import { LectureBugs } from './LectureBugs';

/** How often React sees new values (ms): at most ~2 renders a second. */
export const EQUATIONS_REFRESH_MS = 500;

export interface EquationInputs {
  algorithm: AlgorithmId;
  config: AlgorithmConfig;
  latest: Readonly<EpisodeMetrics> | null;
  runName: string | null;
}

let lastInputs: EquationInputs | null = null;
/** What the panel shows, as one object that keeps its identity while none of its parts changed. */
export function selectEquationInputs(state: PlaygroundState): EquationInputs {
  const run = selectedRun(state);
  const algorithm = run?.algorithm ?? state.algorithm;
  const config = run?.config ?? state.config;
  const latest = run ? (selectedEpisodes(state).at(-1) ?? null) : null;
  const runName = run?.name ?? null;
  const last = lastInputs;
  if (last && last.algorithm === algorithm && last.config === config && last.latest === latest && last.runName === runName) return last;
  lastInputs = { algorithm, config, latest, runName };
  return lastInputs;
}

let lastBugs: { groups: PlaygroundState['groups']; runs: PlaygroundState['runs']; results: LectureBugsResult[] } | null = null;
function selectLectureBugs(state: PlaygroundState): LectureBugsResult[] {
  if (lastBugs && lastBugs.groups === state.groups && lastBugs.runs === state.runs) return lastBugs.results;
  lastBugs = { groups: state.groups, runs: state.runs, results: latestLectureBugs(state) };
  return lastBugs.results;
}

/** "Values from episode 12 (step 2,400) of “SAC · seed 500”." or what to wait for. */
export function describeSource(inputs: EquationInputs): string {
  if (inputs.runName === null) return 'Settings from the editor; the values appear (— until then) once a run is selected and has finished an episode.';
  if (inputs.latest === null) return `— until “${inputs.runName}” finishes its first episode (200 env steps).`;
  return `Values from episode ${formatInteger(inputs.latest.episode)} (step ${formatInteger(inputs.latest.step)}) of “${inputs.runName}”; settings from its config.`;
}

export function EquationsPanel() {
  const commands = useCommands();
  const inputs = useThrottledSelector(selectEquationInputs, EQUATIONS_REFRESH_MS);
  const bugs = useThrottledSelector(selectLectureBugs, 1000);
  const equations = useMemo(() => annotateEquations(inputs.algorithm, inputs.config, inputs.latest), [inputs]);
  const setHighlight = (chart: string | null): void => playgroundStore.getState().setHighlightedChart(chart);
  // No chart stays marked once the panel is gone.
  useEffect(() => () => playgroundStore.getState().setHighlightedChart(null), []);
  return (
    <section className="card equations" aria-labelledby="equations-title">
      <div className="card-head">
        <h2 id="equations-title">Equations, live</h2>
      </div>
      <EquationsView
        algorithm={inputs.algorithm}
        equations={equations}
        whatToTry={EQUATIONS[inputs.algorithm].whatToTry}
        source={describeSource(inputs)}
        onHighlight={setHighlight}
      />
      <LectureBugs onStart={() => commands.startLectureBugsComparison()} results={bugs} />
    </section>
  );
}
