/**
 * Sessions of DDPG, TD3, PPO and TRPO (issue 8) in Node on the tfjs cpu backend with a fake clock:
 * creation reports the algorithm and its table's config, slices are whole vector steps, episodes carry
 * the algorithm's metrics, checkpoint → restore continues exactly as the uninterrupted run, live changes
 * go through the algorithm's table, an on-policy run refuses SAC actor files, and no tensor is left
 * behind. Small networks and short rollouts keep it quick.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS, type AlgorithmId } from '../../src/rl/algorithm';
import type { AlgorithmConfig } from '../../src/rl/algorithmSettings';
import { TrainingSession, describeStop } from '../../src/worker/session';
import { createSessionTrainer, restoreSessionTrainer } from '../../src/worker/sessionTrainers';
import { createMessage, deterministicPart, openSession, SessionHarness, type OpenOptions } from './sessionHarness';

/** Per algorithm: a small, fast config (updates and episodes within a few hundred env steps). */
const SMALL: Readonly<Record<AlgorithmId, AlgorithmConfig>> = {
  sac: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, stopAtGoal: false },
  ddpg: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, learningStarts: 50, stopAtGoal: false },
  td3: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, learningStarts: 50, stopAtGoal: false },
  ppo: { hiddenSize: 8, nEnvs: 2, nSteps: 16, batchSize: 16, nEpochs: 1, stopAtGoal: false },
  trpo: { hiddenSize: 8, nEnvs: 2, nSteps: 16, batchSize: 16, cgMaxSteps: 3, lineSearchMaxIter: 3, nCriticUpdates: 1, stopAtGoal: false },
};
/** Env steps per vector step of each small config. */
const UNIT: Readonly<Record<AlgorithmId, number>> = { sac: 1, ddpg: 1, td3: 1, ppo: 2, trpo: 2 };
const NEW_ALGORITHMS = ['ddpg', 'td3', 'ppo', 'trpo'] as const;

const harnesses: SessionHarness[] = [];
async function open(algorithm: AlgorithmId, options: Partial<OpenOptions> = {}): Promise<SessionHarness> {
  const harness = await openSession({ algorithm, ...options, config: { ...SMALL[algorithm], ...options.config } });
  harnesses.push(harness);
  return harness;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterEach(() => {
  while (harnesses.length > 0) harnesses.pop()?.session?.dispose();
});

describe.each(NEW_ALGORITHMS)('a %s session', (algorithm) => {
  it('reports its algorithm and config, trains in whole vector steps, and its episodes carry its metrics', async () => {
    const h = await open(algorithm, { config: { seed: 7 } });
    const created = h.last('sessionCreated');
    expect(created).toMatchObject({ runId: 'run-1', algorithm, totalSteps: 0, episodesDone: 0 });
    expect(created?.config).toMatchObject(SMALL[algorithm]);
    expect(created?.config.seed).toBe(7);

    const unit = UNIT[algorithm];
    const stepCounts: number[] = [];
    // 200 ms a tick: a progress batch after every slice. One episode per env ends at 200 vector steps.
    await h.run({ msPerTick: 200, until: () => h.episodes().length >= unit, afterTick: () => stepCounts.push(h.live.totalSteps) });
    expect(stepCounts.every((steps) => steps % unit === 0)).toBe(true);
    expect(h.of('frame').every((frame) => frame.data[3] !== undefined && (frame.data[3] ?? -1) < 200)).toBe(true);

    const episodes = h.episodes();
    expect(episodes.length).toBeGreaterThanOrEqual(unit);
    for (const episode of episodes) {
      expect(episode.step).toBe(200 * unit);
      for (const { key } of ALGORITHMS[algorithm].metrics) {
        // Updates ran before the first episode ended (learning_starts 50; rollouts of 32 env steps): finite.
        expect(Number.isFinite(episode[key]), `${algorithm} ${key}`).toBe(true);
      }
    }
    // Every update up to the last episode's end is counted in some episode (the rest belong to the next).
    const counted = episodes.reduce((sum, episode) => sum + episode.updates, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThanOrEqual(h.last('progress')?.updates ?? 0);
  });

  it('a live key reaches the trainer; a restart-only or foreign key is refused, naming the setting', async () => {
    const h = await open(algorithm);
    await h.run({ msPerTick: 1, maxTicks: 4 });
    const liveKey = algorithm === 'ddpg' || algorithm === 'td3' ? 'actorLr' : 'learningRate';
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 1, partial: { [liveKey]: 5e-4, gamma: 0.95 } });
    expect(h.last('configApplied')).toMatchObject({ requestId: 1, partial: { [liveKey]: 5e-4, gamma: 0.95 }, atStep: h.live.totalSteps });
    expect(h.live.config[liveKey]).toBe(5e-4);
    expect(h.live.config.gamma).toBe(0.95);

    const restartKey = algorithm === 'ddpg' || algorithm === 'td3' ? 'bufferSize' : 'nEnvs';
    const label = algorithm === 'ddpg' || algorithm === 'td3' ? /\(buffer_size\) applies only when training restarts/ : /Parallel envs \(n_envs\) applies only when training restarts/;
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 2, partial: { [restartKey]: 4000 } });
    expect(h.last('configRejected')).toMatchObject({ requestId: 2, partial: { [restartKey]: 4000 } });
    expect(h.last('configRejected')?.message).toMatch(label);
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 3, partial: { alphaLr: 1e-3 } });
    expect(h.last('configRejected')?.message).toMatch(/Unknown hyperparameter "alphaLr"/);
    expect(h.live.config[restartKey]).toBe(SMALL[algorithm][restartKey] ?? expect.any(Number));
    expect(h.live.config[restartKey]).not.toBe(4000);
  });

  it('exports its actor as <algorithm>-pendulum-<run> files, in checkpoints too', async () => {
    const h = await open(algorithm, { start: 'paused' });
    await h.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 1, runName: 'demo', which: 'final' });
    const files = h.last('actorExported')?.files;
    expect(files?.weightsFileName).toBe(`${algorithm}-pendulum-demo.weights.bin`);
    expect(files?.modelJson).toContain(`./${algorithm}-pendulum-demo.weights.bin`);
    await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 2 });
    // The export named the run 'demo' (a renamed run's later files carry the new name).
    expect(h.last('checkpoint')?.finalActor.weightsFileName).toBe(`${algorithm}-pendulum-demo.weights.bin`);
    expect(h.last('checkpoint')?.checkpoint.algorithm).toBe(algorithm);
  });
});

describe('checkpoint → restore continues as the uninterrupted run', () => {
  it.each(['td3', 'ppo'] as const)('%s, checkpointed mid-episode (and, for PPO, mid-rollout)', async (algorithm) => {
    const unit = UNIT[algorithm];
    const original = await open(algorithm, { config: { seed: 11 } });
    await original.run({ msPerTick: 1, until: () => original.live.totalSteps >= 150 });
    await original.live.handle({ type: 'pause', runId: 'run-1' });
    const saved = original.last('checkpoint')?.checkpoint;
    if (!saved) throw new Error('no checkpoint');
    const savedSteps = saved.counters.totalSteps;
    expect(savedSteps).toBe(original.live.totalSteps);
    expect(savedSteps % (200 * unit)).not.toBe(0);
    if (algorithm === 'ppo') expect(savedSteps % 32).not.toBe(0); // n_steps 16 × n_envs 2: a partial rollout

    const savedEpisodes = saved.counters.episodesDone;
    const restored = await open(algorithm, { runId: 'run-2', checkpoint: saved, config: { seed: 11 } });
    expect(restored.last('sessionCreated')).toMatchObject({ algorithm, totalSteps: savedSteps, episodesDone: savedEpisodes });
    await original.live.handle({ type: 'resume', runId: 'run-1' });
    const more = unit * 2; // the episode in progress at the checkpoint and the next one, in every env
    await original.run({ msPerTick: 200, until: () => original.episodes().length >= savedEpisodes + more });
    await restored.run({ msPerTick: 200, until: () => restored.episodes().length >= more });
    const continued = original.episodes().slice(savedEpisodes, savedEpisodes + more).map(deterministicPart);
    const resumed = restored.episodes().slice(0, more).map(deterministicPart);
    expect(resumed[0]?.episode).toBe(savedEpisodes + 1);
    expect(resumed).toHaveLength(more);
    expect(resumed).toEqual(continued);
  });

  it('a checkpoint of another algorithm than the message names is refused (fatal), naming both', async () => {
    const td3 = await open('td3', { start: 'paused' });
    await td3.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 1 });
    const saved = td3.last('checkpoint')?.checkpoint;
    if (!saved) throw new Error('no checkpoint');
    const h = new SessionHarness();
    const session = await TrainingSession.create(createMessage({ algorithm: 'ppo', config: SMALL.ppo, checkpoint: saved, runId: 'x' }), { post: h.post, now: h.clock.now });
    expect(session).toBeNull();
    expect(h.last('error')).toMatchObject({ runId: 'x', fatal: true });
    expect(h.last('error')?.message).toBe('Could not restore the run: the checkpoint is of a TD3 run, not the PPO run it was sent for');
  });
});

describe('creation errors', () => {
  it('bad values are refused against the algorithm’s table, each named', async () => {
    const h = new SessionHarness();
    const message = createMessage({ algorithm: 'ppo', config: { nEnvs: 0, gamma: 2, actorLr: 1e-3 } });
    expect(await TrainingSession.create(message, { post: h.post, now: h.clock.now })).toBeNull();
    const text = h.last('error')?.message ?? '';
    expect(h.last('error')?.fatal).toBe(true);
    expect(text).toMatch(/^Could not create the run: /);
    expect(text).toMatch(/n_envs/);
    expect(text).toMatch(/gamma/);
    expect(text).toMatch(/Unknown hyperparameter "actorLr"/);
  });

  it('an unknown algorithm is refused, listing the known ones', async () => {
    const h = new SessionHarness();
    const message = { ...createMessage({ algorithm: 'ppo', config: {} }), algorithm: 'a2c' as AlgorithmId };
    expect(await TrainingSession.create(message, { post: h.post, now: h.clock.now })).toBeNull();
    expect(h.last('error')?.message).toBe('Could not create the run: Unknown algorithm "a2c" (known: sac, ddpg, td3, ppo, trpo)');
  });
});

describe('sessionTrainers', () => {
  it('picks the trainer by the checkpoint’s own algorithm; refuses one without a known algorithm', async () => {
    const trpo = await createSessionTrainer('trpo', SMALL.trpo);
    expect(trpo).toMatchObject({ algorithm: 'trpo', stepGranularity: 2, firstUpdateStep: 32 });
    trpo.runFor(10);
    const restored = await restoreSessionTrainer(structuredClone(trpo.checkpoint()));
    expect(restored).toMatchObject({ algorithm: 'trpo', totalSteps: 10 });
    const ddpg = await createSessionTrainer('ddpg', SMALL.ddpg);
    expect(ddpg).toMatchObject({ algorithm: 'ddpg', stepGranularity: 1, firstUpdateStep: 51 });
    await expect(restoreSessionTrainer({ ...trpo.checkpoint(), algorithm: 'a2c' })).rejects.toThrow(/algorithm "a2c" is not one of sac, ddpg, td3, ppo, trpo/);
    await expect(restoreSessionTrainer(null)).rejects.toThrow('the checkpoint names no algorithm (known: sac, ddpg, td3, ppo, trpo)');
    for (const trainer of [trpo, restored, ddpg]) trainer.dispose();
  });

  it('describeStop speaks of the run’s own goal score and what went NaN in its algorithm', async () => {
    const ppo = await createSessionTrainer('ppo', { ...SMALL.ppo, goalScore: -250 });
    expect(describeStop('goal', ppo)).toMatch(/^Goal reached at episode 0: the mean of the last 100 scores is above -250\./);
    expect(describeStop('nonFinite', ppo)).toMatch(/^Training stopped at step 0: a network weight or an action became NaN or infinite\./);
    ppo.dispose();
  });
});

describe('on-policy specifics', () => {
  it('PPO refuses actor files with a sentence, and its run is unchanged', async () => {
    const sac = await open('sac', { start: 'paused' });
    await sac.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 1, runName: 's', which: 'final' });
    const sacFiles = sac.last('actorExported')?.files;
    if (!sacFiles) throw new Error('no export');
    const ppo = await open('ppo', { runId: 'run-2', start: 'paused' });
    await ppo.live.handle({ type: 'requestCheckpoint', runId: 'run-2', requestId: 1 });
    const before = ppo.last('checkpoint')?.checkpoint.state;
    await ppo.live.handle({ type: 'importActor', runId: 'run-2', requestId: 2, files: sacFiles });
    expect(ppo.last('actorImported')).toBeUndefined();
    expect(ppo.last('actorFailed')).toMatchObject({ requestId: 2, operation: 'import' });
    expect(ppo.last('actorFailed')?.message).toBe(
      `Could not load ${sacFiles.weightsFileName}: Loading actor weights is supported for SAC, DDPG and TD3 runs; this is a PPO run. The run is unchanged.`,
    );
    await ppo.live.handle({ type: 'requestCheckpoint', runId: 'run-2', requestId: 3 });
    expect(ppo.last('checkpoint')?.checkpoint.state).toEqual(before);
    expect(ppo.of('error')).toHaveLength(0);
  });

  it('watch mode is real time for the drawn pendulum: 20 vector steps per second', async () => {
    const h = await open('ppo', { speed: { mode: 'watch', multiplier: 1 } });
    const start = h.clock.time;
    await h.run({ until: () => h.clock.time - start >= 3000 });
    expect(Math.abs(h.live.totalSteps - 3 * 20 * 2)).toBeLessThanOrEqual(2);
    expect(h.live.totalSteps % 2).toBe(0);
  });

  it('stops at its own step limit with the generic sentence and a final checkpoint', async () => {
    const h = await open('trpo', { config: { maxSteps: 64 } });
    await h.run({ msPerTick: 1 });
    expect(h.live.phase).toBe('stopped');
    expect(h.last('notice')?.message).toBe('Training stopped after 64 env steps (Maximum env steps).');
    expect(h.last('checkpoint')).toMatchObject({ reason: 'stop', checkpoint: { algorithm: 'trpo', stopReason: 'maxSteps' } });
  });

  it('tests its deterministic actor in real time', async () => {
    const h = await open('ppo', { start: 'paused' });
    await h.live.handle({ type: 'startTest', runId: 'run-1' });
    const start = h.clock.time;
    await h.run({ until: () => h.clock.time - start >= 10_100 });
    expect(h.of('testEpisode')).toHaveLength(1);
    expect(h.live.totalSteps).toBe(0);
  });
});

describe('tensors', () => {
  it('numTensors is flat over create / train / checkpoint / dispose of every algorithm', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (const algorithm of ['sac', 'ddpg', 'td3', 'ppo', 'trpo'] as const) {
      for (let cycle = 0; cycle < 2; cycle += 1) {
        const h = await open(algorithm, { runId: `${algorithm}-${cycle}`, config: { seed: cycle } });
        // Past the first update (SAC 17, DDPG/TD3 51, PPO/TRPO 32 env steps) and the first episode (best actor).
        await h.run({ msPerTick: 200, until: () => h.episodes().length > 0 });
        await h.live.handle({ type: 'pause', runId: `${algorithm}-${cycle}` });
        expect(h.last('checkpoint')?.bestActor).not.toBeNull();
        h.live.dispose();
        expect(h.last('sessionDisposed')?.numTensors).toBe(before);
        harnesses.pop();
        counts.push(tf.memory().numTensors);
      }
    }
    expect(counts).toEqual(counts.map(() => before));
  });
});
