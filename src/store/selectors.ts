/**
 * Selectors over the store for the UI and the page side. Those returning a stored object return it as
 * is (stable identity for React); those building a new array are meant for `useShallow` or for code
 * outside React.
 */
import type { BackendMessage, RunId } from '../worker/protocol';
import type { EpisodeMetrics } from '../rl/types';
import type { GroupRecord, RunRecord, RunStatus } from './runTypes';
import type { ConfigSlice } from './configSlice';
import type { RunsSlice } from './runsSlice';
import type { SessionSlice, TestSummary } from './sessionSlice';

type State = ConfigSlice & RunsSlice & SessionSlice;

const NO_EPISODES: readonly EpisodeMetrics[] = [];

/** The run the canvas, status, sliders, Test and downloads act on, or null. */
export function selectedRun(state: Pick<State, 'runs' | 'selectedRunId'>): RunRecord | null {
  return state.selectedRunId === null ? null : (state.runs[state.selectedRunId] ?? null);
}

/** The selected run's episodes (an empty array, always the same one, when none). */
export function selectedEpisodes(state: Pick<State, 'episodes' | 'selectedRunId'>): readonly EpisodeMetrics[] {
  return state.selectedRunId === null ? NO_EPISODES : (state.episodes[state.selectedRunId] ?? NO_EPISODES);
}

export function episodesOf(state: Pick<State, 'episodes'>, runId: RunId): readonly EpisodeMetrics[] {
  return state.episodes[runId] ?? NO_EPISODES;
}

/** The backend of the selected run's worker, or null. */
export function selectedBackend(state: Pick<State, 'backends' | 'selectedRunId'>): BackendMessage | null {
  return state.selectedRunId === null ? null : (state.backends[state.selectedRunId] ?? null);
}

/** The test summary when it is about the selected run, else null. */
export function selectedTest(state: Pick<State, 'test' | 'selectedRunId'>): TestSummary | null {
  return state.test.runId !== null && state.test.runId === state.selectedRunId ? state.test : null;
}

/** Whether a run is selected (live changes, export and test act on it). */
export function hasRun(state: Pick<State, 'runs' | 'selectedRunId'>): boolean {
  return selectedRun(state) !== null;
}

/** Runs in list order. */
export function runsInOrder(state: Pick<State, 'runs' | 'runOrder'>): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const id of state.runOrder) {
    const run = state.runs[id];
    if (run) runs.push(run);
  }
  return runs;
}

export function visibleRuns(state: Pick<State, 'runs' | 'runOrder'>): RunRecord[] {
  return runsInOrder(state).filter((run) => run.visible);
}

/** The group a run belongs to, or null. */
export function groupOf(state: Pick<State, 'groups' | 'runs'>, runId: RunId): GroupRecord | null {
  const groupId = state.runs[runId]?.groupId;
  return groupId ? (state.groups[groupId] ?? null) : null;
}

/** Statuses in which a run holds (or waits for) a worker's training slot. */
export const ACTIVE_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(['queued', 'starting', 'training']);

/** Runs training right now. */
export function trainingCount(state: Pick<State, 'runs'>): number {
  return Object.values(state.runs).filter((run) => run.status === 'training' || run.status === 'starting').length;
}
