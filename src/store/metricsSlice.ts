/**
 * Metrics slice: every finished episode of the current run, oldest first. Appends make a new array (so
 * subscribers see a change) but never rewrite old entries: charts append only what is new.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EpisodeMetrics } from '../rl/types';
import type { PlaygroundState } from './index';

export interface MetricsSlice {
  episodes: readonly EpisodeMetrics[];
  /** Bumped when the list is replaced rather than appended to (new run): charts start over. */
  metricsEpoch: number;
  appendEpisodes: (episodes: readonly EpisodeMetrics[]) => void;
  clearMetrics: () => void;
}

export const createMetricsSlice: StateCreator<PlaygroundState, [], [], MetricsSlice> = (set, get) => ({
  episodes: [],
  metricsEpoch: 0,
  appendEpisodes: (episodes) => {
    if (episodes.length === 0) return;
    set({ episodes: get().episodes.concat(episodes) });
  },
  clearMetrics: () => set({ episodes: [], metricsEpoch: get().metricsEpoch + 1 }),
});
