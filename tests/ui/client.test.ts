import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/rl/sac/config';
import type { EpisodeMetrics } from '../../src/rl/types';
import { createPlaygroundStore } from '../../src/store/index';
import { getPendulumFrame } from '../../src/store/pendulumFrame';
import { TrainingClient, applyWorkerMessage, readActorFiles, type PageEffects } from '../../src/worker/client';
import type { PageToWorker, WorkerToPage } from '../../src/worker/protocol';

function metrics(episode: number): EpisodeMetrics {
  return {
    episode, step: episode * 200, score: -500, avg100: -500, avg10: -500, alpha: 0.4, criticLoss: 1, actorLoss: 1,
    alphaLoss: 0, entropy: 1, qMean: 0, updates: 200, updatesPerSecond: 50, wallSeconds: episode,
  };
}

function setup() {
  const store = createPlaygroundStore();
  const saved: Array<{ name: string; size: number }> = [];
  const effects: PageEffects = { saveFile: (name, data) => saved.push({ name, size: data.size }) };
  const apply = (message: WorkerToPage): void => applyWorkerMessage(store, message, effects);
  return { store, saved, apply };
}

describe('worker messages → store', () => {
  it('maps a run from start to progress, phases and frames', () => {
    const { store, apply } = setup();
    apply({ type: 'ready' });
    expect(store.getState().workerReady).toBe(true);
    apply({ type: 'backend', requested: 'auto', backend: 'wasm', renderer: 'SwiftShader', softwareRenderer: true, fallbackReason: 'software' });
    expect(store.getState().backend?.backend).toBe('wasm');
    apply({ type: 'runStarted', runId: 1, runName: 'demo', config: defaultConfig(), numTensors: 30 });
    apply({ type: 'phase', runId: 1, phase: 'running', stopReason: null });
    apply({
      type: 'progress', runId: 1, totalSteps: 400, episodesDone: 2, updates: 336, updatesPerSecond: 120, elapsedSeconds: 2.5,
      episodes: [metrics(1), metrics(2)], goalReachedAtEpisode: null, numTensors: 31,
    });
    const state = store.getState();
    expect(state.phase).toBe('running');
    expect(state.totalSteps).toBe(400);
    expect(state.episodes).toHaveLength(2);
    expect(state.numTensorsAtStart).toBe(30);
    // Progress of an older run is dropped.
    apply({ type: 'progress', runId: 0, totalSteps: 9999, episodesDone: 50, updates: 1, updatesPerSecond: 1, elapsedSeconds: 1, episodes: [metrics(3)], goalReachedAtEpisode: 1, numTensors: 1 });
    expect(store.getState().totalSteps).toBe(400);
    expect(store.getState().episodes).toHaveLength(2);

    apply({ type: 'frame', source: 'train', data: new Float32Array([0.5, -1, 2, 17]) });
    const { frame } = getPendulumFrame();
    expect(frame).toMatchObject({ theta: 0.5, thetaDot: -1, torque: 2, stepInEpisode: 17, source: 'train' });
  });

  it('confirms and refuses live changes, reports test episodes, errors and notices', () => {
    const { store, apply } = setup();
    apply({ type: 'runStarted', runId: 1, runName: 'demo', config: defaultConfig(), numTensors: 30 });
    store.getState().markLiveSending(4, { tau: 0.01 });
    apply({ type: 'configApplied', requestId: 4, partial: { tau: 0.01 }, atStep: 1234 });
    expect(store.getState().liveChanges.tau).toMatchObject({ state: 'applied', atStep: 1234 });
    apply({ type: 'configRejected', requestId: 5, partial: { gamma: 2 }, message: 'Discount factor (gamma) must be in 0.8 … 0.999, got 2' });
    expect(store.getState().liveChanges.gamma).toMatchObject({ state: 'rejected' });
    apply({ type: 'testEpisode', episode: 1, score: -120 });
    expect(store.getState().test.lastScore).toBe(-120);
    apply({ type: 'error', message: 'boom' });
    expect(store.getState().error).toBe('boom');
    apply({ type: 'actorImported', requestId: 1, fileName: 'x.weights.bin' });
    expect(store.getState().error).toBeNull();
    expect(store.getState().notice).toContain('x.weights.bin');
    apply({ type: 'actorFailed', requestId: 2, operation: 'import', message: 'does not fit' });
    expect(store.getState().error).toBe('does not fit');
  });

  it('saves both actor files, named after the run', () => {
    const { saved, apply } = setup();
    apply({ type: 'runStarted', runId: 1, runName: 'demo', config: defaultConfig(), numTensors: 30 });
    apply({ type: 'actorExported', requestId: 1, files: { modelJson: '{"a":1}', weightsBin: new ArrayBuffer(40), weightsFileName: 'sac-pendulum-demo.weights.bin' } });
    expect(saved).toEqual([
      { name: 'sac-pendulum-demo.json', size: 7 },
      { name: 'sac-pendulum-demo.weights.bin', size: 40 },
    ]);
  });
});

describe('TrainingClient commands', () => {
  it('start sends the current config, backend and speed', () => {
    const store = createPlaygroundStore();
    const sent: PageToWorker[] = [];
    const client = new TrainingClient(store, (message) => sent.push(message));
    store.getState().setBackendChoice('cpu');
    client.changeParameter('hiddenSize', 32);
    client.start();
    expect(sent).toHaveLength(1);
    const [start] = sent;
    expect(start?.type).toBe('start');
    if (start?.type === 'start') {
      expect(start.config.hiddenSize).toBe(32);
      expect(start.backend).toBe('cpu');
    }
  });

  it('sends live changes of a running run (coalesced), never restart-only ones', () => {
    const store = createPlaygroundStore();
    const sent: PageToWorker[] = [];
    const client = new TrainingClient(store, (message) => sent.push(message));
    store.getState().beginRun(1, 'r', defaultConfig(), 1);
    expect(client.changeParameter('actorLr', 3e-4)).toBeNull();
    expect(client.changeParameter('criticLr', 2e-4)).toBeNull();
    expect(client.changeParameter('hiddenSize', 128)).toBeNull();
    expect(client.changeParameter('gamma', 7)).toContain('must be in');
    client.flushLive();
    expect(sent).toEqual([{ type: 'setLiveConfig', requestId: 1, partial: { actorLr: 3e-4, criticLr: 2e-4 } }]);
    expect(store.getState().liveChanges.actorLr?.state).toBe('sending');
  });

  it('sync after a preset sends only live values that differ from the run', () => {
    const store = createPlaygroundStore();
    const sent: PageToWorker[] = [];
    const client = new TrainingClient(store, (message) => sent.push(message));
    store.getState().beginRun(1, 'r', defaultConfig(), 1);
    store.getState().applyLectureAsWritten();
    client.syncLiveConfig();
    expect(sent).toEqual([{ type: 'setLiveConfig', requestId: 1, partial: { targetEntropy: 0 } }]);
  });

  it('togglePause follows the phase', () => {
    const store = createPlaygroundStore();
    const sent: PageToWorker[] = [];
    const client = new TrainingClient(store, (message) => sent.push(message));
    client.togglePause();
    expect(sent).toEqual([]);
    store.getState().setPhase(null, 'running', null);
    client.togglePause();
    store.getState().setPhase(null, 'paused', null);
    client.togglePause();
    expect(sent.map((message) => message.type)).toEqual(['pause', 'resume']);
  });
});

describe('readActorFiles', () => {
  it('reads one .json and one .bin, in either order', async () => {
    const json = new File(['{"modelTopology":{}}'], 'a.json');
    const bin = new File([new Uint8Array(8)], 'a.weights.bin');
    const files = await readActorFiles([bin, json]);
    expect(files.modelJson).toBe('{"modelTopology":{}}');
    expect(files.weightsBin.byteLength).toBe(8);
    expect(files.weightsFileName).toBe('a.weights.bin');
  });

  it('asks for both files when one is missing or extra', async () => {
    await expect(readActorFiles([new File(['{}'], 'a.json')])).rejects.toThrow('Pick both files');
    await expect(readActorFiles([])).rejects.toThrow('no files');
  });
});
