/**
 * Checkpoint → restore → continue gives exactly the episode metrics of a run that was never
 * interrupted (cpu backend); malformed checkpoints are refused with a message naming the problem and
 * create nothing; no tensor growth over create → train → checkpoint → restore → dispose cycles.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, checkpointTransferables, validateCheckpoint, type TrainerCheckpoint, type TrainerState } from '../../src/rl/checkpoint';
import { makeConfig, type SacConfig } from '../../src/rl/sac/config';
import type { SacAgentState } from '../../src/rl/sac/agentState';
import { Trainer } from '../../src/rl/trainer';
import type { SacAgent } from '../../src/rl/sac/agent';

/** These tests run on tfjs (the default SAC engine), so the agent is a SacAgent. */
const tfjsAgent = (trainer: Trainer): SacAgent => trainer.agent as SacAgent;
import type { EpisodeMetrics } from '../../src/rl/types';

const small = { hiddenSize: 16, batchSize: 16, stopAtGoal: false } as const;
const trainers: Trainer[] = [];
async function newTrainer(overrides: Partial<SacConfig> = {}): Promise<Trainer> {
  const trainer = await Trainer.create(makeConfig({ ...small, ...overrides }));
  trainers.push(trainer);
  return trainer;
}
async function restored(checkpoint: TrainerCheckpoint): Promise<Trainer> {
  const trainer = await Trainer.restore(checkpoint);
  trainers.push(trainer);
  return trainer;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (trainers.length > 0) trainers.pop()?.dispose();
});

/** Everything an episode reports except the two timing fields (they measure this machine, not the run). */
function withoutTiming(episodes: readonly EpisodeMetrics[]): Array<Record<string, number>> {
  return episodes.map(({ updatesPerSecond: _rate, wallSeconds: _seconds, ...rest }) => rest);
}

/** A checkpoint's content with the timing fields removed (the rest must match an uninterrupted run's). */
function stateWithoutTiming(checkpoint: TrainerCheckpoint): unknown {
  const state = checkpoint.state as TrainerState;
  return {
    ...checkpoint,
    counters: { ...checkpoint.counters, trainingSeconds: 0 },
    state: { ...state, episode: { ...state.episode, startTrainingSeconds: 0 } },
  };
}

/**
 * N steps, checkpoint, dispose, structuredClone (what postMessage and IndexedDB do), restore, M more
 * steps; against one N + M step run with the same config.
 */
async function interruptedAndUninterrupted(config: Partial<SacConfig>, firstSteps: number, moreSteps: number) {
  const uninterrupted = await newTrainer(config);
  const straight = uninterrupted.runFor(firstSteps + moreSteps).episodes;

  const before = await newTrainer(config);
  const firstPart = before.runFor(firstSteps).episodes;
  const checkpoint = structuredClone(before.checkpoint());
  before.dispose();
  trainers.splice(trainers.indexOf(before), 1);
  const after = await restored(checkpoint);
  const secondPart = after.runFor(moreSteps).episodes;
  return { uninterrupted, straight, checkpoint, after, resumed: [...firstPart, ...secondPart] };
}

describe('checkpoint → restore → continue equals an uninterrupted run (cpu)', () => {
  it('in the middle of an episode, with updates running and the replay buffer wrapped', async () => {
    // 300 steps: mid episode 2, 284 updates, a 100-slot buffer that has wrapped (write index 0 after 300).
    const config = { seed: 11, bufferSize: 100 };
    const run = await interruptedAndUninterrupted(config, 330, 270);
    const state = run.checkpoint.state as TrainerState;
    expect(state.env.stepsInEpisode).toBe(130);
    expect(state.episode.updates).toBe(130);
    expect(state.episode.statsSum).not.toBeNull();
    expect(state.buffer.count).toBe(100);
    expect(state.buffer.writeIndex).toBe(30);
    expect(run.checkpoint.counters).toMatchObject({ totalSteps: 330, episodesDone: 1, updates: 330 - 16 });

    expect(run.straight).toHaveLength(3);
    expect(withoutTiming(run.resumed)).toEqual(withoutTiming(run.straight));
    // Not only the metrics: the whole state at the end is the same, and so is where the pendulum is.
    expect(stateWithoutTiming(run.after.checkpoint())).toEqual(stateWithoutTiming(run.uninterrupted.checkpoint()));
    expect(run.after.pendulumState()).toEqual(run.uninterrupted.pendulumState());
  });

  it('before updates start (step < batch size)', async () => {
    const run = await interruptedAndUninterrupted({ seed: 5 }, 10, 390);
    const state = run.checkpoint.state as TrainerState;
    expect(run.checkpoint.counters.updates).toBe(0);
    expect(state.episode.statsSum).toBeNull();
    expect(run.straight).toHaveLength(2);
    expect(withoutTiming(run.resumed)).toEqual(withoutTiming(run.straight));
  });

  it('with an acting copy that lags the actor (as on WebGL, where it is refreshed every few updates)', async () => {
    // The cpu backend refreshes the copy after every update; interval 3 makes it lag as WebGL's 10 does.
    const lagging = async (trainer: Trainer): Promise<Trainer> => {
      tfjsAgent(trainer).policySyncInterval = 3;
      return trainer;
    };
    const uninterrupted = await lagging(await newTrainer({ seed: 6 }));
    const straight = uninterrupted.runFor(200).episodes;
    const before = await lagging(await newTrainer({ seed: 6 }));
    before.runFor(41); // 25 updates: the copy was last refreshed 1 update ago
    const checkpoint = structuredClone(before.checkpoint());
    const agentState = (checkpoint.state as TrainerState).agent as SacAgentState;
    expect(agentState.updatesSincePolicySync).toBe(1);
    expect(agentState.actingPolicy).not.toEqual(agentState.actor);
    const after = await lagging(await restored(checkpoint));
    const resumed = [...after.runFor(159).episodes];
    expect(straight).toHaveLength(1);
    expect(withoutTiming(resumed)).toEqual(withoutTiming(straight));
  });

  it('the comparison notices a state that is not restored exactly (control)', async () => {
    // Same as above but one generator word changed in the checkpoint: the continuation must differ,
    // otherwise the equality above would prove nothing.
    const base = await newTrainer({ seed: 5 });
    const straight = base.runFor(400).episodes;
    const before = await newTrainer({ seed: 5 });
    before.runFor(10);
    const checkpoint = structuredClone(before.checkpoint());
    const state = checkpoint.state as TrainerState;
    state.rng.words[0] = (state.rng.words[0] + 1) >>> 0;
    const after = await restored(checkpoint);
    const resumed = after.runFor(390).episodes;
    expect(withoutTiming(resumed)).not.toEqual(withoutTiming(straight));
  });

  it('continues the training time: wallSeconds counts time inside runFor only, across a restore', async () => {
    const trainer = await newTrainer({ seed: 2 });
    trainer.runFor(100);
    const checkpoint = trainer.checkpoint();
    expect(checkpoint.counters.trainingSeconds).toBeGreaterThan(0);
    expect(checkpoint.counters.trainingSeconds).toBe(trainer.trainingTimeSeconds);
    // A pause (time outside runFor) and the restore are not training time.
    const pauseStart = performance.now();
    while (performance.now() - pauseStart < 300) {
      /* a 300 ms pause, busy so no timer granularity gets in the way */
    }
    const after = await restored(structuredClone(checkpoint));
    const insideStart = performance.now();
    const [episode] = after.runFor(100).episodes;
    const insideSeconds = (performance.now() - insideStart) / 1000;
    const added = (episode?.wallSeconds ?? Number.NaN) - checkpoint.counters.trainingSeconds;
    // Counted from the checkpoint's training time on, and only what was spent inside this runFor
    // (had the pause been counted, `added` would exceed insideSeconds by 0.3 s).
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(insideSeconds + 1e-3);
    const addedBySlice = after.trainingTimeSeconds - checkpoint.counters.trainingSeconds;
    expect(addedBySlice).toBeGreaterThanOrEqual(added);
    expect(addedBySlice).toBeLessThanOrEqual(insideSeconds + 1e-3);
    // Episode 1 began at training time 0: its rate is its updates over its training seconds.
    expect(episode?.updatesPerSecond).toBeCloseTo((episode?.updates ?? 0) / (episode?.wallSeconds ?? 1), 6);
  });

  it('keeps the stop reason, goal episode, scores and counters', async () => {
    const trainer = await newTrainer({ seed: 3, stopAtGoal: true, goalScore: -2000 });
    trainer.runFor(1000);
    expect(trainer.stopReason).toBe('goal');
    const after = await restored(structuredClone(trainer.checkpoint()));
    expect(after.stopReason).toBe('goal');
    expect(after.goalReachedAtEpisode).toBe(1);
    expect(after.totalSteps).toBe(200);
    expect(after.episodesDone).toBe(1);
    expect(after.updates).toBe(trainer.updates);
    expect(after.episodeScores).toEqual(trainer.episodeScores);
    expect(after.best100).toEqual(trainer.best100);
    expect(after.runFor(10).steps).toBe(0);
  });
});

describe('best actor and swing-up', () => {
  it('keeps the actor of the best 100-episode mean (read once per improving episode) and exports it', async () => {
    const trainer = await newTrainer({ seed: 3 });
    let bestMean = Number.NEGATIVE_INFINITY;
    let expected: { episode: number; actor: Float32Array } | null = null;
    const finals: Float32Array[] = [];
    for (let episode = 1; episode <= 3; episode++) {
      const [metrics] = trainer.runFor(200).episodes;
      if (!metrics) throw new Error('an episode should end every 200 steps');
      // The actor at the end of the slice is the actor at the end of the episode (its last step ends the slice).
      const actor = trainer.actorParameters('final');
      if (!actor) throw new Error('the final actor always exists');
      finals.push(actor);
      if (metrics.avg100 > bestMean) {
        bestMean = metrics.avg100;
        expected = { episode, actor };
      }
    }
    if (!expected) throw new Error('the first episode is always a best');
    expect(trainer.best100).toEqual({ value: bestMean, episode: expected.episode });
    expect(trainer.actorParameters('best')).toEqual(expected.actor);
    // With this seed the mean improves at episode 2 and not at 3: the best actor was replaced once,
    // then kept while the actor moved on.
    expect(expected.episode).toBe(2);
    expect(trainer.actorParameters('best')).not.toEqual(finals[2]);

    const tensorsBefore = tf.memory().numTensors;
    const files = await trainer.exportActor('best-test', 'best');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const metadata = (JSON.parse(files.modelJson) as { userDefinedMetadata: Record<string, unknown> }).userDefinedMetadata;
    expect(metadata).toMatchObject({ episodes: expected.episode, steps: expected.episode * 200, avg100: bestMean });
    // Loaded into another run's actor, the files give back exactly the best weights.
    const other = await newTrainer({ seed: 99 });
    await other.importActor(files);
    expect(other.actorParameters('final')).toEqual(expected.actor);
  });

  it('has no best actor before the first episode ends', async () => {
    const trainer = await newTrainer({ seed: 1 });
    trainer.runFor(50);
    expect(trainer.best100).toBeNull();
    expect(trainer.actorParameters('best')).toBeNull();
    await expect(trainer.exportActor('none', 'best')).rejects.toThrow(/no best actor yet/);
  });

  /**
   * A real checkpoint after 100 steps (buffer_size 100, so the buffer is full as after any longer run),
   * relabelled as `episodes` finished episodes that all scored 0: the next episode's last-10 mean is
   * then (score of that episode) / min(episodes + 1, 10), far above −200.
   */
  async function afterPerfectEpisodes(episodes: number): Promise<{ trainer: Trainer; metrics: EpisodeMetrics }> {
    const source = await newTrainer({ seed: 8, bufferSize: 100 });
    source.runFor(100);
    const checkpoint = structuredClone(source.checkpoint());
    const state = checkpoint.state as TrainerState;
    checkpoint.scores = new Array<number>(episodes).fill(0);
    checkpoint.counters.episodesDone = episodes;
    checkpoint.counters.totalSteps = episodes * 200 + 100;
    state.best = { value: 0, episode: episodes, step: episodes * 200, actor: (state.agent as SacAgentState).actor.slice() };
    const trainer = await restored(checkpoint);
    const [metrics] = trainer.runFor(100).episodes;
    if (!metrics) throw new Error('the episode should end after 100 more steps');
    return { trainer, metrics };
  }

  it('records the first step at which the last-10 mean exceeds −200 (episode 10 on), and keeps it in the checkpoint', async () => {
    const { trainer, metrics } = await afterPerfectEpisodes(9);
    expect(metrics.episode).toBe(10);
    expect(metrics.avg10).toBeCloseTo(metrics.score / 10, 9);
    expect(metrics.avg10).toBeGreaterThan(-200);
    expect(trainer.swingUpStep).toBe(metrics.step);
    expect(metrics.step).toBe(2000);
    expect((trainer.checkpoint().state as TrainerState).swingUpStep).toBe(2000);
    // The first crossing stays, whatever comes later.
    trainer.runFor(200);
    expect(trainer.swingUpStep).toBe(2000);
  });

  it('does not count a last-10 mean of fewer than 10 episodes', async () => {
    const { trainer, metrics } = await afterPerfectEpisodes(8);
    expect(metrics.episode).toBe(9);
    expect(metrics.avg10).toBeGreaterThan(-200);
    expect(trainer.swingUpStep).toBeNull();
  });
});

describe('checkpointTransferables', () => {
  it('lists each typed array buffer once, and a transferred checkpoint still restores', async () => {
    const trainer = await newTrainer({ seed: 4 });
    trainer.runFor(220);
    const checkpoint = trainer.checkpoint();
    const state = checkpoint.state as TrainerState;
    const agent = state.agent as SacAgentState;
    const buffers = checkpointTransferables(checkpoint);
    expect(new Set(buffers).size).toBe(buffers.length);
    for (const array of [state.observation, state.buffer.observations, state.buffer.masks, agent.actor, agent.criticOptimizer.secondMoment, agent.logAlpha]) {
      expect(buffers).toContain(array.buffer);
    }
    // structuredClone with a transfer list is what postMessage does: the originals are detached.
    const moved = structuredClone(checkpoint, { transfer: buffers });
    expect(agent.actor.length).toBe(0);
    const after = await restored(moved);
    expect(after.totalSteps).toBe(220);
  });
});

describe('validateCheckpoint refuses malformed data, and restore then creates nothing', () => {
  let good: TrainerCheckpoint;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const trainer = await Trainer.create(makeConfig({ ...small, seed: 9 }));
    trainer.runFor(230); // one finished episode (best actor present), updates running, mid episode 2
    good = trainer.checkpoint();
    trainer.dispose();
  });

  /** A deep copy of the good checkpoint changed by `edit`. */
  const broken = (edit: (checkpoint: TrainerCheckpoint & { state: TrainerState & { agent: SacAgentState } }) => void): unknown => {
    const copy = structuredClone(good) as TrainerCheckpoint & { state: TrainerState & { agent: SacAgentState } };
    edit(copy);
    return copy;
  };

  const cases: Array<[string, () => unknown, RegExp]> = [
    ['not an object', () => 'hello', /expected an object/],
    ['null', () => null, /expected an object/],
    ['another version', () => broken((c) => Object.assign(c, { version: 2 })), /version 2.*version 1/],
    ['an unknown algorithm', () => broken((c) => Object.assign(c, { algorithm: 'a2c' })), /algorithm "a2c".*known: sac, ddpg, td3, ppo, trpo/],
    // PPO is known but is not an off-policy (SAC) checkpoint: refused naming both.
    ['another algorithm\'s checkpoint', () => broken((c) => Object.assign(c, { algorithm: 'ppo' })), /PPO run, and this reads SAC runs/],
    ['a config without gamma', () => broken((c) => delete (c.config as Partial<SacConfig>).gamma), /config lacks gamma/],
    ['a config out of range', () => broken((c) => Object.assign(c.config, { gamma: 3 })), /config is out of range.*gamma/],
    ['a negative counter', () => broken((c) => Object.assign(c.counters, { updates: -1 })), /counter updates/],
    ['counters that do not match the env', () => broken((c) => Object.assign(c.counters, { totalSteps: 231 })), /step count 231 does not match/],
    ['a missing score', () => broken((c) => c.scores.pop()), /one score per finished episode \(1\)/],
    ['a NaN score', () => broken((c) => (c.scores[0] = Number.NaN)), /scores must be finite/],
    ['an unknown stop reason', () => broken((c) => Object.assign(c, { stopReason: 'tired' })), /stop reason "tired"/],
    ['a broken generator state', () => broken((c) => (c.state.rng.words = [1, 2, 3] as unknown as [number, number, number, number])), /4 words/],
    ['a missing pendulum angle', () => broken((c) => delete (c.state.env as Partial<TrainerState['env']>).theta), /theta must be a finite number/],
    ['an observation of the wrong length', () => broken((c) => (c.state.observation = new Float32Array(2))), /observation must be 3 finite/],
    ['a replay buffer of the wrong length', () => broken((c) => (c.state.buffer.rewards = c.state.buffer.rewards.slice(1))), /replay buffer's rewards has 229 values, 230 transitions need 230/],
    ['a replay buffer as a plain array', () => broken((c) => Object.assign(c.state.buffer, { masks: Array.from(c.state.buffer.masks) })), /masks must be a Float32Array/],
    ['actor weights for another hidden size', () => broken((c) => (c.state.agent.actor = new Float32Array(100))), /actor weights has 100 values, hidden size 16 needs 370/],
    ['NaN in the critic', () => broken((c) => (c.state.agent.critic[5] = Number.NaN)), /critic weights contains NaN/],
    ['an optimiser moment of the wrong length', () => broken((c) => (c.state.agent.criticOptimizer.firstMoment = new Float32Array(3))), /critic optimiser's first moment has 3 values/],
    ['a statistics sum of the wrong length', () => broken((c) => (c.state.episode.statsSum = new Float32Array(2))), /statistics sum has 2 values, SAC reports 5/],
    ['a missing best actor', () => broken((c) => (c.state.best = null)), /best actor is missing/],
    ['a best actor of the wrong size', () => broken((c) => c.state.best && (c.state.best.actor = new Float32Array(4))), /best actor must be 370 finite/],
  ];

  for (const [name, make, message] of cases) {
    it(`refuses ${name}`, async () => {
      const value = make();
      expect(() => validateCheckpoint(value)).toThrow(message);
      const tensorsBefore = tf.memory().numTensors;
      await expect(Trainer.restore(value as TrainerCheckpoint)).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('accepts the good checkpoint and its structured clone (control for the cases above)', () => {
    expect(() => validateCheckpoint(good)).not.toThrow();
    expect(validateCheckpoint(structuredClone(good)).counters.totalSteps).toBe(230);
    expect(good.version).toBe(CHECKPOINT_VERSION);
  });

  it('accepts NaN weights in a run that stopped because of them (so it can still be saved and reloaded)', async () => {
    const nanRun = broken((c) => {
      c.state.agent.critic[5] = Number.NaN;
      c.stopReason = 'nonFinite';
    }) as TrainerCheckpoint;
    expect(() => validateCheckpoint(nanRun)).not.toThrow();
    const after = await restored(nanRun);
    expect(after.stopReason).toBe('nonFinite');
    after.setLiveConfig({ maxSteps: 10_000 });
    expect(after.stopReason).toBe('nonFinite');
  });

  it('saves and restores a run that really stopped on NaN (its final checkpoint must load after a reload)', async () => {
    const trainer = await newTrainer({ seed: 2 });
    // The acting copy is never refreshed, so actions stay finite and the NaN losses are what stops the
    // run, at the end of episode 1: a finished episode, NaN weights and no best actor.
    tfjsAgent(trainer).policySyncInterval = 1_000_000;
    trainer.runFor(20);
    const kernel = tfjsAgent(trainer).critic.q1[2] as tf.Variable;
    kernel.assign(tf.fill(kernel.shape, Number.NaN));
    trainer.runFor(10_000);
    expect(trainer.stopReason).toBe('nonFinite');
    expect(trainer.episodesDone).toBe(1);
    expect(trainer.best100).toBeNull();
    const after = await restored(structuredClone(trainer.checkpoint()));
    expect(after.stopReason).toBe('nonFinite');
    expect(after.totalSteps).toBe(trainer.totalSteps);
    expect(after.runFor(10).steps).toBe(0);
  });

  it('keeps only the hyperparameter table keys of a config', () => {
    const extra = broken((c) => Object.assign(c.config, { somethingElse: 1 }));
    expect(validateCheckpoint(extra).config).toEqual(good.config);
  });
});

describe('tensor memory', () => {
  it('keeps tf.memory().numTensors flat over 20 create → train → checkpoint → restore → dispose cycles', async () => {
    const cycle = async (seed: number): Promise<void> => {
      const trainer = await Trainer.create(makeConfig({ ...small, seed }));
      trainer.runFor(20); // 4 updates: the episode's statistics sum is a live tensor at the checkpoint
      const checkpoint = structuredClone(trainer.checkpoint());
      trainer.dispose();
      const after = await Trainer.restore(checkpoint);
      after.runFor(5);
      after.dispose();
    };
    await cycle(0); // warm-up: tfjs allocates a few backend tensors once
    const baseline = tf.memory().numTensors;
    for (let seed = 1; seed <= 20; seed++) await cycle(seed);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('user stop', () => {
  it('stops with reason user, and a live change does not reopen the run', async () => {
    const trainer = await newTrainer({ seed: 1, maxSteps: 50 });
    trainer.runFor(10);
    trainer.stop();
    expect(trainer.stopReason).toBe('user');
    expect(trainer.runFor(10).steps).toBe(0);
    trainer.setLiveConfig({ maxSteps: 500, actorLr: 1e-3 });
    expect(trainer.stopReason).toBe('user');
    expect(trainer.config.actorLr).toBe(1e-3);
    // The stop survives a checkpoint.
    const after = await restored(structuredClone(trainer.checkpoint()));
    expect(after.stopReason).toBe('user');
    expect(after.runFor(10).steps).toBe(0);
  });

  it('a run stopped at a limit still reopens when the limit is raised (the rule user stop must not break)', async () => {
    const trainer = await newTrainer({ seed: 1, maxSteps: 30 });
    trainer.runFor(100);
    expect(trainer.stopReason).toBe('maxSteps');
    trainer.setLiveConfig({ maxSteps: 40 });
    expect(trainer.stopReason).toBeNull();
  });
});
