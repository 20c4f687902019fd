import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PopulationTrainer } from '../../src/rl/population/populationTrainer';
import { makeConfig, type SacConfig } from '../../src/rl/sac/config';
import { Trainer } from '../../src/rl/trainer';

const small = { hiddenSize: 16, batchSize: 16, stopAtGoal: false } as const;
const configOf = (overrides: Partial<SacConfig>): SacConfig => makeConfig({ ...small, ...overrides });
const populations: PopulationTrainer[] = [];
async function newPopulation(configs: SacConfig[]): Promise<PopulationTrainer> {
  const population = await PopulationTrainer.create(configs);
  populations.push(population);
  return population;
}
/** Metrics without the wall-clock fields. */
const stripClock = (metrics: readonly Record<string, number>[]) => metrics.map(({ wallSeconds, updatesPerSecond, ...rest }) => rest);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (populations.length > 0) populations.pop()?.dispose();
});

describe('PopulationTrainer: seeds', () => {
  it('fixed seeds give the same population run twice; different seeds give different members (cpu)', async () => {
    const run = async () => {
      const population = await newPopulation([configOf({ seed: 1 }), configOf({ seed: 2 })]);
      population.runFor(450);
      return [0, 1].map((k) => ({ metrics: stripClock(population.memberView(k).metrics), state: population.pendulumState(k) }));
    };
    const first = await run();
    const second = await run();
    expect(first[0]?.metrics.length).toBe(2);
    expect(second).toEqual(first);
    expect(first[0]?.metrics[0]?.score).not.toBe(first[1]?.metrics[0]?.score);
    expect(first[0]?.metrics[1]?.criticLoss).not.toBe(first[1]?.metrics[1]?.criticLoss);
  });

  it("a member's metrics are its own run: member k of [7, 8, 9] equals the population [8] alone, and a stopped neighbour changes nothing", async () => {
    const trio = await newPopulation([configOf({ seed: 7, maxEpisodes: 1 }), configOf({ seed: 8 }), configOf({ seed: 9, actorLr: 3e-3 })]);
    const slice = trio.runFor(600);
    expect(slice.stopReasons).toEqual(['maxEpisodes', null, null]);
    expect(trio.memberView(0).episodesDone).toBe(1); // stopped after its first episode
    expect(trio.memberView(0).totalSteps).toBe(200);
    const solo = await newPopulation([configOf({ seed: 8 })]);
    solo.runFor(600);
    const fromTrio = stripClock(trio.memberView(1).metrics);
    const alone = stripClock(solo.memberView(0).metrics);
    expect(fromTrio.length).toBe(3);
    expect(alone.length).toBe(3);
    fromTrio.forEach((episode, index) => {
      for (const [key, value] of Object.entries(episode)) expect(value, `${key} of episode ${index + 1}`).toBeCloseTo(alone[index]?.[key] ?? Number.NaN, 4);
    });
    // The slice's episode records are the member's history, and the running means are its own scores'.
    expect(slice.episodes[1]?.map((episode) => episode.score)).toEqual(trio.memberView(1).episodeScores);
    const scores = trio.memberView(1).episodeScores;
    expect(trio.memberView(1).metrics[2]?.avg10).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 9);
    expect(trio.memberView(1).metrics[0]?.updates).toBe(200 - 16); // updates once steps > batch_size
  });

  it('member k with seed s is the single Trainer run with seed s (first two episodes, cpu)', async () => {
    const population = await newPopulation([configOf({ seed: 3 }), configOf({ seed: 4, criticLr: 2e-3 })]);
    population.runFor(400);
    for (const [k, overrides] of [[0, { seed: 3 }], [1, { seed: 4, criticLr: 2e-3 }]] as const) {
      const single = await Trainer.create(configOf(overrides));
      try {
        const episodes = single.runFor(400).episodes;
        const member = population.memberView(k).metrics;
        expect(member.length).toBe(2);
        episodes.forEach((episode, index) => {
          expect(member[index]?.score).toBeCloseTo(episode.score, 3);
          expect(member[index]?.criticLoss).toBeCloseTo(episode.criticLoss ?? Number.NaN, 3);
          expect(member[index]?.alpha).toBeCloseTo(episode.alpha ?? Number.NaN, 5);
        });
      } finally {
        single.dispose();
      }
    }
  });
});

describe('PopulationTrainer: live learning rates', () => {
  it('members with different learning rates diverge as expected: same seed, a 1000× smaller rate barely moves its networks', async () => {
    const slow = { actorLr: 1e-6, criticLr: 1e-6, alphaLr: 1e-6 };
    const population = await newPopulation([configOf({ seed: 5 }), configOf({ seed: 5, ...slow })]);
    const initial = [0, 1].map((k) => population.agent.memberParameters(k));
    expect(initial[1]?.actor).toEqual(initial[0]?.actor); // same seed, same start
    population.runFor(300);
    const moved = [0, 1].map((k) => {
      const now = population.agent.memberParameters(k);
      const distance = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((sum, value, i) => sum + (value - (b[i] ?? 0)) ** 2, 0));
      return { actor: distance(now.actor, initial[k]!.actor), critic: distance(now.critic, initial[k]!.critic), logAlpha: Math.abs(now.logAlpha - initial[k]!.logAlpha) };
    });
    expect(moved[0]!.actor).toBeGreaterThan(100 * moved[1]!.actor);
    expect(moved[0]!.critic).toBeGreaterThan(100 * moved[1]!.critic);
    expect(moved[0]!.logAlpha).toBeGreaterThan(50 * moved[1]!.logAlpha);
    expect(moved[1]!.actor).toBeGreaterThan(0);

    // A live change applies from the next update: member 1 now learns at the default rate.
    const before = population.agent.memberParameters(1).actor;
    population.setLiveConfig(1, { actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-4 });
    population.runFor(50);
    const after = population.agent.memberParameters(1).actor;
    const step = Math.sqrt(after.reduce((sum, value, i) => sum + (value - (before[i] ?? 0)) ** 2, 0));
    expect(step).toBeGreaterThan(10 * moved[1]!.actor);
    expect(() => population.setLiveConfig(0, { hiddenSize: 32 })).toThrow(RangeError);
    expect(() => population.setLiveConfig(0, { actorLr: 5 })).toThrow(RangeError);
  });

  it('refuses members of different network or batch sizes, naming the setting', async () => {
    await expect(PopulationTrainer.create([configOf({ seed: 1 }), configOf({ seed: 2, hiddenSize: 32 })])).rejects.toThrow(/hiddenSize/);
    await expect(PopulationTrainer.create([configOf({ seed: 1 }), configOf({ seed: 2, batchSize: 32 })])).rejects.toThrow(/batchSize/);
  });
});

describe('PopulationTrainer: tensor memory', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`keeps tf.memory().numTensors flat over 500 population updates and frees everything on dispose (${backend})`, async () => {
      await tf.setBackend(backend);
      try {
        const baseline = tf.memory().numTensors;
        const population = await PopulationTrainer.create([configOf({ seed: 1 }), configOf({ seed: 2 }), configOf({ seed: 3, maxSteps: 300 })]);
        population.runFor(100); // past the first update (steps > batch size)
        const before = tf.memory().numTensors;
        const updatesBefore = population.memberView(0).updates;
        population.runFor(500);
        expect(population.memberView(0).updates - updatesBefore).toBe(500);
        expect(population.memberView(2).stopReason).toBe('maxSteps');
        expect(tf.memory().numTensors).toBe(before);
        population.dispose();
        expect(tf.memory().numTensors).toBe(baseline);
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }
});
