/**
 * The on-policy trainer (onPolicy/trainer.ts) with PPO and TRPO on small rollouts: the per-episode
 * metrics shape, the same seed giving the same run, checkpoint → restore → continue equal to an
 * uninterrupted run (mid-rollout and mid-episode), stop rules, live settings, no tensor growth, the
 * exported actor, and refused checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ON_POLICY_DESCRIPTORS } from '../../src/rl/onPolicy/descriptors';
import { createOnPolicyTrainer, restoreOnPolicyTrainer } from '../../src/rl/onPolicy/factory';
import type { EpisodeMetrics } from '../../src/rl/types';

const SMALL = { nEnvs: 2, nSteps: 100, batchSize: 50, hiddenSize: 16, stopAtGoal: false } as const;
const SMALL_PPO = { ...SMALL, nEpochs: 2 };
const SMALL_TRPO = { ...SMALL, nCriticUpdates: 2 };

function smallTrainer(algorithm: 'ppo' | 'trpo', overrides: Record<string, number | boolean> = {}) {
  return algorithm === 'ppo' ? createOnPolicyTrainer('ppo', { ...SMALL_PPO, ...overrides }) : createOnPolicyTrainer('trpo', { ...SMALL_TRPO, ...overrides });
}

/** The metrics without the two timing fields (which measure this machine, not the run). */
function withoutTiming(metrics: readonly EpisodeMetrics[]): Array<Record<string, number>> {
  return metrics.map(({ wallSeconds: _wall, updatesPerSecond: _rate, ...rest }) => rest);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['ppo', 'trpo'] as const)('on-policy trainer (%s)', (algorithm) => {
  it('reports every episode with the common fields and its own metrics (NaN before the first update phase)', () => {
    const trainer = smallTrainer(algorithm, { seed: 1 });
    const { episodes, steps } = trainer.runFor(1400);
    expect(steps).toBe(1400);
    // 2 envs × 700 steps: 3 episodes each; an update phase every 200 env steps.
    expect(episodes.map((m) => m.episode)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(episodes.map((m) => m.step)).toEqual([400, 400, 800, 800, 1200, 1200]);
    const keys = ['episode', 'step', 'score', 'avg100', 'avg10', ...ON_POLICY_DESCRIPTORS[algorithm].metrics.map((m) => m.key), 'updates', 'updatesPerSecond', 'wallSeconds'];
    for (const metrics of episodes) expect(Object.keys(metrics)).toEqual(keys);
    const first = episodes[0] as EpisodeMetrics;
    // The first update phase ran at 200 env steps, before the first episode ended at 400.
    for (const { key } of ON_POLICY_DESCRIPTORS[algorithm].metrics) expect(Number.isFinite(first[key])).toBe(true);
    // 7 equal update phases (every 200 env steps); the records carry those before the last record (the
    // phase at 1200 runs after that step's episodes were recorded, the one at 1400 after the last record).
    expect(trainer.updates % 7).toBe(0);
    expect(episodes.reduce((sum, m) => sum + m.updates, 0)).toBe((trainer.updates / 7) * 5);
    expect(trainer.totalSteps).toBe(1400);
    expect(episodes[1]?.avg10).toBeCloseTo(((episodes[0]?.score ?? 0) + (episodes[1]?.score ?? 0)) / 2, 9);
  });

  it('gives no update-phase metric before the first phase', () => {
    const trainer = smallTrainer(algorithm, { seed: 1, nSteps: 1000 });
    const { episodes } = trainer.runFor(400);
    expect(episodes).toHaveLength(2);
    for (const { key } of ON_POLICY_DESCRIPTORS[algorithm].metrics) expect(Number.isNaN((episodes[0] as EpisodeMetrics)[key])).toBe(true);
    expect(episodes[0]?.updates).toBe(0);
  });

  it('gives the same run for the same seed and a different one for another seed', () => {
    const a = smallTrainer(algorithm, { seed: 3 });
    const b = smallTrainer(algorithm, { seed: 3 });
    const c = smallTrainer(algorithm, { seed: 4 });
    const runA = a.runFor(2000).episodes;
    const runB = b.runFor(2000).episodes;
    expect(withoutTiming(runB)).toEqual(withoutTiming(runA));
    expect(b.actorParameters('final')).toEqual(a.actorParameters('final'));
    expect(withoutTiming(c.runFor(2000).episodes)).not.toEqual(withoutTiming(runA));
  });

  it('continues from a checkpoint taken mid-rollout and mid-episode exactly as an uninterrupted run', () => {
    const uninterrupted = smallTrainer(algorithm, { seed: 5 });
    const all = uninterrupted.runFor(2400).episodes;

    const first = smallTrainer(algorithm, { seed: 5 });
    const before = first.runFor(1302).episodes; // 651 vector steps: mid-rollout (51 of 100), mid-episode (51 of 200)
    expect(first.rolloutSteps).toBe(51);
    // Through structured clone, as IndexedDB and postMessage would carry it.
    const saved = structuredClone(first.checkpoint());
    const restored = restoreOnPolicyTrainer(saved);
    const after = restored.runFor(2400 - 1302).episodes;
    expect(withoutTiming([...before, ...after])).toEqual(withoutTiming(all));
    expect(restored.actorParameters('final')).toEqual(uninterrupted.actorParameters('final'));
    expect(restored.checkpoint().state.parameters).toEqual(uninterrupted.checkpoint().state.parameters);
    expect(restored.updates).toBe(uninterrupted.updates);
  });

  it('stops at max_steps, at max_episodes and at the goal', () => {
    const bySteps = smallTrainer(algorithm, { maxSteps: 1000 });
    expect(bySteps.runFor(5000).stopReason).toBe('maxSteps');
    expect(bySteps.totalSteps).toBe(1000);
    const byEpisodes = smallTrainer(algorithm, { maxEpisodes: 3 });
    expect(byEpisodes.runFor(5000).stopReason).toBe('maxEpisodes');
    expect(byEpisodes.episodesDone).toBe(4); // both envs' episodes end at the same step
    const byGoal = smallTrainer(algorithm, { stopAtGoal: true, goalScore: -2000 });
    expect(byGoal.runFor(5000).stopReason).toBe('goal');
    expect(byGoal.goalReachedAtEpisode).toBe(1);
    // A live change that lifts the rule lets the run go on; the user's stop does not lift.
    byGoal.setLiveConfig({ stopAtGoal: false } as never);
    expect(byGoal.stopReason).toBeNull();
    byGoal.stop();
    byGoal.setLiveConfig({ stopAtGoal: true } as never);
    expect(byGoal.stopReason).toBe('user');
  });

  it('stops with nonFinite when the policy turns NaN, and no live change reopens it', () => {
    const trainer = smallTrainer(algorithm);
    trainer.runFor(10);
    trainer.model.policyParameters.fill(Number.NaN);
    const slice = trainer.runFor(100);
    expect(slice.stopReason).toBe('nonFinite');
    expect(slice.steps).toBe(0);
    trainer.setLiveConfig({ maxSteps: 0 } as never);
    expect(trainer.stopReason).toBe('nonFinite');
  });

  it('applies live settings and refuses restart-only or out-of-range ones, changing nothing', () => {
    const trainer = smallTrainer(algorithm);
    trainer.setLiveConfig({ gamma: 0.95 } as never);
    expect(trainer.config.gamma).toBe(0.95);
    expect(() => trainer.setLiveConfig({ hiddenSize: 32 } as never)).toThrow(/restart/);
    expect(() => trainer.setLiveConfig({ gamma: 2, gaeLambda: 0.5 } as never)).toThrow(/Discount factor \(gamma\) must be in 0.8 … 0.999/);
    expect(trainer.config.gaeLambda).toBe(0.95);
    expect(trainer.config.hiddenSize).toBe(16);
  });

  it('exports the actor as a LayersModel whose output is the policy mean, with no tensor left behind', async () => {
    const trainer = smallTrainer(algorithm, { seed: 2 });
    trainer.runFor(600);
    const tensorsBefore = tf.memory().numTensors;
    const files = await trainer.exportActor('t', 'final', 'weights.bin');
    const bestFiles = await trainer.exportActor('t', 'best', 'weights.bin');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const json = JSON.parse(files.modelJson) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>; userDefinedMetadata: Record<string, unknown> };
    expect(json.userDefinedMetadata.deterministicAction).toBe('torque = clip(mu, -2, 2)');
    expect(JSON.parse(bestFiles.modelJson).userDefinedMetadata.episodes).toBe(trainer.best100?.episode);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights, weightData: files.weightsBin }));
    const observations = [Float32Array.of(1, 0, 0), Float32Array.of(-0.6, 0.8, 3), Float32Array.of(0, -1, -7)];
    for (const observation of observations) {
      const predicted = tf.tidy(() => (model.predict(tf.tensor2d(observation, [1, 3])) as tf.Tensor).dataSync()[0] ?? Number.NaN);
      expect(Math.min(Math.max(predicted, -2), 2)).toBeCloseTo(trainer.deterministicTorque(observation), 5);
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('creates no tensors over 1,000 updates', () => {
    const tensorsBefore = tf.memory().numTensors;
    const trainer = smallTrainer(algorithm, { batchSize: 20 });
    while (trainer.updates < 1000) trainer.runFor(200);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('refuses a foreign or corrupt checkpoint with a message, before restoring anything', () => {
    const trainer = smallTrainer(algorithm, { seed: 9 });
    trainer.runFor(300);
    const good = trainer.checkpoint();
    const other = algorithm === 'ppo' ? 'trpo' : 'ppo';
    expect(() => restoreOnPolicyTrainer({ ...structuredClone(good), algorithm: other } as never)).toThrow(/not a usable run checkpoint/);
    const shortRollout = structuredClone(good);
    shortRollout.state.rollout.actions = shortRollout.state.rollout.actions.slice(1);
    expect(() => restoreOnPolicyTrainer(shortRollout)).toThrow(/partial rollout's actions has/);
    const badParameters = structuredClone(good);
    badParameters.state.parameters[3] = Number.NaN;
    expect(() => restoreOnPolicyTrainer(badParameters)).toThrow(/parameters contains NaN/);
    const badRollout = structuredClone(good);
    badRollout.state.rollout.filled -= 1;
    for (const key of ['observations', 'nextObservations'] as const) badRollout.state.rollout[key] = badRollout.state.rollout[key].slice(0, -6);
    for (const key of ['actions', 'rewards', 'terminated', 'episodeEnded'] as const) badRollout.state.rollout[key] = badRollout.state.rollout[key].slice(0, -2);
    expect(() => restoreOnPolicyTrainer(badRollout)).toThrow(/partial rollout of 49 steps does not fit/);
    const badCounters = structuredClone(good);
    badCounters.counters.totalSteps += 2;
    expect(() => restoreOnPolicyTrainer(badCounters)).toThrow(/step count/);
  });
});
