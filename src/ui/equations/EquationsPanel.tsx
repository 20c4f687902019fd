/**
 * "Equations, live" (issue 9) connected to the store: the selected run's algorithm (the editor's when no
 * run is selected), its latest episode's metrics and its config, seen by React at most twice a second
 * (useThrottledSelector; never per env step). Hovering or focusing a term sets the store's
 * highlightedChart, which the chart of that title marks. Below: "Lecture as written vs fixed".
 */
import 'katex/dist/katex.min.css';
import './equations.css';
import { useEffect, useMemo } from 'react';
import { latestLectureBugs } from '../../page/lectureBugs';
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

/** What the panel shows, read from the store. */
export function selectEquationInputs(state: PlaygroundState): EquationInputs {
  const run = selectedRun(state);
  return {
    algorithm: run?.algorithm ?? state.algorithm,
    config: run?.config ?? state.config,
    latest: run ? (selectedEpisodes(state).at(-1) ?? null) : null,
    runName: run?.name ?? null,
  };
}

const versions = new WeakMap<object, number>();
let nextVersion = 1;
/** A number per object identity (the store replaces what changed, so a new identity means new data). */
function versionOf(value: object | null): number {
  if (value === null) return 0;
  let version = versions.get(value);
  if (version === undefined) {
    version = nextVersion;
    nextVersion += 1;
    versions.set(value, version);
  }
  return version;
}

/**
 * A string that changes exactly when what the panel shows changes (algorithm, config, latest episode,
 * run name): compared by value, so the throttled hook schedules a render only then, at most 2×/s.
 */
export function equationInputsKey(state: PlaygroundState): string {
  const inputs = selectEquationInputs(state);
  return `${inputs.algorithm}|${versionOf(inputs.config)}|${versionOf(inputs.latest)}|${inputs.runName ?? ''}`;
}

/** Changes when a group or a run record changes (the lecture-bugs table reads both). */
function lectureBugsKey(state: PlaygroundState): string {
  return `${versionOf(state.groups)}|${versionOf(state.runs)}`;
}

/** "Values from episode 12 (step 2,400) of “SAC · seed 500”." or what to wait for. */
export function describeSource(inputs: EquationInputs): string {
  if (inputs.runName === null) return 'Settings from the editor; the values appear (— until then) once a run is selected and has finished an episode.';
  if (inputs.latest === null) return `— until “${inputs.runName}” finishes its first episode (200 env steps).`;
  return `Values from episode ${formatInteger(inputs.latest.episode)} (step ${formatInteger(inputs.latest.step)}) of “${inputs.runName}”; settings from its config.`;
}

export function EquationsPanel() {
  const commands = useCommands();
  const inputsKey = useThrottledSelector(equationInputsKey, EQUATIONS_REFRESH_MS);
  const inputs = useMemo(() => selectEquationInputs(playgroundStore.getState()), [inputsKey]);
  const bugsKey = useThrottledSelector(lectureBugsKey, 1000);
  const bugs = useMemo(() => latestLectureBugs(playgroundStore.getState()), [bugsKey]);
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
