/**
 * Config slice (the editor): the algorithm of the next run and one config per algorithm (switching the
 * Algorithm selector away and back keeps the edits), what the backend selector and the speed control
 * show, and where each live change of the selected run stands (sent, confirmed by its worker, refused).
 * Plain state; the page's client does the posting.
 */
import type { StateCreator } from 'zustand/vanilla';
import { ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, defaultAlgorithmConfig, isLiveSetting, type AlgorithmConfig } from '../rl/algorithmSettings';
import { validateSpecValue } from '../rl/hyperparameterTable';
import { lectureAsWrittenOverrides } from '../rl/sac/config';
import { normalizeSpeed, type BackendChoice, type RunId, type SpeedSetting } from '../worker/protocol';
import type { PlaygroundState } from './index';

/** Where a live change of one hyperparameter stands. */
export type LiveChange =
  | { state: 'sending'; requestId: number; value: number | boolean }
  | { state: 'applied'; requestId: number; value: number | boolean; atStep: number | null }
  | { state: 'rejected'; requestId: number; value: number | boolean; message: string };

export interface ConfigSlice {
  /** The algorithm the editor shows: Start / Add run make runs of it. */
  algorithm: AlgorithmId;
  /** The editor's settings of every algorithm, each keyed as its table. */
  configs: Readonly<Record<AlgorithmId, AlgorithmConfig>>;
  /** configs[algorithm]: the values the sliders show (the next run's config, and the live values of the selected run). */
  config: AlgorithmConfig;
  backendChoice: BackendChoice;
  speed: SpeedSetting;
  /**
   * Per key of the selected run's algorithm: the last live change sent to its worker and its fate
   * (cleared when the selection changes; shown only while the editor shows that run's algorithm).
   */
  liveChanges: Partial<Record<string, LiveChange>>;
  /** Per key of the editor's algorithm: why the last entered value was refused (value unchanged). */
  fieldErrors: Partial<Record<string, string>>;
  /** Shows another algorithm's settings in the editor (its own edits kept). */
  setAlgorithm: (algorithm: AlgorithmId) => void;
  /** Validates and sets one value of the editor's algorithm; returns the error message (and changes nothing) if refused. */
  setParameter: (key: string, value: number | boolean) => string | null;
  /** Replaces one algorithm's whole config (the editor's by default) and shows it (e.g. from the URL, a selected run); values must already be valid. */
  replaceConfig: (config: AlgorithmConfig, algorithm?: AlgorithmId) => void;
  /** The editor's algorithm back to its defaults. */
  resetToDefaults: () => void;
  /** SAC only: actionScale 1 and targetEntropy 0, the lecture's code as written (SAC-SPEC.md bugs 1 and 2). */
  applyLectureAsWritten: () => void;
  setBackendChoice: (choice: BackendChoice) => void;
  setSpeed: (speed: SpeedSetting) => void;
  /** A live change of a run of `algorithm` was sent (its keys that are live for that algorithm). */
  markLiveSending: (requestId: number, partial: AlgorithmConfig, algorithm: AlgorithmId) => void;
  /** The run's worker applied a live change: the run's config takes it; the slider state too if the run is selected. */
  markLiveApplied: (runId: RunId, requestId: number, partial: AlgorithmConfig, atStep: number | null) => void;
  markLiveRejected: (runId: RunId, requestId: number, partial: AlgorithmConfig, message: string) => void;
}

function allDefaults(): Record<AlgorithmId, AlgorithmConfig> {
  return Object.fromEntries(ALGORITHM_IDS.map((id) => [id, defaultAlgorithmConfig(id)])) as Record<AlgorithmId, AlgorithmConfig>;
}

/** The keys of `partial` in `algorithm`'s table (a stray key of another algorithm is ignored). */
function keysOf(partial: AlgorithmConfig, algorithm: AlgorithmId): string[] {
  const table = ALGORITHM_SETTINGS[algorithm].table;
  return Object.keys(partial).filter((key) => key in table);
}

export const createConfigSlice: StateCreator<PlaygroundState, [], [], ConfigSlice> = (set, get) => {
  /** Sets the editor's `algorithm` and its config together (config always mirrors configs[algorithm]). */
  const show = (algorithm: AlgorithmId, config: AlgorithmConfig, extra: Partial<ConfigSlice> = {}): void => {
    set({ ...extra, algorithm, config, configs: { ...get().configs, [algorithm]: config } });
  };
  const initial = allDefaults();
  return {
    algorithm: 'sac',
    configs: initial,
    config: initial.sac,
    backendChoice: 'auto',
    speed: { mode: 'fast', multiplier: 1 },
    liveChanges: {},
    fieldErrors: {},

    setAlgorithm: (algorithm) => {
      if (algorithm === get().algorithm) return;
      show(algorithm, get().configs[algorithm], { fieldErrors: {} });
    },
    setParameter: (key, value) => {
      const { algorithm, config } = get();
      const spec = ALGORITHM_SETTINGS[algorithm].table[key];
      const error = spec === undefined ? `${ALGORITHM_SETTINGS[algorithm].label} has no setting "${key}"` : validateSpecValue(spec, value);
      if (error !== null) {
        set({ fieldErrors: { ...get().fieldErrors, [key]: error } });
        return error;
      }
      const fieldErrors = { ...get().fieldErrors };
      delete fieldErrors[key];
      show(algorithm, { ...config, [key]: value }, { fieldErrors });
      return null;
    },
    replaceConfig: (config, algorithm = get().algorithm) => show(algorithm, { ...config }, { fieldErrors: {} }),
    resetToDefaults: () => show(get().algorithm, defaultAlgorithmConfig(get().algorithm), { fieldErrors: {} }),
    applyLectureAsWritten: () => {
      // The two bugs are the lecture's SAC code; other algorithms have no such settings.
      if (get().algorithm !== 'sac') return;
      show('sac', { ...get().config, ...lectureAsWrittenOverrides() }, { fieldErrors: {} });
    },
    setBackendChoice: (backendChoice) => set({ backendChoice }),
    setSpeed: (speed) => set({ speed: normalizeSpeed(speed) }),

    markLiveSending: (requestId, partial, algorithm) => {
      const liveChanges = { ...get().liveChanges };
      for (const key of keysOf(partial, algorithm)) {
        if (!isLiveSetting(algorithm, key)) continue;
        const value = partial[key];
        if (value !== undefined) liveChanges[key] = { state: 'sending', requestId, value };
      }
      set({ liveChanges });
    },
    markLiveApplied: (runId, requestId, partial, atStep) => {
      const run = get().runs[runId];
      if (!run) return;
      const keys = keysOf(partial, run.algorithm);
      const accepted = Object.fromEntries(keys.map((key) => [key, partial[key]]).filter((entry) => entry[1] !== undefined));
      get().updateRun(runId, { config: { ...run.config, ...accepted } });
      if (runId !== get().selectedRunId) return;
      const liveChanges = { ...get().liveChanges };
      for (const key of keys) {
        const current = liveChanges[key];
        const value = partial[key];
        // A newer request for the same key is in flight: its answer will come.
        if (value === undefined || (current && current.requestId > requestId)) continue;
        liveChanges[key] = { state: 'applied', requestId, value, atStep };
      }
      set({ liveChanges });
    },
    markLiveRejected: (runId, requestId, partial, message) => {
      const run = get().runs[runId];
      if (!run || runId !== get().selectedRunId) return;
      const liveChanges = { ...get().liveChanges };
      for (const key of keysOf(partial, run.algorithm)) {
        const current = liveChanges[key];
        const value = partial[key];
        if (value === undefined || (current && current.requestId > requestId)) continue;
        liveChanges[key] = { state: 'rejected', requestId, value, message };
      }
      set({ liveChanges });
    },
  };
};
