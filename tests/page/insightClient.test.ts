/**
 * The page side of issue 9: which runs compute maps, pushes (refused outside Test policy / watch
 * training, the status sentence from the worker's answer), physics (validated, kept for a run not
 * loaded, sent again to a new session), the robustness sweep, and the worker's replies on the store.
 */
import { describe, expect, it } from 'vitest';
import { InsightClient, PUSH_WHEN } from '../../src/page/insightClient';
import { describePush, sidePushDelta } from '../../src/page/insightPush';
import { applyWorkerMessage } from '../../src/page/workerMessages';
import { getTrajectory } from '../../src/page/insightTrajectory';
import { DEFAULT_PHYSICS } from '../../src/rl/env/physics';
import { createPlaygroundStore } from '../../src/store/index';
import { setPendulumFrame } from '../../src/store/pendulumFrame';
import type { PageToWorker, RunId, WorkerToPage } from '../../src/worker/protocol';
import { runRecord } from './fixtures';

function setup(loadedRuns: RunId[] = ['a', 'b']) {
  const store = createPlaygroundStore();
  store.getState().addRuns([runRecord('a', { status: 'training' }), runRecord('b', { status: 'paused' }), runRecord('c', { status: 'done' })]);
  store.getState().selectRun('a');
  const posted: PageToWorker[] = [];
  const loaded = new Set(loadedRuns);
  let requestId = 0;
  const loads: RunId[] = [];
  const client = new InsightClient({
    store,
    post: (runId, message) => {
      if (!loaded.has(runId)) return false;
      posted.push(message);
      return true;
    },
    load: async (runId) => {
      loads.push(runId);
      loaded.add(runId);
      return true;
    },
    isLoaded: (runId) => loaded.has(runId),
    nextRequestId: () => ++requestId,
    now: () => 1000,
  });
  const apply = (message: WorkerToPage): void => applyWorkerMessage(store, message, { saveFile: () => undefined });
  return { store, posted, client, loaded, loads, apply, state: () => store.getState() };
}

describe('maps: setInsight for the shown runs only', () => {
  it('enables the shown runs, disables runs no longer shown, and re-enables a run whose session is created again', () => {
    const { client, posted, loaded } = setup();
    client.showInsightFor(['a']);
    expect(posted).toEqual([{ type: 'setInsight', runId: 'a', enabled: true, gridSize: 64 }]);
    client.showInsightFor(['a', 'b']);
    expect(posted.at(-1)).toEqual({ type: 'setInsight', runId: 'b', enabled: true, gridSize: 64 });
    client.showInsightFor(['b']);
    expect(posted.at(-1)).toEqual({ type: 'setInsight', runId: 'a', enabled: false, gridSize: 64 });
    expect(posted).toHaveLength(3);
    // Unknown runs are ignored; closing the panel turns everything off.
    client.showInsightFor(['b', 'nope']);
    expect(posted).toHaveLength(3);
    client.showInsightFor([]);
    expect(posted.at(-1)).toEqual({ type: 'setInsight', runId: 'b', enabled: false, gridSize: 64 });
    // A run shown before its session exists gets its maps once the session is created.
    client.showInsightFor(['c']);
    expect(posted).toHaveLength(4);
    loaded.add('c');
    client.onSessionCreated('c');
    expect(posted.at(-1)).toEqual({ type: 'setInsight', runId: 'c', enabled: true, gridSize: 64 });
  });

  it('insight messages land per run with a version; frames of the selected run make its trajectory', () => {
    const { apply, state } = setup();
    const values = new Float32Array(16 * 16).fill(0.5);
    const insight: WorkerToPage = { type: 'insight', runId: 'a', step: 400, gridSize: 16, thetaRange: [-Math.PI, Math.PI], thetaDotRange: [-8, 8], maps: [{ key: 'value', label: 'State value', description: 'd', values }] };
    apply(insight);
    apply({ ...insight, step: 600 });
    expect(state().insightMaps.a).toMatchObject({ step: 600, gridSize: 16, version: 2 });
    expect(state().insightMaps.a?.maps[0]?.values).toBe(values);
    for (const [step, theta] of [[1, 3], [2, 3.1], [3, 3.2]] as const) apply({ type: 'frame', runId: 'a', source: 'test', data: Float32Array.of(theta, 0.5, 0, step) });
    expect(getTrajectory().points.map((point) => point.step)).toEqual([1, 2, 3]);
    expect(getTrajectory().runId).toBe('a');
    apply({ type: 'frame', runId: 'a', source: 'test', data: Float32Array.of(1, 0, 0, 0) }); // a new episode
    expect(getTrajectory().points).toHaveLength(1);
    apply({ type: 'frame', runId: 'b', source: 'train', data: Float32Array.of(1, 0, 0, 5) }); // not selected: ignored
    expect(getTrajectory().runId).toBe('a');
  });
});

describe('pushes', () => {
  it('are refused (with why) unless the run is testing or training in watch mode', () => {
    const { client, posted, state } = setup();
    client.push('a', { deltaThetaDot: 3 });
    expect(posted).toEqual([]);
    expect(state().pushNote).toEqual({ text: `Nothing was pushed: ${PUSH_WHEN}`, error: true });
    state().setSpeed({ mode: 'watch', multiplier: 1 });
    client.push('a', { deltaThetaDot: 3 });
    expect(posted).toEqual([{ type: 'push', runId: 'a', requestId: 1, deltaThetaDot: 3 }]);
    client.push('a', { deltaThetaDot: Number.NaN });
    expect(posted).toHaveLength(1);
    expect(state().pushNote?.error).toBe(true);
  });

  it('the status says what the push did: θ̇ before → after, from the worker answer', () => {
    const { client, posted, state, apply } = setup();
    state().updateRun('a', { status: 'testing' });
    setPendulumFrame({ theta: 0.1, thetaDot: 1.2, torque: 0, stepInEpisode: 40, source: 'test', receivedAt: 0 });
    client.push('a', { deltaThetaDot: 3 });
    const sent = posted.at(-1) as Extract<PageToWorker, { type: 'push' }>;
    apply({ type: 'pushApplied', runId: 'a', requestId: sent.requestId, theta: 0.15, thetaDot: 4.25, source: 'test', step: 41 });
    // Not clipped: θ̇ before is exactly 4.25 − 3.
    expect(state().pushNote).toEqual({ text: 'Pushed: θ̇ 1.3 → 4.3 rad/s', error: false });
    client.push('a', { theta: Math.PI / 4 });
    const moved = posted.at(-1) as Extract<PageToWorker, { type: 'push' }>;
    apply({ type: 'pushApplied', runId: 'a', requestId: moved.requestId, theta: Math.PI / 4, thetaDot: 1.2, source: 'test', step: 41 });
    expect(state().pushNote?.text).toBe('Pushed: θ 6° → 45°');
    apply({ type: 'pushRejected', runId: 'a', requestId: 99, message: 'the run is not testing' });
    expect(state().pushNote).toEqual({ text: 'Push refused: the run is not testing', error: true });
  });

  it('push sentences and side impulses', () => {
    // Clipped at max speed: θ̇ before comes from the frame.
    expect(describePush({ deltaThetaDot: 3 }, { theta: 0, thetaDot: 6 }, { theta: 0, thetaDot: 8 }, 8, 'test')).toBe('Pushed: θ̇ 6.0 → 8.0 rad/s');
    expect(describePush({ deltaThetaDot: -3 }, null, { theta: 0, thetaDot: -1 }, 8, 'train')).toBe('Pushed: θ̇ 2.0 → −1.0 rad/s (training env)');
    expect(describePush({ theta: 0.5, deltaThetaDot: 2 }, { theta: Math.PI, thetaDot: 0 }, { theta: 0.5, thetaDot: 2 }, 8, 'test')).toBe('Pushed: θ −180° → 29°, θ̇ 0.0 → 2.0 rad/s');
    // Upright: left is counter-clockwise (+); hanging: left is clockwise (−).
    expect(sidePushDelta('left', 0)).toBe(3);
    expect(sidePushDelta('right', 0)).toBe(-3);
    expect(sidePushDelta('left', Math.PI)).toBe(-3);
    expect(sidePushDelta('right', Math.PI)).toBe(3);
    expect(sidePushDelta('left', Math.PI / 2)).toBe(3);
  });

  it('a test episode keeps its seed and pushes for a replay', () => {
    const { apply, state } = setup();
    state().resetTest('a');
    apply({ type: 'testEpisode', runId: 'a', episode: 2, score: -150.5, seed: 12, pushes: [{ step: 40, deltaThetaDot: 3 }], physics: { ...DEFAULT_PHYSICS, gravity: 20 } });
    expect(state().lastTestEpisodes.a).toEqual({ episode: 2, score: -150.5, seed: 12, pushes: [{ step: 40, deltaThetaDot: 3 }], physics: { ...DEFAULT_PHYSICS, gravity: 20 } });
    expect(state().test.lastScore).toBe(-150.5);
  });
});

describe('physics', () => {
  it('g = 20 is sent; g = 100 is refused with the range and nothing is sent', () => {
    const { client, posted, state, apply } = setup();
    expect(client.setPhysics('a', { ...DEFAULT_PHYSICS, gravity: 100 }, false)).toContain('[0.5, 30]');
    expect(posted).toEqual([]);
    expect(state().physicsNote?.error).toBe(true);
    expect(client.setPhysics('a', { ...DEFAULT_PHYSICS, gravity: 20 }, true)).toBeNull();
    expect(posted).toEqual([{ type: 'setPhysics', runId: 'a', requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 20 }, applyToTraining: true }]);
    expect(state().physicsByRun.a).toEqual({ physics: { ...DEFAULT_PHYSICS, gravity: 20 }, applyToTraining: true, pending: true });
    apply({ type: 'physicsApplied', runId: 'a', requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 20 }, applyToTraining: true });
    expect(state().physicsByRun.a?.pending).toBe(false);
    expect(state().physicsNote).toEqual({ text: 'run a: physics for the test env now and training from its next episode: Gravity g 20 m/s².', error: false });
  });

  it('a run not loaded keeps the physics until its session is created; a new session of a run gets its physics again', () => {
    const { client, posted, loaded, state, apply } = setup();
    client.setPhysics('c', { ...DEFAULT_PHYSICS, length: 2 }, false);
    expect(posted).toEqual([]);
    expect(state().physicsNote?.text).toContain('apply when the run is loaded');
    loaded.add('c');
    client.onSessionCreated('c');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'setPhysics', runId: 'c', physics: { ...DEFAULT_PHYSICS, length: 2 }, applyToTraining: false });
    apply({ type: 'physicsApplied', runId: 'c', requestId: 2, physics: { ...DEFAULT_PHYSICS, length: 2 }, applyToTraining: false });
    client.onSessionCreated('c'); // e.g. moved to another worker after a WebGL loss
    expect(posted.at(-1)).toMatchObject({ type: 'setPhysics', runId: 'c', physics: { ...DEFAULT_PHYSICS, length: 2 } });
  });

  it('a refused change that was waiting is dropped', () => {
    const { client, state, apply } = setup();
    client.setPhysics('a', { ...DEFAULT_PHYSICS, mass: 2 }, false);
    apply({ type: 'physicsRejected', runId: 'a', requestId: 1, message: 'not now' });
    expect(state().physicsByRun.a).toBeUndefined();
    expect(state().physicsNote).toEqual({ text: 'run a: physics refused: not now', error: true });
  });
});

describe('robustness', () => {
  it('sends the sweep, shows it running, takes its own result only, and refuses a second one while running', () => {
    const { client, posted, state, apply } = setup();
    client.runRobustness('a', 'gravity', [2, 10, 20]);
    expect(posted).toEqual([{ type: 'robustness', runId: 'a', requestId: 1, parameter: 'gravity', values: [2, 10, 20], episodes: 10 }]);
    expect(state().robustness).toMatchObject({ runId: 'a', requestId: 1, running: true, startedAt: 1000 });
    client.runRobustness('a', 'mass', [1]);
    expect(posted).toHaveLength(1);
    apply({ type: 'robustnessResult', runId: 'a', requestId: 7, parameter: 'gravity', values: [2], meanReturn: [1], minReturn: [1], maxReturn: [1] });
    expect(state().robustness?.running).toBe(true);
    apply({ type: 'robustnessResult', runId: 'a', requestId: 1, parameter: 'gravity', values: [2, 10, 20], meanReturn: [-150, -160, -900], minReturn: [-200, -170, -1200], maxReturn: [-120, -150, -600] });
    expect(state().robustness).toMatchObject({ running: false, meanReturn: [-150, -160, -900], error: null });
  });

  it('an out-of-range value is refused; a run not loaded is loaded first; a failure is shown', async () => {
    const { client, posted, loads, state, apply } = setup();
    client.runRobustness('a', 'gravity', [2, 100]);
    expect(posted).toEqual([]);
    expect(state().physicsNote?.text).toContain('Robustness sweep refused');
    client.runRobustness('c', 'maxTorque', [1, 2]);
    await Promise.resolve();
    await Promise.resolve();
    expect(loads).toEqual(['c']);
    expect(posted.at(-1)).toMatchObject({ type: 'robustness', runId: 'c', parameter: 'maxTorque' });
    const requestId = state().robustness?.requestId ?? -1;
    apply({ type: 'robustnessFailed', runId: 'c', requestId, message: 'no actor yet' });
    expect(state().robustness).toMatchObject({ running: false, error: 'no actor yet' });
  });
});
