import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/rl/sac/config';
import { createPlaygroundStore, selectedBackend } from '../../src/store/index';
import { getPendulumFrame } from '../../src/store/pendulumFrame';
import { applyWorkerMessage, statusOfPhase, type PageEffects } from '../../src/page/workerMessages';
import type { WorkerToPage } from '../../src/worker/protocol';
import { episode, episodes, runRecord, savedCheckpoint } from './fixtures';

function setup() {
  const store = createPlaygroundStore();
  store.getState().addRuns([runRecord('a', { status: 'starting' }), runRecord('b', { status: 'starting' })]);
  store.getState().selectRun('a');
  const saved: Array<{ name: string; size: number }> = [];
  const effects: PageEffects = { saveFile: (name, data) => saved.push({ name, size: data.size }) };
  const apply = (message: WorkerToPage, workerRuns: string[] = []): void => applyWorkerMessage(store, message, effects, workerRuns);
  return { store, saved, apply, run: (id: string) => store.getState().runs[id] };
}

const progress = (runId: string, list: ReturnType<typeof episodes>, totalSteps: number): WorkerToPage => ({
  type: 'progress', runId, totalSteps, episodesDone: list.at(-1)?.episode ?? 0, updates: totalSteps - 64, updatesPerSecond: 120,
  elapsedSeconds: 2.5, episodes: list, goalReachedAtEpisode: null, numTensors: 31,
});

describe('worker messages → store', () => {
  it('phases map to run states: running → training, stopped → done, or failed on NaN', () => {
    expect(statusOfPhase('running', null)).toBe('training');
    expect(statusOfPhase('stopped', 'goal')).toBe('done');
    expect(statusOfPhase('stopped', 'user')).toBe('done');
    expect(statusOfPhase('stopped', 'nonFinite')).toBe('failed');
    expect(statusOfPhase('paused', null)).toBe('paused');
    expect(statusOfPhase('testing', null)).toBe('testing');
    const { apply, run } = setup();
    apply({ type: 'phase', runId: 'a', phase: 'running', stopReason: null });
    expect(run('a')?.status).toBe('training');
    apply({ type: 'phase', runId: 'b', phase: 'stopped', stopReason: 'nonFinite' });
    expect(run('b')).toMatchObject({ status: 'failed', stopReason: 'nonFinite' });
    expect(run('b')?.error).toContain('non-finite');
  });

  it('progress appends episodes to its own run and updates counters; a repeated episode is skipped', () => {
    const { apply, store, run } = setup();
    apply({ type: 'phase', runId: 'a', phase: 'running', stopReason: null });
    apply(progress('a', episodes(2), 400));
    apply(progress('b', episodes(1), 200));
    apply(progress('a', [episode(2), episode(3)], 600));
    expect(store.getState().episodes.a?.map((item) => item.episode)).toEqual([1, 2, 3]);
    expect(store.getState().episodes.b).toHaveLength(1);
    expect(run('a')).toMatchObject({ totalSteps: 600, episodesDone: 3, updatesPerSecond: 120, elapsedSeconds: 2.5 });
    expect(store.getState().tensors.a?.latest).toBe(31);
  });

  it('updates/s: the recent rate while training, the run\'s mean (updates / training seconds) once paused or stopped', () => {
    const { apply, run } = setup();
    apply({ type: 'phase', runId: 'a', phase: 'running', stopReason: null });
    apply(progress('a', episodes(2), 400));
    expect(run('a')?.updatesPerSecond).toBe(120);
    apply({ type: 'phase', runId: 'a', phase: 'stopped', stopReason: 'user' });
    // The flush after a stop reports a rate of 0; the table must keep the mean: (400 − 64) / 2.5 s.
    apply({ ...(progress('a', [], 400) as Extract<WorkerToPage, { type: 'progress' }>), updatesPerSecond: 0 });
    expect(run('a')?.updatesPerSecond).toBeCloseTo(336 / 2.5, 9);
  });

  it('sessionCreated (a restore) truncates the episodes beyond the checkpoint and takes its counters and config', () => {
    const { apply, store, run } = setup();
    apply(progress('a', episodes(5), 1000));
    const epoch = store.getState().metricsEpoch.a ?? 0;
    apply({ type: 'sessionCreated', algorithm: 'sac', runId: 'a', config: { ...defaultConfig(), gamma: 0.95 }, totalSteps: 600, episodesDone: 3, numTensors: 40 });
    expect(store.getState().episodes.a).toEqual(episodes(3));
    expect(store.getState().metricsEpoch.a).toBe(epoch + 1);
    expect(run('a')).toMatchObject({ totalSteps: 600, episodesDone: 3 });
    expect(run('a')?.config.gamma).toBe(0.95);
    expect(store.getState().tensors.a).toEqual({ atStart: 40, latest: 40 });
  });

  it('a worker-level backend message applies to the runs in that worker; frames only for the selected run', () => {
    const { apply, store, run } = setup();
    apply({ type: 'backend', runId: null, requested: 'auto', backend: 'wasm', renderer: null, softwareRenderer: false, fallbackReason: null }, ['a', 'b']);
    expect(selectedBackend(store.getState())?.backend).toBe('wasm');
    expect(run('b')?.backend).toBe('wasm');
    const before = getPendulumFrame().version;
    apply({ type: 'frame', runId: 'b', source: 'train', data: new Float32Array([1, 2, 3, 4]) });
    expect(getPendulumFrame().version).toBe(before);
    apply({ type: 'frame', runId: 'a', source: 'train', data: new Float32Array([1, 2, 3, 4]) });
    expect(getPendulumFrame().frame).toMatchObject({ theta: 1, thetaDot: 2, torque: 3, stepInEpisode: 4 });
  });

  it('checkpoints, live changes, tests, errors and notices', () => {
    const { apply, store, run } = setup();
    const saved = savedCheckpoint(4);
    apply({ type: 'checkpoint', runId: 'a', requestId: null, reason: 'interval', ...saved });
    // Not on arrival: the client sets it once the checkpoint is kept (tests/page/client.test.ts).
    expect(run('a')?.checkpointStep).toBeNull();
    store.getState().markLiveSending(7, { actorLr: 3e-4 }, 'sac');
    apply({ type: 'configApplied', runId: 'a', requestId: 7, partial: { actorLr: 3e-4 }, atStep: 812 });
    expect(store.getState().liveChanges.actorLr).toMatchObject({ state: 'applied', atStep: 812 });
    expect(run('a')?.config.actorLr).toBe(3e-4);
    apply({ type: 'phase', runId: 'a', phase: 'testing', stopReason: null });
    apply({ type: 'testEpisode', runId: 'a', episode: 1, score: -120 });
    expect(store.getState().test).toEqual({ runId: 'a', episodes: 1, lastScore: -120, meanScore: -120 });
    apply({ type: 'error', runId: 'b', message: 'could not restore', fatal: true });
    expect(run('b')).toMatchObject({ status: 'failed', error: 'could not restore' });
    expect(store.getState().error).toContain('could not restore');
    apply({ type: 'error', runId: 'a', message: 'hiccup' });
    expect(run('a')?.status).toBe('paused');
    apply({ type: 'notice', runId: 'a', message: 'fell back to wasm' });
    expect(store.getState().notice).toBe('run a: fell back to wasm');
    // Messages about a deleted run change nothing.
    apply(progress('gone', episodes(1), 200));
    expect(store.getState().runs.gone).toBeUndefined();
  });

  it('saves both actor files of an export, named after the weights file', () => {
    const { apply, saved } = setup();
    apply({ type: 'actorExported', runId: 'a', requestId: 1, files: { modelJson: '{}', weightsBin: new ArrayBuffer(12), weightsFileName: 'sac-pendulum-x.weights.bin' } });
    expect(saved).toEqual([{ name: 'sac-pendulum-x.json', size: 2 }, { name: 'sac-pendulum-x.weights.bin', size: 12 }]);
  });
});
