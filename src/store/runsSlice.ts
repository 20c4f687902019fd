/**
 * Runs slice: every run the page knows (records, groups, per-run episodes), which one is selected, the
 * chart/table view options, storage and concurrency info (contract: runTypes.ts). Plain state; the page
 * side (src/page/) decides when to call these actions. Derived figures (swing-up step, best and final
 * 100-episode mean) follow the episodes automatically.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EpisodeMetrics } from '../rl/types';
import type { RunId } from '../worker/protocol';
import type { PlaygroundState } from './index';
import { summarizeEpisodes } from './runStats';
import type { ChartXAxis, ConcurrencyInfo, GroupBand, GroupRecord, RunRecord, RunsSliceState, StorageInfo } from './runTypes';

export const MIN_SEEDS = 1;
export const MAX_SEEDS = 10;

export interface RunsSliceActions {
  /** Adds runs (and the group they form, if any) at the end of the list. */
  addRuns: (runs: readonly RunRecord[], group?: GroupRecord | null) => void;
  /** Changes fields of a run; unknown ids are ignored (a message for a deleted run). */
  updateRun: (runId: RunId, patch: Partial<Omit<RunRecord, 'id'>>) => void;
  /** Drops the run, its episodes and its group membership (a group left empty goes too). */
  removeRun: (runId: RunId) => void;
  updateGroup: (groupId: string, patch: Partial<Omit<GroupRecord, 'id'>>) => void;
  /** Appends finished episodes to a run (new array, old entries untouched) and updates its derived figures. */
  appendEpisodes: (runId: RunId, episodes: readonly EpisodeMetrics[]) => void;
  /** Replaces a run's episodes (loaded from storage, imported); bumps its metricsEpoch. */
  setEpisodes: (runId: RunId, episodes: readonly EpisodeMetrics[]) => void;
  /** Keeps the first `count` episodes (a run restored from a checkpoint produces the rest again); bumps metricsEpoch if any went. */
  truncateEpisodes: (runId: RunId, count: number) => void;
  selectRun: (runId: RunId | null) => void;
  setRunVisible: (runId: RunId, visible: boolean) => void;
  setGroupVisible: (groupId: string, visible: boolean) => void;
  setXAxis: (xAxis: ChartXAxis) => void;
  setBand: (band: GroupBand) => void;
  setSmoothing: (smoothing: number) => void;
  /** Seeds for the next "Add run"; returns the refusal message (and changes nothing) outside 1…10. */
  setSeeds: (seeds: number) => string | null;
  setStorage: (patch: Partial<StorageInfo>) => void;
  setConcurrency: (concurrency: ConcurrencyInfo) => void;
  addPendingDelete: (entry: { runId: RunId; expiresAt: number; name: string }) => void;
  removePendingDelete: (runId: RunId) => void;
}

export type RunsSlice = RunsSliceState & RunsSliceActions;

export const INITIAL_STORAGE: StorageInfo = { usedBytes: null, quotaBytes: null, problem: null, available: true, byRun: {}, originUsageBytes: null };

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export const createRunsSlice: StateCreator<PlaygroundState, [], [], RunsSlice> = (set, get) => ({
  runs: {},
  runOrder: [],
  groups: {},
  episodes: {},
  metricsEpoch: {},
  selectedRunId: null,
  pendingDeletes: [],
  storage: INITIAL_STORAGE,
  concurrency: { maxConcurrent: 1, reason: '' },
  xAxis: 'episode',
  band: 'minmax',
  smoothing: 0.6,
  seeds: 1,

  addRuns: (runs, group = null) => {
    const state = get();
    const added: Record<RunId, RunRecord> = {};
    const episodes: Record<RunId, readonly EpisodeMetrics[]> = {};
    for (const run of runs) {
      added[run.id] = run;
      episodes[run.id] = state.episodes[run.id] ?? [];
    }
    set({
      runs: { ...state.runs, ...added },
      runOrder: [...state.runOrder.filter((id) => !(id in added)), ...runs.map((run) => run.id)],
      episodes: { ...state.episodes, ...episodes },
      groups: group ? { ...state.groups, [group.id]: group } : state.groups,
    });
  },

  updateRun: (runId, patch) => {
    const run = get().runs[runId];
    if (!run) return;
    set({ runs: { ...get().runs, [runId]: { ...run, ...patch } } });
  },

  removeRun: (runId) => {
    const state = get();
    if (!(runId in state.runs)) return;
    const run = state.runs[runId];
    let groups = state.groups;
    const group = run?.groupId ? groups[run.groupId] : undefined;
    if (group) {
      const memberIds = group.memberIds.filter((id) => id !== runId);
      groups = memberIds.length === 0 ? withoutKey(groups, group.id) : { ...groups, [group.id]: { ...group, memberIds } };
    }
    set({
      runs: withoutKey(state.runs, runId),
      runOrder: state.runOrder.filter((id) => id !== runId),
      episodes: withoutKey(state.episodes, runId),
      metricsEpoch: withoutKey(state.metricsEpoch, runId),
      groups,
      selectedRunId: state.selectedRunId === runId ? null : state.selectedRunId,
    });
  },

  updateGroup: (groupId, patch) => {
    const group = get().groups[groupId];
    if (!group) return;
    set({ groups: { ...get().groups, [groupId]: { ...group, ...patch } } });
  },

  appendEpisodes: (runId, newEpisodes) => {
    const state = get();
    const run = state.runs[runId];
    if (!run || newEpisodes.length === 0) return;
    const summary = summarizeEpisodes(newEpisodes, run);
    set({
      episodes: { ...state.episodes, [runId]: (state.episodes[runId] ?? []).concat(newEpisodes) },
      runs: { ...state.runs, [runId]: { ...run, ...summary } },
    });
  },

  setEpisodes: (runId, episodes) => {
    const state = get();
    const run = state.runs[runId];
    if (!run) return;
    set({
      episodes: { ...state.episodes, [runId]: episodes.slice() },
      metricsEpoch: { ...state.metricsEpoch, [runId]: (state.metricsEpoch[runId] ?? 0) + 1 },
      runs: { ...state.runs, [runId]: { ...run, ...summarizeEpisodes(episodes) } },
    });
  },

  truncateEpisodes: (runId, count) => {
    const episodes = get().episodes[runId];
    if (!episodes || episodes.length <= count) return;
    get().setEpisodes(runId, episodes.slice(0, Math.max(0, count)));
  },

  selectRun: (runId) => {
    if (runId !== null && !(runId in get().runs)) return;
    if (runId === get().selectedRunId) return;
    // Live-change states describe the selected run's changes: a new selection starts with none.
    set({ selectedRunId: runId, liveChanges: {} });
  },

  setRunVisible: (runId, visible) => get().updateRun(runId, { visible }),
  setGroupVisible: (groupId, visible) => {
    const state = get();
    const group = state.groups[groupId];
    if (!group) return;
    const runs = { ...state.runs };
    for (const id of group.memberIds) {
      const run = runs[id];
      if (run) runs[id] = { ...run, visible };
    }
    set({ runs });
  },
  setXAxis: (xAxis) => set({ xAxis }),
  setBand: (band) => set({ band }),
  setSmoothing: (smoothing) => set({ smoothing: Math.min(0.99, Math.max(0, Number.isFinite(smoothing) ? smoothing : 0)) }),
  setSeeds: (seeds) => {
    if (!Number.isInteger(seeds) || seeds < MIN_SEEDS || seeds > MAX_SEEDS) {
      return `Seeds must be a whole number from ${MIN_SEEDS} to ${MAX_SEEDS}, got ${String(seeds)}.`;
    }
    set({ seeds });
    return null;
  },
  setStorage: (patch) => set({ storage: { ...get().storage, ...patch } }),
  setConcurrency: (concurrency) => set({ concurrency }),
  addPendingDelete: (entry) => set({ pendingDeletes: [...get().pendingDeletes.filter((item) => item.runId !== entry.runId), entry] }),
  removePendingDelete: (runId) => set({ pendingDeletes: get().pendingDeletes.filter((item) => item.runId !== runId) }),
});
