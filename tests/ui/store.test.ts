import { describe, expect, it } from 'vitest';
import { defaultAlgorithmConfig } from '../../src/rl/algorithmSettings';
import { HYPERPARAMETERS, defaultConfig } from '../../src/rl/sac/config';
import { createPlaygroundStore, groupOf, hasRun, runsInOrder, selectedEpisodes, selectedRun, selectedTest } from '../../src/store/index';
import { episode, runRecord } from '../page/fixtures';

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

  it('tracks live changes of the selected run: sending, then applied (also in the run config) or rejected; stale answers do not win', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('a'), runRecord('b')]);
    store.getState().selectRun('a');
    store.getState().markLiveSending(1, { actorLr: 3e-4, hiddenSize: 32 }, 'sac');
    expect(store.getState().liveChanges.actorLr).toEqual({ state: 'sending', requestId: 1, value: 3e-4 });
    expect(store.getState().liveChanges.hiddenSize).toBeUndefined(); // restart-only: never sent live
    store.getState().markLiveSending(2, { actorLr: 1e-4 }, 'sac');
    store.getState().markLiveApplied('a', 1, { actorLr: 3e-4 }, 500);
    expect(store.getState().liveChanges.actorLr?.state).toBe('sending');
    store.getState().markLiveApplied('a', 2, { actorLr: 1e-4 }, 520);
    expect(store.getState().liveChanges.actorLr).toEqual({ state: 'applied', requestId: 2, value: 1e-4, atStep: 520 });
    expect(store.getState().runs.a?.config.actorLr).toBe(1e-4);
    store.getState().markLiveSending(3, { gamma: 0.95 }, 'sac');
    store.getState().markLiveRejected('a', 3, { gamma: 0.95 }, 'nope');
    expect(store.getState().liveChanges.gamma).toEqual({ state: 'rejected', requestId: 3, value: 0.95, message: 'nope' });
    // An answer about another run changes that run's config but not the selected run's slider states.
    store.getState().markLiveApplied('b', 9, { gamma: 0.9 }, 10);
    expect(store.getState().runs.b?.config.gamma).toBe(0.9);
    expect(store.getState().liveChanges.gamma?.state).toBe('rejected');
    // A new selection starts without live-change states.
    store.getState().selectRun('b');
    expect(store.getState().liveChanges).toEqual({});
  });

  it('clamps the speed setting', () => {
    const store = createPlaygroundStore();
    store.getState().setSpeed({ mode: 'watch', multiplier: 12 });
    expect(store.getState().speed).toEqual({ mode: 'watch', multiplier: 10 });
  });
});

describe('runs slice', () => {
  it('adds runs and a group in order, selects, and removes a run with its episodes and group membership', () => {
    const store = createPlaygroundStore();
    const group = { id: 'g', name: 'SAC · 2 seeds', color: '#000', memberIds: ['b', 'c'], createdAt: 2 };
    store.getState().addRuns([runRecord('a')]);
    store.getState().addRuns([runRecord('b', { groupId: 'g' }), runRecord('c', { groupId: 'g' })], group);
    expect(store.getState().runOrder).toEqual(['a', 'b', 'c']);
    expect(runsInOrder(store.getState()).map((run) => run.id)).toEqual(['a', 'b', 'c']);
    expect(groupOf(store.getState(), 'b')?.id).toBe('g');
    expect(hasRun(store.getState())).toBe(false);
    store.getState().selectRun('b');
    expect(selectedRun(store.getState())?.id).toBe('b');
    store.getState().selectRun('nope');
    expect(store.getState().selectedRunId).toBe('b');
    store.getState().appendEpisodes('b', [episode(1)]);
    expect(selectedEpisodes(store.getState())).toHaveLength(1);

    store.getState().removeRun('b');
    expect(store.getState().runOrder).toEqual(['a', 'c']);
    expect(store.getState().episodes.b).toBeUndefined();
    expect(store.getState().groups.g?.memberIds).toEqual(['c']);
    expect(store.getState().selectedRunId).toBeNull();
    expect(selectedEpisodes(store.getState())).toEqual([]);
    store.getState().removeRun('c');
    expect(store.getState().groups.g).toBeUndefined(); // an empty group goes with its last member
  });

  it('derives swing-up step, best and final 100-episode mean from the episodes; truncation recomputes them and bumps the epoch', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('a')]);
    // avg10 crosses −200 at episode 4 (too early: the CLI counts from episode 10) and again at episode 12.
    const list = [
      ...Array.from({ length: 11 }, (_, index) => episode(index + 1, { avg10: index === 3 ? -150 : -500, avg100: -600 + index })),
      episode(12, { avg10: -199, avg100: -400 }),
      episode(13, { avg10: -100, avg100: -450 }),
    ];
    store.getState().appendEpisodes('a', list.slice(0, 5));
    store.getState().appendEpisodes('a', list.slice(5));
    const run = store.getState().runs.a;
    expect(run?.swingUpStep).toBe(12 * 200);
    expect(run?.best100).toEqual({ value: -400, episode: 12 });
    expect(run?.final100).toBe(-450);

    const epoch = store.getState().metricsEpoch.a ?? 0;
    store.getState().truncateEpisodes('a', 11);
    expect(store.getState().episodes.a).toHaveLength(11);
    expect(store.getState().metricsEpoch.a).toBe(epoch + 1);
    expect(store.getState().runs.a?.swingUpStep).toBeNull();
    expect(store.getState().runs.a?.best100).toEqual({ value: -590, episode: 11 });
    store.getState().truncateEpisodes('a', 20); // nothing beyond: no new epoch
    expect(store.getState().metricsEpoch.a).toBe(epoch + 1);
  });

  it('appends without rewriting earlier entries and handles 10,000+ episodes', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('a')]);
    const before = store.getState().episodes.a;
    store.getState().appendEpisodes('a', []);
    expect(store.getState().episodes.a).toBe(before); // no change, no new array
    for (let batch = 0; batch < 120; batch += 1) {
      store.getState().appendEpisodes('a', Array.from({ length: 100 }, (_, index) => episode(batch * 100 + index + 1)));
    }
    expect(store.getState().episodes.a).toHaveLength(12_000);
    expect(store.getState().episodes.a?.[11_999]?.episode).toBe(12_000);
    expect(before).toHaveLength(0);
    store.getState().appendEpisodes('gone', [episode(1)]); // a message for a deleted run is dropped
    expect(store.getState().episodes.gone).toBeUndefined();
  });

  it('visibility per run and per group, seeds within 1…10, pending deletes', () => {
    const store = createPlaygroundStore();
    const group = { id: 'g', name: 'g', color: '#000', memberIds: ['b', 'c'], createdAt: 2 };
    store.getState().addRuns([runRecord('b', { groupId: 'g' }), runRecord('c', { groupId: 'g' })], group);
    store.getState().setGroupVisible('g', false);
    expect(store.getState().runs.b?.visible).toBe(false);
    expect(store.getState().runs.c?.visible).toBe(false);
    store.getState().setRunVisible('c', true);
    expect(store.getState().runs.c?.visible).toBe(true);
    expect(store.getState().setSeeds(11)).toContain('1 to 10');
    expect(store.getState().setSeeds(2.5)).toContain('1 to 10');
    expect(store.getState().seeds).toBe(1);
    expect(store.getState().setSeeds(3)).toBeNull();
    expect(store.getState().seeds).toBe(3);
    store.getState().addPendingDelete({ runId: 'b', expiresAt: 10, name: 'b' });
    store.getState().addPendingDelete({ runId: 'b', expiresAt: 20, name: 'b' });
    expect(store.getState().pendingDeletes).toEqual([{ runId: 'b', expiresAt: 20, name: 'b' }]);
    store.getState().removePendingDelete('b');
    expect(store.getState().pendingDeletes).toEqual([]);
  });
});

describe('session slice', () => {
  it('keeps a running mean of the tested run and ignores late episodes of another run', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('a')]);
    store.getState().selectRun('a');
    expect(selectedTest(store.getState())).toBeNull();
    store.getState().resetTest('a');
    store.getState().recordTestEpisode('a', -100);
    store.getState().recordTestEpisode('x', -900);
    store.getState().recordTestEpisode('a', -200);
    expect(selectedTest(store.getState())).toEqual({ runId: 'a', episodes: 2, lastScore: -200, meanScore: -150 });
  });

  it('tensor counts keep the count at creation', () => {
    const store = createPlaygroundStore();
    store.getState().setTensors('a', 40, true);
    store.getState().setTensors('a', 44, false);
    expect(store.getState().tensors.a).toEqual({ atStart: 40, latest: 44 });
  });
});

describe('the editor holds one config per algorithm', () => {
  it('switching the algorithm shows its own settings and keeps the edits of each; reset and presets act on the one shown', () => {
    const store = createPlaygroundStore();
    expect(store.getState().algorithm).toBe('sac');
    store.getState().setParameter('gamma', 0.95);
    store.getState().setAlgorithm('ppo');
    expect(store.getState().config).toEqual(defaultAlgorithmConfig('ppo'));
    expect(store.getState().setParameter('nSteps', 512)).toBeNull();
    // A SAC-only key is refused for PPO, naming it.
    expect(store.getState().setParameter('alphaLr', 0.001)).toBe('PPO has no setting "alphaLr"');
    expect(store.getState().setParameter('clipRange', 5)).toMatch(/clip_range.*got 5/);
    store.getState().applyLectureAsWritten(); // SAC's bugs: nothing for PPO
    expect(store.getState().config).toEqual({ ...defaultAlgorithmConfig('ppo'), nSteps: 512 });
    store.getState().setAlgorithm('sac');
    expect(store.getState().config.gamma).toBe(0.95);
    store.getState().setAlgorithm('ppo');
    expect(store.getState().config.nSteps).toBe(512);
    store.getState().resetToDefaults();
    expect(store.getState().config).toEqual(defaultAlgorithmConfig('ppo'));
    expect(store.getState().configs.sac.gamma).toBe(0.95);
    // A selected run's config replaces its algorithm's editor config and shows it.
    store.getState().replaceConfig({ ...defaultAlgorithmConfig('td3'), tau: 0.01 }, 'td3');
    expect(store.getState().algorithm).toBe('td3');
    expect(store.getState().configs.td3.tau).toBe(0.01);
  });

  it('live-change bookkeeping follows the run\'s algorithm: only its live keys, its config updated', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('p', { algorithm: 'ppo', config: defaultAlgorithmConfig('ppo') })]);
    store.getState().selectRun('p');
    // learning_rate is live for PPO; n_steps restart-only; actorLr is not PPO's at all.
    store.getState().markLiveSending(1, { learningRate: 3e-4, nSteps: 512, actorLr: 1e-4 }, 'ppo');
    expect(Object.keys(store.getState().liveChanges)).toEqual(['learningRate']);
    store.getState().markLiveApplied('p', 1, { learningRate: 3e-4, actorLr: 1e-4 }, 2048);
    expect(store.getState().runs.p?.config.learningRate).toBe(3e-4);
    expect(store.getState().runs.p?.config.actorLr).toBeUndefined();
    expect(store.getState().liveChanges.learningRate).toEqual({ state: 'applied', requestId: 1, value: 3e-4, atStep: 2048 });
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
