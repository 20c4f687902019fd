/**
 * Run slice: what the worker reports about the run (phase, counters, backend, test episodes) and the
 * messages for the user (errors, notices).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { SacConfig } from '../rl/sac/config';
import type { StopReason } from '../rl/types';
import type { BackendMessage, RunPhase } from '../worker/protocol';
import type { PlaygroundState } from './index';

export interface TestSummary {
  episodes: number;
  lastScore: number | null;
  meanScore: number | null;
}

export interface RunCounters {
  totalSteps: number;
  episodesDone: number;
  updates: number;
  updatesPerSecond: number;
  elapsedSeconds: number;
  goalReachedAtEpisode: number | null;
  numTensors: number | null;
}

export interface RunSlice extends RunCounters {
  workerReady: boolean;
  phase: RunPhase;
  /** The worker's id of the current run; messages of older runs are dropped. */
  runId: number | null;
  runName: string | null;
  /** The config the current run uses (live changes included once confirmed). */
  runConfig: SacConfig | null;
  stopReason: StopReason | null;
  backend: BackendMessage | null;
  test: TestSummary;
  /** The error banner's text; null when none. */
  error: string | null;
  /** Latest informational message (fallbacks, loads, downloads). */
  notice: string | null;
  /** tf.memory().numTensors when the current run was created (flat across restarts when nothing leaks). */
  numTensorsAtStart: number | null;
  /** Runs started in this page (to name runs). */
  runsStarted: number;

  setWorkerReady: () => void;
  beginRun: (runId: number, runName: string, config: SacConfig, numTensors: number) => void;
  updateCounters: (runId: number, counters: RunCounters) => void;
  setPhase: (runId: number | null, phase: RunPhase, stopReason: StopReason | null) => void;
  setBackend: (backend: BackendMessage) => void;
  recordTestEpisode: (score: number) => void;
  resetTest: () => void;
  setError: (message: string | null) => void;
  setNotice: (message: string | null) => void;
  nextRunName: () => string;
}

export const ZERO_COUNTERS: RunCounters = {
  totalSteps: 0,
  episodesDone: 0,
  updates: 0,
  updatesPerSecond: 0,
  elapsedSeconds: 0,
  goalReachedAtEpisode: null,
  numTensors: null,
};

const NO_TEST: TestSummary = { episodes: 0, lastScore: null, meanScore: null };

export const createRunSlice: StateCreator<PlaygroundState, [], [], RunSlice> = (set, get) => ({
  ...ZERO_COUNTERS,
  workerReady: false,
  phase: 'idle',
  runId: null,
  runName: null,
  runConfig: null,
  stopReason: null,
  backend: null,
  test: NO_TEST,
  error: null,
  notice: null,
  numTensorsAtStart: null,
  runsStarted: 0,

  setWorkerReady: () => set({ workerReady: true }),
  beginRun: (runId, runName, config, numTensors) => {
    set({
      ...ZERO_COUNTERS,
      numTensors,
      numTensorsAtStart: numTensors,
      runId,
      runName,
      runConfig: { ...config },
      stopReason: null,
      test: NO_TEST,
      liveChanges: {},
    });
    get().clearMetrics();
  },
  updateCounters: (runId, counters) => {
    if (runId !== get().runId) return;
    set({ ...counters });
  },
  setPhase: (runId, phase, stopReason) => {
    if (runId !== null && get().runId !== null && runId !== get().runId) return;
    set({ phase, stopReason });
  },
  setBackend: (backend) => set({ backend }),
  recordTestEpisode: (score) => {
    const test = get().test;
    const episodes = test.episodes + 1;
    const meanScore = test.meanScore === null ? score : test.meanScore + (score - test.meanScore) / episodes;
    set({ test: { episodes, lastScore: score, meanScore } });
  },
  resetTest: () => set({ test: NO_TEST }),
  setError: (error) => set({ error }),
  setNotice: (notice) => set({ notice }),
  nextRunName: () => {
    const runsStarted = get().runsStarted + 1;
    set({ runsStarted });
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return `${stamp}-${runsStarted}`;
  },
});
