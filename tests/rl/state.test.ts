/**
 * getState / setState of the pieces a checkpoint is made of: each continues exactly as the original
 * would, and refuses a state that does not fit without changing anything.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Pendulum } from '../../src/rl/env/pendulum';
import { ReplayBuffer, allocateBatch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { Adam } from '../../src/rl/sac/adam';
import { ActorNetwork, TwinCriticNetwork, makeVariable } from '../../src/rl/sac/networks';
import { actorParameterCount, twinCriticParameterCount } from '../../src/rl/sac/agentState';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Rng state', () => {
  it('replays the same numbers, including a pending Box–Muller variate', () => {
    const rng = new Rng(42);
    rng.normal(); // leaves the second variate pending
    const state = structuredClone(rng.getState());
    expect(state.spareNormal).not.toBeNull();
    const expected = [rng.normal(), rng.random(), rng.nextUint32(), rng.normal(), rng.integer(1000)];
    const copy = new Rng(7);
    copy.setState(state);
    expect([copy.normal(), copy.random(), copy.nextUint32(), copy.normal(), copy.integer(1000)]).toEqual(expected);
  });

  it('refuses a malformed state and keeps its own', () => {
    const rng = new Rng(1);
    const before = rng.getState();
    expect(() => rng.setState({ words: [1, 2, 3, 2 ** 32], spareNormal: null })).toThrow(/\[0, 2\^32\)/);
    expect(() => rng.setState({ words: [1, 2, 3, 4], spareNormal: Number.NaN })).toThrow(/spare normal/);
    expect(rng.getState()).toEqual(before);
  });
});

describe('Pendulum state', () => {
  it('continues the episode and the reset stream exactly', () => {
    const env = new Pendulum();
    env.reset({ seed: 3 });
    for (let i = 0; i < 150; i++) env.step([Math.sin(i)]);
    const copy = new Pendulum();
    copy.setState(structuredClone(env.getState()));
    const run = (p: Pendulum): number[] => {
      const out: number[] = [];
      for (let i = 0; i < 120; i++) {
        const result = p.step([Math.cos(i)]);
        out.push(result.reward, ...result.observation, result.truncated ? 1 : 0);
        if (result.truncated) out.push(...p.reset()); // the reset generator is part of the state
      }
      return out;
    };
    expect(run(copy)).toEqual(run(env));
  });

  it('refuses a step count beyond the time limit', () => {
    const env = new Pendulum();
    expect(() => env.setState({ ...env.getState(), stepsInEpisode: 200 })).toThrow(/stepsInEpisode/);
  });
});

describe('ReplayBuffer state', () => {
  const fill = (buffer: ReplayBuffer, count: number, offset: number): void => {
    for (let i = 0; i < count; i++) {
      const v = offset + i;
      buffer.add({ observation: [v, v + 0.1, v + 0.2], action: [v / 10], reward: -v, nextObservation: [v + 1, v + 1.1, v + 1.2], mask: 1 });
    }
  };

  for (const count of [7, 25]) {
    it(`keeps the filled rows and write position (${count} added to 10 slots) and samples the same batches`, () => {
      const buffer = new ReplayBuffer(10, 3, 1);
      fill(buffer, count, 0);
      const state = structuredClone(buffer.getState());
      expect(state.count).toBe(Math.min(count, 10));
      expect(state.rewards).toHaveLength(Math.min(count, 10));
      const copy = new ReplayBuffer(10, 3, 1);
      copy.setState(state);
      // The next adds overwrite the same slots, and the same generator draws the same rows.
      fill(buffer, 4, 100);
      fill(copy, 4, 100);
      const sample = (b: ReplayBuffer) => structuredClone(b.sample(new Rng(5), allocateBatch(16, 3, 1)));
      expect(sample(copy)).toEqual(sample(buffer));
      expect(copy.getState()).toEqual(buffer.getState());
    });
  }

  it('refuses a state for another capacity, changing nothing', () => {
    const small = new ReplayBuffer(10, 3, 1);
    fill(small, 12, 0);
    const other = new ReplayBuffer(8, 3, 1);
    fill(other, 3, 50);
    const before = other.getState();
    expect(() => other.setState(small.getState())).toThrow(/count must be an integer in \[0, 8\]/);
    expect(other.getState()).toEqual(before);
  });
});

describe('Adam and network state', () => {
  it('Adam continues exactly from its moments and step count', () => {
    const makeParameter = () => makeVariable(Float32Array.of(0.5, -1, 2), [3]);
    const gradient = tf.tensor1d([0.3, -0.2, 0.1]);
    const first = makeParameter();
    const adam = new Adam([first]);
    adam.step([gradient], 0.01);
    adam.step([gradient], 0.01);
    const state = structuredClone(adam.getState());
    expect(state.steps).toBe(2);

    const second = makeParameter();
    second.assign(first);
    const resumed = new Adam([second]);
    resumed.setState(state);
    adam.step([gradient], 0.01);
    resumed.step([gradient], 0.01);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    expect(() => resumed.setState({ ...state, firstMoment: new Float32Array(2) })).toThrow(/2 and 3 values for 3 parameters/);
    [gradient, first, second].forEach((t) => t.dispose());
    adam.dispose();
    resumed.dispose();
  });

  it('networks round-trip their flat weights, sized as the tfjs-free counts say', () => {
    const actor = new ActorNetwork(new Rng(1), 3, 1, 8);
    const zeros = new ActorNetwork(null, 3, 1, 8);
    const critic = new TwinCriticNetwork(new Rng(2), 3, 1, 8);
    const weights = actor.getParameters();
    expect(weights).toHaveLength(actorParameterCount(3, 1, 8));
    expect(critic.getParameters()).toHaveLength(twinCriticParameterCount(3, 1, 8));
    expect(zeros.getParameters().every((v) => v === 0)).toBe(true);
    zeros.setParameters(weights);
    expect(zeros.getParameters()).toEqual(weights);
    expect(() => zeros.setParameters(new Float32Array(5))).toThrow(/5 values for/);
    [actor, zeros, critic].forEach((n) => n.dispose());
  });
});
