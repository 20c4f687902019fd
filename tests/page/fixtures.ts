/** Shared test data for the page-side tests: episode metrics and run records made by hand. */
import { defaultConfig, type SacConfig } from '../../src/rl/sac/config';
import type { EpisodeMetrics } from '../../src/rl/types';
import type { RunRecord } from '../../src/store/runTypes';
import type { TrainerCheckpoint } from '../../src/rl/checkpoint';
import type { SavedCheckpoint } from '../../src/page/persistence';

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

/** A checkpoint-shaped value (the page treats `state` as opaque) and actor files of a given size. */
export function savedCheckpoint(episodesDone: number, bufferFloats = 1000): SavedCheckpoint {
  const checkpoint: TrainerCheckpoint = {
    version: 1, algorithm: 'sac', config: defaultConfig(),
    counters: { totalSteps: episodesDone * 200, episodesDone, updates: episodesDone * 200 - 64, trainingSeconds: episodesDone / 2 },
    stopReason: null, goalReachedAtEpisode: null, scores: Array.from({ length: episodesDone }, (_, index) => -1000 + index),
    state: { rng: new Uint32Array([1, 2, 3, 4]), buffer: { observations: new Float32Array(bufferFloats).fill(0.5), size: 3 }, logAlpha: 0.25 },
  };
  return {
    checkpoint,
    finalActor: { modelJson: '{"format":"layers-model"}', weightsBin: new Float32Array([1, 2, 3]).buffer, weightsFileName: 'final.weights.bin' },
    bestActor: null,
    best100: episodesDone > 0 ? { value: -500, episode: episodesDone } : null,
  };
}
