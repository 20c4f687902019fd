/**
 * DDPG and TD3 in the Trainer (cpu backend): the learning_starts warm-up, a fixed seed giving the same
 * run twice, checkpoint → restore → continue equal to an uninterrupted run, no tensor growth over 1,000
 * updates, and checkpoints validated per algorithm.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, validateCheckpoint, type TrainerState } from '../../src/rl/checkpoint';
import type { DeterministicAgentState } from '../../src/rl/deterministic/agentState';
import { OFF_POLICY_ALGORITHMS, restoreTrainer } from '../../src/rl/offPolicyAlgorithms';
import { DDPG_ALGORITHM } from '../../src/rl/ddpg/ddpgAlgorithm';
import { makeDdpgConfig } from '../../src/rl/ddpg/config';
import { TD3_ALGORITHM } from '../../src/rl/td3/td3Algorithm';
import { makeTd3Config } from '../../src/rl/td3/config';
import { Trainer, type AnyOffPolicyTrainer } from '../../src/rl/trainer';
import type { EpisodeMetrics } from '../../src/rl/types';

const small = { hiddenSize: 16, batchSize: 16, bufferSize: 2000, learningStarts: 100, stopAtGoal: false } as const;
const trainers: AnyOffPolicyTrainer[] = [];

async function newTrainer(id: 'ddpg' | 'td3', overrides: Record<string, number | boolean> = {}): Promise<AnyOffPolicyTrainer> {
  const trainer = await OFF_POLICY_ALGORITHMS[id].create({ ...small, ...overrides });
  trainers.push(trainer);
  return trainer;
}

/** Metrics without the timing fields (wall clock differs between runs). */
const untimed = (metrics: readonly EpisodeMetrics[]): unknown[] => metrics.map(({ wallSeconds, updatesPerSecond, ...rest }) => rest);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (trainers.length > 0) trainers.pop()?.dispose();
});

describe.each(['ddpg', 'td3'] as const)('%s in the Trainer', (id) => {
  it('acts uniformly at random for learning_starts steps, torque = scale · stored action, and updates only after them', async () => {
    const trainer = await newTrainer(id, { learningStarts: 400, actionScale: 1.5 });
    trainer.runFor(1);
    const first = trainer.checkpoint().state as TrainerState;
    expect(trainer.pendulumState().torque).toBeCloseTo(1.5 * (first.buffer.actions[0] ?? Number.NaN), 5);
    trainer.runFor(399);
    expect(trainer.updates).toBe(0);
    const actions = Array.from((trainer.checkpoint().state as TrainerState).buffer.actions);
    expect(actions.length).toBe(400);
    // U(−1, 1): each quarter of the range holds about 100 of 400 (binomial s.d. ≈ 8.7).
    for (const [low, high] of [[-1, -0.5], [-0.5, 0], [0, 0.5], [0.5, 1]] as const) {
      expect(Math.abs(actions.filter((a) => a >= low && a < high).length - 100)).toBeLessThan(35);
    }
    trainer.runFor(1);
    expect(trainer.updates).toBe(1);
    trainer.runFor(99);
    expect(trainer.updates).toBe(100);
  });

  it('after the warm-up the actions are the actor’s plus N(0, σ²) noise: σ 0 stores exactly μ(s)', async () => {
    const trainer = await newTrainer(id, { learningStarts: 20, actionNoise: 0 });
    trainer.runFor(20);
    // Step 21 acts from the observation left by step 20, before any update (updates come after the env step).
    const observation = (trainer.checkpoint().state as TrainerState).observation;
    const expected = trainer.deterministicTorque(observation); // scale · μ(s), scale 2
    trainer.runFor(1);
    const stored = (trainer.checkpoint().state as TrainerState).buffer.actions[20] ?? Number.NaN;
    expect(2 * stored).toBeCloseTo(expected, 5);
  });

  it('the same seed gives the same run; another seed another', async () => {
    const run = async (seed: number): Promise<unknown[]> => untimed((await newTrainer(id, { seed })).runFor(600).episodes);
    const first = await run(7);
    expect(first.length).toBe(3);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('checkpoint → restore → continue equals the uninterrupted run (a live noise change just before included)', async () => {
    // Typed by algorithm, so the live change is a DDPG/TD3 setting.
    const typed = async () => {
      const trainer = id === 'ddpg' ? await Trainer.createWith(DDPG_ALGORITHM, makeDdpgConfig({ ...small, seed: 3 })) : await Trainer.createWith(TD3_ALGORITHM, makeTd3Config({ ...small, seed: 3 }));
      trainers.push(trainer);
      return trainer;
    };
    const uninterrupted = await typed();
    const first = untimed(uninterrupted.runFor(330).episodes);
    // A live change reaches act() with the next update, in both runs.
    uninterrupted.setLiveConfig({ actionNoise: 0.6 });
    const all = [...first, ...untimed(uninterrupted.runFor(470).episodes)];
    const interrupted = await typed();
    const before = untimed(interrupted.runFor(330).episodes);
    interrupted.setLiveConfig({ actionNoise: 0.6 });
    const restored = await restoreTrainer(structuredClone(interrupted.checkpoint()));
    trainers.push(restored);
    const after = untimed(restored.runFor(470).episodes);
    expect([...before, ...after]).toEqual(all);
    expect(restored.agent.descriptor.id).toBe(id);
    expect(restored.actorParameters('final')).toEqual(uninterrupted.actorParameters('final'));
  });

  it('keeps tf.memory().numTensors flat over 1,000 updates, and frees everything on dispose', async () => {
    const baseline = tf.memory().numTensors;
    const trainer = await newTrainer(id);
    trainer.runFor(200);
    const before = tf.memory().numTensors;
    trainer.runFor(1000);
    expect(trainer.updates).toBe(1100);
    expect(tf.memory().numTensors).toBe(before);
    trainers.pop()?.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('its checkpoint names its algorithm: SAC’s validation refuses it, a broken agent state is named', async () => {
    const trainer = await newTrainer(id);
    trainer.runFor(250);
    const checkpoint = trainer.checkpoint();
    expect(checkpoint.algorithm).toBe(id);
    expect(() => validateCheckpoint(checkpoint)).toThrow(new RegExp(`${id.toUpperCase()} run, and this reads SAC runs`));
    const broken = structuredClone(checkpoint);
    (broken.state as TrainerState & { agent: DeterministicAgentState }).agent.targetCritics = new Float32Array(5);
    await expect(restoreTrainer(broken)).rejects.toThrow(/target critic weights has 5 values/);
    const outOfRange = { ...structuredClone(checkpoint), config: { ...checkpoint.config, gamma: 2 } };
    await expect(restoreTrainer(outOfRange)).rejects.toThrow(CheckpointError);
    await expect(restoreTrainer(outOfRange)).rejects.toThrow(/Discount factor \(gamma\) must be in 0\.8 … 0\.9999/);
  });
});
