/**
 * Insight slice (issue 9, "see inside the agent"): the phase-space maps the workers sent, which map the
 * panel shows and beside which run, the result of the last push, the physics of each run's test env,
 * the robustness sweep, the last test episode (seed and pushes, for a replay) and "you drive" mode.
 * Plain state; the page's client decides when to call these actions.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { PendulumPhysics } from '../rl/env/physics';
import type { InsightMap, InsightMapKey, InsightMessage, RecordedPush, RunId } from '../worker/protocol';
import type { PlaygroundState } from './index';

/** The latest maps of one run, as the worker computed them. */
export interface RunInsight {
  /** Env steps of the run when computed. */
  step: number;
  gridSize: number;
  thetaRange: [number, number];
  thetaDotRange: [number, number];
  maps: InsightMap[];
  /** How many `insight` messages of this run arrived (the map canvas shows it as data-version). */
  version: number;
}

/** A line for the user: what happened, and whether it is a refusal. */
export interface InsightNote {
  text: string;
  error: boolean;
}

/** The physics a run's test env uses (as confirmed by its worker, or waiting for it to load). */
export interface RunPhysics {
  physics: PendulumPhysics;
  applyToTraining: boolean;
  /** True until the worker confirmed it. */
  pending: boolean;
}

export interface RobustnessState {
  runId: RunId;
  requestId: number;
  parameter: keyof PendulumPhysics;
  values: number[];
  episodes: number;
  running: boolean;
  /** performance/Date time when it was asked for (ms). */
  startedAt: number;
  meanReturn: number[];
  minReturn: number[];
  maxReturn: number[];
  error: string | null;
}

/** The last finished test episode of a run: enough to replay it (same seed, same pushes). */
export interface LastTestEpisode {
  episode: number;
  score: number;
  seed: number | null;
  pushes: RecordedPush[];
  physics: PendulumPhysics | null;
}

export interface InsightSlice {
  /** The maps panel is open: the shown runs compute maps. */
  insightOpen: boolean;
  insightMapKey: InsightMapKey;
  /** The run whose maps are shown beside the selected run's; null for none. */
  insightCompareRunId: RunId | null;
  insightMaps: Record<RunId, RunInsight>;
  pushNote: InsightNote | null;
  physicsByRun: Record<RunId, RunPhysics>;
  physicsNote: InsightNote | null;
  robustness: RobustnessState | null;
  lastTestEpisodes: Record<RunId, LastTestEpisode>;
  /** "You drive" mode: the canvas shows your pendulum, ← / → drive it. */
  driveActive: boolean;
  /** Score of your last finished 200-step episode. */
  driveLastScore: number | null;

  setInsightOpen: (open: boolean) => void;
  setInsightMapKey: (key: InsightMapKey) => void;
  setInsightCompareRun: (runId: RunId | null) => void;
  receiveInsight: (message: InsightMessage) => void;
  /** Drops what is held about a run (deleted). */
  forgetInsightRun: (runId: RunId) => void;
  setPushNote: (note: InsightNote | null) => void;
  setRunPhysics: (runId: RunId, physics: RunPhysics | null) => void;
  setPhysicsNote: (note: InsightNote | null) => void;
  setRobustness: (robustness: RobustnessState | null) => void;
  recordLastTestEpisode: (runId: RunId, episode: LastTestEpisode) => void;
  setDriveActive: (active: boolean) => void;
  setDriveLastScore: (score: number | null) => void;
}

function without<T>(record: Record<RunId, T>, runId: RunId): Record<RunId, T> {
  if (!(runId in record)) return record;
  const copy = { ...record };
  delete copy[runId];
  return copy;
}

export const createInsightSlice: StateCreator<PlaygroundState, [], [], InsightSlice> = (set, get) => ({
  insightOpen: false,
  insightMapKey: 'policyMean',
  insightCompareRunId: null,
  insightMaps: {},
  pushNote: null,
  physicsByRun: {},
  physicsNote: null,
  robustness: null,
  lastTestEpisodes: {},
  driveActive: false,
  driveLastScore: null,

  setInsightOpen: (insightOpen) => set({ insightOpen }),
  setInsightMapKey: (insightMapKey) => set({ insightMapKey }),
  setInsightCompareRun: (insightCompareRunId) => set({ insightCompareRunId }),
  receiveInsight: (message) => {
    const previous = get().insightMaps[message.runId];
    const insight: RunInsight = {
      step: message.step,
      gridSize: message.gridSize,
      thetaRange: [message.thetaRange[0], message.thetaRange[1]],
      thetaDotRange: [message.thetaDotRange[0], message.thetaDotRange[1]],
      maps: message.maps,
      version: (previous?.version ?? 0) + 1,
    };
    set({ insightMaps: { ...get().insightMaps, [message.runId]: insight } });
  },
  forgetInsightRun: (runId) => {
    const state = get();
    set({
      insightMaps: without(state.insightMaps, runId),
      physicsByRun: without(state.physicsByRun, runId),
      lastTestEpisodes: without(state.lastTestEpisodes, runId),
      insightCompareRunId: state.insightCompareRunId === runId ? null : state.insightCompareRunId,
      robustness: state.robustness?.runId === runId ? null : state.robustness,
    });
  },
  setPushNote: (pushNote) => set({ pushNote }),
  setRunPhysics: (runId, physics) => set({ physicsByRun: physics === null ? without(get().physicsByRun, runId) : { ...get().physicsByRun, [runId]: physics } }),
  setPhysicsNote: (physicsNote) => set({ physicsNote }),
  setRobustness: (robustness) => set({ robustness }),
  recordLastTestEpisode: (runId, episode) => set({ lastTestEpisodes: { ...get().lastTestEpisodes, [runId]: episode } }),
  setDriveActive: (driveActive) => set({ driveActive }),
  setDriveLastScore: (driveLastScore) => set({ driveLastScore }),
});
