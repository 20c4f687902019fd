import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/rl/sac/config';
import { Trainer } from '../../src/rl/trainer';
import type { SacAgent } from '../../src/rl/sac/agent';

const small = { hiddenSize: 16, batchSize: 16, stopAtGoal: false } as const;
const trainers: Trainer[] = [];
async function newTrainer(overrides: Parameters<typeof makeConfig>[0] = {}): Promise<Trainer> {
  const trainer = await Trainer.create(makeConfig({ ...small, ...overrides }));
  trainers.push(trainer);
  return trainer;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (trainers.length > 0) trainers.pop()?.dispose();
});

describe('Trainer: determinism', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`the same seed gives the same run on ${backend}`, async () => {
      await tf.setBackend(backend);
      const runOnce = async (seed: number) => {
        const trainer = await newTrainer({ seed });
        const slice = trainer.runFor(450);
        return { metrics: slice.episodes.map(({ wallSeconds, updatesPerSecond, ...rest }) => rest), state: trainer.pendulumState() };
      };
      const first = await runOnce(7);
      const second = await runOnce(7);
      const other = await runOnce(8);
      expect(first.metrics.length).toBe(2);
      expect(second).toEqual(first);
      expect(other.metrics[0]?.score).not.toBe(first.metrics[0]?.score);
      await tf.setBackend('cpu');
    });
  }
});

describe('Trainer: tensor memory', () => {
  it('keeps tf.memory().numTensors flat across 200 updates', async () => {
    const trainer = await newTrainer();
    trainer.runFor(200); // first episode: updates start once steps > batch size
    const before = tf.memory().numTensors;
    const updatesBefore = trainer.updates;
    trainer.runFor(200); // exactly one more episode: 200 updates
    expect(trainer.updates - updatesBefore).toBe(200);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees every tensor of a run on dispose (restarts do not leak)', async () => {
    const baseline = tf.memory().numTensors;
    for (let restart = 0; restart < 5; restart++) {
      const trainer = await Trainer.create(makeConfig({ ...small, seed: restart }));
      trainer.runFor(50);
      trainer.dispose();
    }
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('Trainer: loop and stop rules', () => {
  it('updates once per step after batch_size steps and reports episode metrics', async () => {
    const trainer = await newTrainer({ batchSize: 32 });
    const slice = trainer.runFor(200);
    expect(slice.steps).toBe(200);
    expect(trainer.updates).toBe(200 - 32);
    const [metrics] = slice.episodes;
    expect(metrics?.episode).toBe(1);
    expect(metrics?.step).toBe(200);
    expect(metrics?.updates).toBe(168);
    expect(metrics?.avg100).toBe(metrics?.score);
    for (const key of ['criticLoss', 'actorLoss', 'alphaLoss', 'entropy', 'qMean', 'alpha'] as const) {
      expect(Number.isFinite(metrics?.[key])).toBe(true);
    }
    // 168 Adam steps on log α from 0 at lr 1e-4: α moved, but by at most a few lr per step.
    expect(metrics?.alpha).not.toBe(1);
    expect(Math.abs(Math.log(metrics?.alpha ?? 0))).toBeLessThan(168 * 1e-4 * 3.2);
  });

  it('applies the lecture stop rule: mean of the last scores above goal_score', async () => {
    const trainer = await newTrainer({ stopAtGoal: true, goalScore: -2000 });
    const slice = trainer.runFor(10_000);
    expect(slice.stopReason).toBe('goal');
    expect(trainer.goalReachedAtEpisode).toBe(1);
    expect(trainer.totalSteps).toBe(200);
  });

  it('never stops at the goal when the stop rule is off', async () => {
    const trainer = await newTrainer({ stopAtGoal: false, goalScore: -2000, maxEpisodes: 2 });
    expect(trainer.runFor(10_000).stopReason).toBe('maxEpisodes');
    expect(trainer.episodesDone).toBe(2);
  });

  it('stops at max_steps mid-episode and can be extended live', async () => {
    const trainer = await newTrainer({ maxSteps: 250 });
    expect(trainer.runFor(10_000).stopReason).toBe('maxSteps');
    expect(trainer.totalSteps).toBe(250);
    trainer.setLiveConfig({ maxSteps: 300 });
    expect(trainer.stopReason).toBeNull();
    trainer.runFor(10_000);
    expect(trainer.totalSteps).toBe(300);
  });

  it('stops with nonFinite when a loss turns NaN, keeping the run', async () => {
    const trainer = await newTrainer();
    trainer.runFor(20);
    const kernel2 = (trainer.agent as SacAgent).critic.q1[2] as tf.Variable;
    kernel2.assign(tf.fill(kernel2.shape, Number.NaN));
    const slice = trainer.runFor(10_000);
    // The NaN critic makes the actor's gradient NaN at the first update, so the next action is NaN:
    // the run stops there instead of feeding NaN torques to the env.
    expect(slice.stopReason).toBe('nonFinite');
    expect(trainer.totalSteps).toBeLessThan(200);
    expect(trainer.updates).toBeGreaterThan(0);
    // What was learned stays exportable.
    const files = await trainer.exportActor('nan');
    expect(files.weightsBin.byteLength).toBeGreaterThan(0);
  });
});

describe('Trainer: live hyperparameters', () => {
  it('applies a live change at the next update without losing the run', async () => {
    const trainer = await newTrainer();
    trainer.runFor(100);
    trainer.setLiveConfig({ actorLr: 3e-4, gamma: 0.95, batchSize: 8, targetEntropy: -2 });
    expect(trainer.config.actorLr).toBe(3e-4);
    expect(trainer.config.batchSize).toBe(8);
    const updatesBefore = trainer.updates;
    trainer.runFor(100);
    expect(trainer.updates - updatesBefore).toBe(100);
    expect(trainer.totalSteps).toBe(200);
  });

  it('refuses out-of-range values and restart-only keys, changing nothing', async () => {
    const trainer = await newTrainer();
    const before = trainer.config;
    expect(() => trainer.setLiveConfig({ actorLr: 5 })).toThrow(/actor_lr.*1e-6|actor_lr.*0\.000001/);
    expect(() => trainer.setLiveConfig({ gamma: 0.9, batchSize: 0 })).toThrow(/batch_size/);
    expect(() => trainer.setLiveConfig({ hiddenSize: 32 })).toThrow(/restart/);
    expect(trainer.config).toEqual(before);
  });

  it('rejects an invalid config at creation with every problem listed', async () => {
    await expect(Trainer.create({ ...makeConfig(), gamma: 2, hiddenSize: 0 })).rejects.toThrow(/gamma.*hidden_size/);
  });
});

/*
 * Issue 10.8: the lecture's two action bugs and its time-limit bug, pinned shut by reading back what the
 * trainer stored. The torque the env really received is recovered from the stored transition with
 * Gymnasium's own equations (g = 10, m = l = 1, dt = 0.05, written out here, not taken from pendulum.ts):
 *   θ̇' = θ̇ + (3g/(2l)·sin θ + 3/(m l²)·u)·dt   ⇒   u = ((θ̇' − θ̇)/dt − 15·sin θ) / 3
 *   r = −(angle(θ)² + 0.1·θ̇² + 0.001·u²)
 */
describe('Trainer: what reaches the env and what the buffer keeps (issue 10.8)', () => {
  const G = 10;
  const DT = 0.05;

  interface StoredTransition {
    observation: number[];
    action: number;
    reward: number;
    nextObservation: number[];
    mask: number;
  }

  /** Reads transition `slot` (0-based: env step slot + 1) back out of a checkpoint of the buffer. */
  function storedTransitions(trainer: Trainer): StoredTransition[] {
    const buffer = trainer.checkpoint().state.buffer as {
      observations: Float32Array;
      actions: Float32Array;
      rewards: Float32Array;
      nextObservations: Float32Array;
      masks: Float32Array;
      count: number;
    };
    return Array.from({ length: buffer.count }, (_, slot) => ({
      observation: Array.from(buffer.observations.subarray(3 * slot, 3 * slot + 3)),
      action: buffer.actions[slot] as number,
      reward: buffer.rewards[slot] as number,
      nextObservation: Array.from(buffer.nextObservations.subarray(3 * slot, 3 * slot + 3)),
      mask: buffer.masks[slot] as number,
    }));
  }

  /** The torque the env applied in this transition, from the θ̇ update (null where θ̇ hit its ±8 clip). */
  function torqueFromDynamics(t: StoredTransition): number | null {
    const [, sinTheta = 0, thetaDot = 0] = t.observation;
    const nextThetaDot = t.nextObservation[2] ?? 0;
    if (Math.abs(nextThetaDot) > 7.99) return null;
    return ((nextThetaDot - thetaDot) / DT - ((3 * G) / 2) * sinTheta) / 3;
  }

  function rewardFor(t: StoredTransition, torque: number): number {
    const [cosTheta = 0, sinTheta = 0, thetaDot = 0] = t.observation;
    const angle = Math.atan2(sinTheta, cosTheta); // angle_normalize(θ) ∈ [−π, π)
    return -(angle ** 2 + 0.1 * thetaDot ** 2 + 0.001 * torque ** 2);
  }

  for (const actionScale of [2, 1]) {
    it(`action_scale ${actionScale}: the env gets ${actionScale}·tanh(z), the buffer keeps tanh(z), and step 200 bootstraps (mask 1)`, async () => {
      const trainer = await newTrainer({ actionScale, seed: 11 });
      trainer.runFor(201); // one full episode (time limit at step 200) and the first step of the next
      const transitions = storedTransitions(trainer);
      expect(transitions).toHaveLength(201);
      let checked = 0;
      for (const t of transitions) {
        // tanh(z) is strictly inside (−1, 1): a stored pre-squash z or a scaled torque would leave it.
        expect(Math.abs(t.action)).toBeLessThan(1);
        const torque = torqueFromDynamics(t);
        if (torque === null) continue;
        checked++;
        // float32 observations: θ̇ to ~1e-6, so u to ~1e-4.
        expect(torque).toBeCloseTo(actionScale * t.action, 3);
        expect(t.reward).toBeCloseTo(rewardFor(t, actionScale * t.action), 3);
      }
      expect(checked).toBeGreaterThan(150);
      // The lecture's code stored the time-limit step with mask 0 (a false terminal state).
      const step200 = transitions[199] as StoredTransition;
      expect(step200.mask).toBe(1);
      expect(transitions.every((t) => t.mask === 1)).toBe(true);
      // Its next observation is the real successor, consistent with the torque, not the reset state…
      const torque200 = torqueFromDynamics(step200);
      if (torque200 !== null) expect(torque200).toBeCloseTo(actionScale * step200.action, 3);
      expect(step200.reward).toBeCloseTo(rewardFor(step200, actionScale * step200.action), 3);
      // …which is where step 201 starts instead.
      const step201 = transitions[200] as StoredTransition;
      expect(step201.observation).not.toEqual(step200.nextObservation);
      expect(trainer.episodesDone).toBe(1);
    });
  }
});
