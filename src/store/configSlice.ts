/**
 * Config slice (the editor): what the hyperparameter sliders, the backend selector and the speed control
 * show, and where each live change of the selected run stands (sent, confirmed by its worker, refused).
 * Plain state; the page's client does the posting.
 */
import type { StateCreator } from 'zustand/vanilla';
import {
  HYPERPARAMETERS,
  defaultConfig,
  isLive,
  lectureAsWrittenOverrides,
  validateHyperparameter,
  type SacConfig,
  type SacConfigKey,
} from '../rl/sac/config';
import { normalizeSpeed, type BackendChoice, type RunId, type SpeedSetting } from '../worker/protocol';
import type { PlaygroundState } from './index';

/** Where a live change of one hyperparameter stands. */
export type LiveChange =
  | { state: 'sending'; requestId: number; value: SacConfig[SacConfigKey] }
  | { state: 'applied'; requestId: number; value: SacConfig[SacConfigKey]; atStep: number | null }
  | { state: 'rejected'; requestId: number; value: SacConfig[SacConfigKey]; message: string };

export interface ConfigSlice {
  /** Values the sliders show: the next run's config, and the live values of the selected run. */
  config: SacConfig;
  backendChoice: BackendChoice;
  speed: SpeedSetting;
  /** Per key: the last live change sent to the selected run's worker and its fate (cleared when the selection changes). */
  liveChanges: Partial<Record<SacConfigKey, LiveChange>>;
  /** Per key: why the last entered value was refused (value unchanged). */
  fieldErrors: Partial<Record<SacConfigKey, string>>;
  /** Validates and sets one value; returns the error message (and changes nothing) if refused. */
  setParameter: <K extends SacConfigKey>(key: K, value: SacConfig[K]) => string | null;
  /** Replaces the whole config (e.g. from the URL); values must already be valid. */
  replaceConfig: (config: SacConfig) => void;
  resetToDefaults: () => void;
  /** actionScale 1 and targetEntropy 0: the lecture's code as written (SAC-SPEC.md bugs 1 and 2). */
  applyLectureAsWritten: () => void;
  setBackendChoice: (choice: BackendChoice) => void;
  setSpeed: (speed: SpeedSetting) => void;
  markLiveSending: (requestId: number, partial: Partial<SacConfig>) => void;
  /** The run's worker applied a live change: the run's config takes it; the slider state too if the run is selected. */
  markLiveApplied: (runId: RunId, requestId: number, partial: Partial<SacConfig>, atStep: number | null) => void;
  markLiveRejected: (runId: RunId, requestId: number, partial: Partial<SacConfig>, message: string) => void;
}

function keysOf(partial: Partial<SacConfig>): SacConfigKey[] {
  return Object.keys(partial).filter((key): key is SacConfigKey => key in HYPERPARAMETERS);
}

export const createConfigSlice: StateCreator<PlaygroundState, [], [], ConfigSlice> = (set, get) => ({
  config: defaultConfig(),
  backendChoice: 'auto',
  speed: { mode: 'fast', multiplier: 1 },
  liveChanges: {},
  fieldErrors: {},

  setParameter: (key, value) => {
    const error = validateHyperparameter(key, value);
    if (error !== null) {
      set({ fieldErrors: { ...get().fieldErrors, [key]: error } });
      return error;
    }
    const fieldErrors = { ...get().fieldErrors };
    delete fieldErrors[key];
    set({ config: { ...get().config, [key]: value }, fieldErrors });
    return null;
  },
  replaceConfig: (config) => set({ config: { ...config }, fieldErrors: {} }),
  resetToDefaults: () => set({ config: defaultConfig(), fieldErrors: {} }),
  applyLectureAsWritten: () => set({ config: { ...get().config, ...lectureAsWrittenOverrides() }, fieldErrors: {} }),
  setBackendChoice: (backendChoice) => set({ backendChoice }),
  setSpeed: (speed) => set({ speed: normalizeSpeed(speed) }),

  markLiveSending: (requestId, partial) => {
    const liveChanges = { ...get().liveChanges };
    for (const key of keysOf(partial)) {
      if (!isLive(key)) continue;
      const value = partial[key];
      if (value !== undefined) liveChanges[key] = { state: 'sending', requestId, value };
    }
    set({ liveChanges });
  },
  markLiveApplied: (runId, requestId, partial, atStep) => {
    const run = get().runs[runId];
    if (run) get().updateRun(runId, { config: { ...run.config, ...partial } });
    if (runId !== get().selectedRunId) return;
    const liveChanges = { ...get().liveChanges };
    for (const key of keysOf(partial)) {
      const current = liveChanges[key];
      const value = partial[key];
      // A newer request for the same key is in flight: its answer will come.
      if (value === undefined || (current && current.requestId > requestId)) continue;
      liveChanges[key] = { state: 'applied', requestId, value, atStep };
    }
    set({ liveChanges });
  },
  markLiveRejected: (runId, requestId, partial, message) => {
    if (runId !== get().selectedRunId) return;
    const liveChanges = { ...get().liveChanges };
    for (const key of keysOf(partial)) {
      const current = liveChanges[key];
      const value = partial[key];
      if (value === undefined || (current && current.requestId > requestId)) continue;
      liveChanges[key] = { state: 'rejected', requestId, value, message };
    }
    set({ liveChanges });
  },
});
