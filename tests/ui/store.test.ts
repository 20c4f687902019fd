import { describe, expect, it } from 'vitest';
import { HYPERPARAMETERS, defaultConfig } from '../../src/rl/sac/config';
import type { EpisodeMetrics } from '../../src/rl/types';
import { createPlaygroundStore, hasRun } from '../../src/store/index';

function episode(index: number): EpisodeMetrics {
  return {
    episode: index, step: index * 200, score: -1000 + index, avg100: -1000, avg10: -1000, alpha: 0.5, criticLoss: 1, actorLoss: 2,
    alphaLoss: 0.1, entropy: 0.3, qMean: -10, updates: 200, updatesPerSecond: 100, wallSeconds: index,
  };
}

describe('config slice', () => {
  it('starts from the lecture defaults (bugs fixed)', () => {
    const store = createPlaygroundStore();
    expect(store.getState().config).toEqual(defaultConfig());
    expect(store.getState().config.actionScale).toBe(2);
    expect(store.getState().config.targetEntropy).toBe(-1);
  });

  it('accepts in-range values and refuses others with the table message, leaving the value', () => {
    const store = createPlaygroundStore();
    expect(store.getState().setParameter('actorLr', 3e-4)).toBeNull();
    expect(store.getState().config.actorLr).toBe(3e-4);
    const error = store.getState().setParameter('actorLr', 5);
    expect(error).toContain('Actor learning rate (actor_lr) must be in');
    expect(store.getState().config.actorLr).toBe(3e-4);
    expect(store.getState().fieldErrors.actorLr).toBe(error);
    expect(store.getState().setParameter('hiddenSize', 10.5)).toContain('integer');
    expect(store.getState().setParameter('actorLr', Number.NaN)).toContain('must be a number');
    // A good value clears the field's error.
    store.getState().setParameter('actorLr', 1e-3);
    expect(store.getState().fieldErrors.actorLr).toBeUndefined();
  });

  it('resets to the lecture defaults and applies the lecture-as-written bugs', () => {
    const store = createPlaygroundStore();
    store.getState().setParameter('gamma', 0.9);
    store.getState().applyLectureAsWritten();
    expect(store.getState().config.actionScale).toBe(1);
    expect(store.getState().config.targetEntropy).toBe(0);
    expect(store.getState().config.gamma).toBe(0.9);
    store.getState().resetToDefaults();
    expect(store.getState().config).toEqual(defaultConfig());
  });

  it('tracks live changes: sending, then applied (also in the run config) or rejected; stale answers do not win', () => {
    const store = createPlaygroundStore();
    store.getState().beginRun(1, 'r', defaultConfig(), 10);
    store.getState().markLiveSending(1, { actorLr: 3e-4, hiddenSize: 32 });
    expect(store.getState().liveChanges.actorLr).toEqual({ state: 'sending', requestId: 1, value: 3e-4 });
    expect(store.getState().liveChanges.hiddenSize).toBeUndefined(); // restart-only: never sent live
    store.getState().markLiveSending(2, { actorLr: 1e-4 });
    store.getState().markLiveApplied(1, { actorLr: 3e-4 }, 500);
    expect(store.getState().liveChanges.actorLr?.state).toBe('sending');
    store.getState().markLiveApplied(2, { actorLr: 1e-4 }, 520);
    expect(store.getState().liveChanges.actorLr).toEqual({ state: 'applied', requestId: 2, value: 1e-4, atStep: 520 });
    expect(store.getState().runConfig?.actorLr).toBe(1e-4);
    store.getState().markLiveSending(3, { gamma: 0.95 });
    store.getState().markLiveRejected(3, { gamma: 0.95 }, 'nope');
    expect(store.getState().liveChanges.gamma).toEqual({ state: 'rejected', requestId: 3, value: 0.95, message: 'nope' });
  });

  it('clamps the speed setting', () => {
    const store = createPlaygroundStore();
    store.getState().setSpeed({ mode: 'watch', multiplier: 12 });
    expect(store.getState().speed).toEqual({ mode: 'watch', multiplier: 10 });
  });
});

describe('run slice', () => {
  it('a new run resets counters, metrics, live changes and test results', () => {
    const store = createPlaygroundStore();
    const state = store.getState();
    state.beginRun(1, 'first', defaultConfig(), 42);
    state.updateCounters(1, { totalSteps: 400, episodesDone: 2, updates: 336, updatesPerSecond: 90, elapsedSeconds: 3, goalReachedAtEpisode: null, numTensors: 44 });
    state.appendEpisodes([episode(1), episode(2)]);
    state.recordTestEpisode(-150);
    state.markLiveSending(1, { gamma: 0.95 });
    const epoch = store.getState().metricsEpoch;
    expect(hasRun(store.getState())).toBe(false); // phase still idle
    state.setPhase(1, 'running', null);
    expect(hasRun(store.getState())).toBe(true);

    state.beginRun(2, 'second', defaultConfig(), 42);
    const next = store.getState();
    expect(next.totalSteps).toBe(0);
    expect(next.episodesDone).toBe(0);
    expect(next.episodes).toEqual([]);
    expect(next.metricsEpoch).toBe(epoch + 1);
    expect(next.liveChanges).toEqual({});
    expect(next.test.episodes).toBe(0);
    expect(next.numTensorsAtStart).toBe(42);
    expect(next.runName).toBe('second');
  });

  it('ignores counters and phases of an older run', () => {
    const store = createPlaygroundStore();
    store.getState().beginRun(2, 'r', defaultConfig(), 1);
    store.getState().updateCounters(1, { totalSteps: 999, episodesDone: 9, updates: 1, updatesPerSecond: 1, elapsedSeconds: 1, goalReachedAtEpisode: 3, numTensors: 1 });
    expect(store.getState().totalSteps).toBe(0);
    store.getState().setPhase(1, 'stopped', 'goal');
    expect(store.getState().phase).toBe('idle');
    store.getState().setPhase(2, 'running', null);
    expect(store.getState().phase).toBe('running');
  });

  it('keeps a running mean of test episodes', () => {
    const store = createPlaygroundStore();
    store.getState().recordTestEpisode(-100);
    store.getState().recordTestEpisode(-200);
    expect(store.getState().test).toEqual({ episodes: 2, lastScore: -200, meanScore: -150 });
  });

  it('names runs uniquely', () => {
    const store = createPlaygroundStore();
    const first = store.getState().nextRunName();
    const second = store.getState().nextRunName();
    expect(first).not.toEqual(second);
    expect(first).toMatch(/^[0-9]{8}-[0-9]{6}-1$/);
  });
});

describe('metrics slice', () => {
  it('appends without rewriting earlier entries and handles 10,000+ episodes', () => {
    const store = createPlaygroundStore();
    const before = store.getState().episodes;
    store.getState().appendEpisodes([]);
    expect(store.getState().episodes).toBe(before); // no change, no new array
    for (let batch = 0; batch < 120; batch += 1) {
      store.getState().appendEpisodes(Array.from({ length: 100 }, (_, index) => episode(batch * 100 + index + 1)));
    }
    expect(store.getState().episodes).toHaveLength(12_000);
    expect(store.getState().episodes[11_999]?.episode).toBe(12_000);
    expect(before).toHaveLength(0);
  });
});

describe('hyperparameter table coverage', () => {
  it('every hyperparameter has a label and a lecture name for its slider', () => {
    for (const spec of Object.values(HYPERPARAMETERS)) {
      expect(spec.label.length).toBeGreaterThan(0);
      expect(spec.lectureName).toMatch(/^[a-z_]+$/);
    }
  });
});
