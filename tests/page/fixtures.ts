/** Shared test data for the page-side tests: episode metrics and run records made by hand. */
import { defaultConfig, type SacConfig } from '../../src/rl/sac/config';
import type { EpisodeMetrics } from '../../src/rl/types';
import type { RunRecord } from '../../src/store/runTypes';

/** One episode with easily checked numbers; `overrides` sets any field. */
export function episode(index: number, overrides: Partial<EpisodeMetrics> = {}): EpisodeMetrics {
  return {
    episode: index, step: index * 200, score: -1000 + index, avg100: -1000 + index, avg10: -1000 + index, alpha: 0.5, criticLoss: 1,
    actorLoss: 2, alphaLoss: 0.1, entropy: 0.3, qMean: -10, updates: 200, updatesPerSecond: 100, wallSeconds: index,
    ...overrides,
  };
}

export function episodes(count: number): EpisodeMetrics[] {
  return Array.from({ length: count }, (_, index) => episode(index + 1));
}

export function runRecord(id: string, overrides: Partial<RunRecord> = {}, config: Partial<SacConfig> = {}): RunRecord {
  return {
    id, name: `run ${id}`, nameEdited: false, algorithm: 'sac', config: { ...defaultConfig(), ...config }, groupId: null,
    color: '#0072b2', status: 'paused', stopReason: null, error: null, createdAt: 1, totalSteps: 0, episodesDone: 0, updates: 0,
    updatesPerSecond: 0, elapsedSeconds: 0, swingUpStep: null, best100: null, final100: null, goalReachedAtEpisode: null,
    visible: true, backend: null, checkpointStep: null,
    ...overrides,
  };
}
