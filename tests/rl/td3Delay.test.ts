/**
 * Which networks move at which update (ALGORITHMS.md): TD3's actor and all its targets move exactly on
 * every policy_delay-th critic update, the critics at every update; DDPG's actor and targets at every
 * update. Read from the agent's state after each update (an independent observation of the weights).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DDPG_ALGORITHM } from '../../src/rl/ddpg/ddpgAlgorithm';
import { makeDdpgConfig } from '../../src/rl/ddpg/config';
import type { DeterministicAgent } from '../../src/rl/deterministic/agent';
import type { Batch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { TD3_ALGORITHM } from '../../src/rl/td3/td3Algorithm';
import { makeTd3Config } from '../../src/rl/td3/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomBatch(rng: Rng, size: number): Batch {
  return {
    size,
    observations: Float32Array.from({ length: size * 3 }, () => rng.normal()),
    actions: Float32Array.from({ length: size }, () => rng.uniform(-1, 1)),
    rewards: Float32Array.from({ length: size }, () => -rng.uniform(0, 16)),
    nextObservations: Float32Array.from({ length: size * 3 }, () => rng.normal()),
    masks: new Float32Array(size).fill(1),
  };
}

const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((value, i) => value === b[i]);

/** For each of `updates` updates: did the actor, the critics, the target actor, the target critics change? */
function whatMoves<C>(agent: DeterministicAgent<C>, config: C, updates: number): Array<{ actor: boolean; critics: boolean; targetActor: boolean; targetCritics: boolean }> {
  const rng = new Rng(4);
  const moves = [];
  for (let update = 0; update < updates; update++) {
    const before = agent.getState();
    agent.update(randomBatch(rng, 8), rng, config).dispose();
    const after = agent.getState();
    moves.push({
      actor: !same(before.actor, after.actor),
      critics: !same(before.critics, after.critics),
      targetActor: !same(before.targetActor, after.targetActor),
      targetCritics: !same(before.targetCritics, after.targetCritics),
    });
  }
  return moves;
}

describe('TD3: delayed actor and targets', () => {
  it.each([2, 3])('policy_delay %i: actor and targets move exactly on critic updates d, 2d, …; critics every update', (policyDelay) => {
    const config = makeTd3Config({ hiddenSize: 8, policyDelay });
    const agent = TD3_ALGORITHM.createAgent(new Rng(1), { observationSize: 3, actionSize: 1 }, config);
    const moves = whatMoves(agent, config, 7);
    moves.forEach((move, index) => {
      const actorUpdate = (index + 1) % policyDelay === 0;
      expect(move).toEqual({ actor: actorUpdate, critics: true, targetActor: actorUpdate, targetCritics: actorUpdate });
    });
    expect(agent.criticUpdates).toBe(7);
    agent.dispose();
  });

  it('the delay counter survives getState/setState (a restored agent keeps the rhythm)', () => {
    const config = makeTd3Config({ hiddenSize: 8, policyDelay: 3 });
    const agent = TD3_ALGORITHM.createAgent(new Rng(1), { observationSize: 3, actionSize: 1 }, config);
    whatMoves(agent, config, 2);
    const copy = TD3_ALGORITHM.createAgent(new Rng(99), { observationSize: 3, actionSize: 1 }, config);
    copy.setState(agent.getState());
    // Critic update 3 is an actor update: the very next one after the restore.
    expect(whatMoves(copy, config, 1)[0]?.actor).toBe(true);
    agent.dispose();
    copy.dispose();
  });
});

describe('DDPG: actor and targets every update', () => {
  it('every update moves the actor, the critic and both targets', () => {
    const config = makeDdpgConfig({ hiddenSize: 8 });
    const agent = DDPG_ALGORITHM.createAgent(new Rng(1), { observationSize: 3, actionSize: 1 }, config);
    for (const move of whatMoves(agent, config, 4)) expect(move).toEqual({ actor: true, critics: true, targetActor: true, targetCritics: true });
    // One critic: its flat weights are one network's.
    expect(agent.getState().critics.length).toBe((3 + 1) * 8 + 8 + 8 * 8 + 8 + 8 + 1);
    agent.dispose();
  });

  it('the soft update is θ̄ ← τθ + (1 − τ)θ̄ with the weights after the step', () => {
    const config = makeDdpgConfig({ hiddenSize: 8, tau: 0.25 });
    const agent = DDPG_ALGORITHM.createAgent(new Rng(2), { observationSize: 3, actionSize: 1 }, config);
    const before = agent.getState();
    agent.update(randomBatch(new Rng(5), 8), new Rng(6), config).dispose();
    const after = agent.getState();
    after.targetActor.forEach((value, i) => expect(value).toBeCloseTo(0.25 * (after.actor[i] ?? 0) + 0.75 * (before.targetActor[i] ?? 0), 6));
    after.targetCritics.forEach((value, i) => expect(value).toBeCloseTo(0.25 * (after.critics[i] ?? 0) + 0.75 * (before.targetCritics[i] ?? 0), 6));
    agent.dispose();
  });
});
