/**
 * Session slice: what the workers report beyond the runs' records: whether a worker is up, the backend
 * each run's worker uses, tensor counts, the test-policy summary of the run being tested, and the
 * messages for the user (error banner, notices).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { BackendMessage, BackendShape, MeasuredBackends, RunId } from '../worker/protocol';
import type { PlaygroundState } from './index';

export interface TestSummary {
  /** The run whose deterministic actor is (or was last) tested; null before any test. */
  runId: RunId | null;
  episodes: number;
  lastScore: number | null;
  meanScore: number | null;
}

/**
 * A picked actor file whose network is not the one expected (issue 10.5): what it has vs what was
 * expected, and the hidden size of a new run that could load it (null when none can: another
 * activation or depth). The page's client keeps the files themselves.
 */
export interface ActorFileOffer {
  /** e.g. "sac-pendulum-x.json: This actor file is another network: it has hidden layers 32 relu, …". */
  message: string;
  fittingHiddenSize: number | null;
}

/** tf.memory().numTensors of a run's worker: when its session was created, and the latest report. */
export interface TensorCounts {
  atStart: number;
  latest: number;
}

/** "Measure again" (issue 11): the shape being measured, and its result or problem. */
export interface BackendRemeasure {
  shape: BackendShape;
  state: 'measuring' | 'done' | 'failed';
  result: MeasuredBackends | null;
  problem: string | null;
}

export interface SessionSlice {
  /** True once any worker has loaded its script. */
  workerReady: boolean;
  /** Backend of the worker each loaded (or last loaded) run is on. */
  backends: Record<RunId, BackendMessage>;
  /** The latest "Measure again", or null before any. */
  backendRemeasure: BackendRemeasure | null;
  tensors: Record<RunId, TensorCounts>;
  test: TestSummary;
  /** The error banner's text; null when none. */
  error: string | null;
  /** Latest informational message (fallbacks, loads, downloads). */
  notice: string | null;
  /** The last picked actor file that did not fit, with the run that would; null when none. */
  actorFileOffer: ActorFileOffer | null;

  setWorkerReady: () => void;
  setBackend: (runId: RunId, backend: BackendMessage) => void;
  setBackendRemeasure: (remeasure: BackendRemeasure | null) => void;
  setTensors: (runId: RunId, numTensors: number, atStart: boolean) => void;
  /** Starts a new test summary for `runId` (phase `testing`). */
  resetTest: (runId: RunId | null) => void;
  recordTestEpisode: (runId: RunId, score: number) => void;
  setError: (message: string | null) => void;
  setNotice: (message: string | null) => void;
  setActorFileOffer: (offer: ActorFileOffer | null) => void;
}

export const NO_TEST: TestSummary = { runId: null, episodes: 0, lastScore: null, meanScore: null };

export const createSessionSlice: StateCreator<PlaygroundState, [], [], SessionSlice> = (set, get) => ({
  workerReady: false,
  backends: {},
  backendRemeasure: null,
  tensors: {},
  test: NO_TEST,
  error: null,
  notice: null,
  actorFileOffer: null,

  setWorkerReady: () => set({ workerReady: true }),
  setBackend: (runId, backend) => set({ backends: { ...get().backends, [runId]: backend } }),
  setBackendRemeasure: (backendRemeasure) => set({ backendRemeasure }),
  setTensors: (runId, numTensors, atStart) => {
    const previous = get().tensors[runId];
    const counts: TensorCounts = { atStart: atStart || !previous ? numTensors : previous.atStart, latest: numTensors };
    set({ tensors: { ...get().tensors, [runId]: counts } });
  },
  resetTest: (runId) => set({ test: { ...NO_TEST, runId } }),
  recordTestEpisode: (runId, score) => {
    const test = get().test;
    // A late episode of an earlier test (another run) must not mix into this summary.
    if (test.runId !== runId) return;
    const episodes = test.episodes + 1;
    const meanScore = test.meanScore === null ? score : test.meanScore + (score - test.meanScore) / episodes;
    set({ test: { runId, episodes, lastScore: score, meanScore } });
  },
  setError: (error) => set({ error }),
  setNotice: (notice) => set({ notice }),
  setActorFileOffer: (actorFileOffer) => set({ actorFileOffer }),
});
