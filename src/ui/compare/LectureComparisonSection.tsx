/**
 * The lecture comparison panel connected to the page: its button asks the page's commands for the
 * runs; its claims come from the latest comparison's runs in the store. The claims are recomputed at
 * most once a second (a comparison is 15 runs, each appending episodes several times a second).
 */
import { useMemo } from 'react';
import { lectureClaims } from '../../page/lectureClaims';
import { latestLectureComparison } from '../../page/lectureComparisonRuns';
import { playgroundStore, usePlayground, type PlaygroundState } from '../../store/index';
import { useCommands } from '../commandsContext';
import { useThrottledSelector } from '../useThrottledSelector';
import { LectureComparison } from './LectureComparison';

/** What the claims depend on: the runs (status, swing-up) and their episodes. */
function selectComparisonInputs(state: PlaygroundState): string {
  // Identity of the two maps changes whenever a run or an episode list changes; a string key compares by value.
  return `${runsVersion(state.runs)}|${episodesVersion(state.episodes)}`;
}

const versions = new WeakMap<object, number>();
let nextVersion = 1;
/** A number that changes when the object identity changes (the store replaces maps on every change). */
function versionOf(value: object): number {
  let version = versions.get(value);
  if (version === undefined) {
    version = nextVersion;
    nextVersion += 1;
    versions.set(value, version);
  }
  return version;
}
const runsVersion = (runs: PlaygroundState['runs']): number => versionOf(runs);
const episodesVersion = (episodes: PlaygroundState['episodes']): number => versionOf(episodes);

export function LectureComparisonSection() {
  const commands = useCommands();
  const inputsKey = useThrottledSelector(selectComparisonInputs, 1000);
  const sacConfig = usePlayground((state) => state.configs.sac);
  const comparison = useMemo(() => latestLectureComparison(playgroundStore.getState()), [inputsKey]);
  const claims = useMemo(() => (comparison.groups.length === 0 ? null : lectureClaims(comparison.groups)), [comparison]);
  return <LectureComparison onStart={(plan) => commands.startLectureComparison(plan)} claims={claims} running={comparison.running} sacConfig={sacConfig} />;
}
