/**
 * TrainingSession in Node on the tfjs cpu backend, with a fake clock and the posted messages captured:
 * pacing, lifecycle, progress/checkpoint ordering, interval checkpoints, restore, live config, the test
 * policy, actor export/import, errors and tensor accounting. Small networks (hidden 16, batch 16) keep it quick.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Pendulum } from '../../src/rl/env/pendulum';
import { makeConfig, type SacConfig } from '../../src/rl/sac/config';
import { Trainer } from '../../src/rl/trainer';
import type { TrainerCheckpoint } from '../../src/rl/checkpoint';
import { liveSettingDifferences } from '../../src/rl/algorithmSettings';
import type { RunCheckpoint } from '../../src/rl/runCheckpoint';
import type { EpisodeMetrics } from '../../src/rl/types';
import { CHECKPOINT_INTERVAL_MS, type CreateSessionMessage, type SpeedSetting, type WorkerToPage } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';

const SMALL: Partial<SacConfig> = { hiddenSize: 16, batchSize: 16, bufferSize: 2000, stopAtGoal: false };

/** A clock that moves only when the test says so. */
class FakeClock {
  time = 1000;
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

type Message<T extends WorkerToPage['type']> = Extract<WorkerToPage, { type: T }>;

class Harness {
  readonly posts: WorkerToPage[] = [];
  readonly clock = new FakeClock();
  session: TrainingSession | null = null;

  /** Every transfer list passed with a message, by message. */
  readonly transfers = new Map<WorkerToPage, Transferable[]>();

  readonly post = (message: WorkerToPage, transfer: Transferable[] = []): void => {
    // What postMessage does: the page gets a structured clone, and the transferred buffers are detached
    // on the session's side (a session that kept using one would see it empty).
    const copy = structuredClone(message, { transfer });
    this.posts.push(copy);
    this.transfers.set(copy, transfer);
  };

  of<T extends WorkerToPage['type']>(type: T): Array<Message<T>> {
    return this.posts.filter((message): message is Message<T> => message.type === type);
  }

  last<T extends WorkerToPage['type']>(type: T): Message<T> | undefined {
    const all = this.of(type);
    return all[all.length - 1];
  }

  phases(): string[] {
    return this.of('phase').map((message) => message.phase);
  }

  /** Every episode sent in progress messages, in order. */
  episodes(): EpisodeMetrics[] {
    return this.of('progress').flatMap((message) => message.episodes);
  }

  get live(): TrainingSession {
    if (!this.session) throw new Error('no session');
    return this.session;
  }

  /** Ticks until `done` or `maxTicks`, moving the clock by `msPerTick` (or by the delay the session asked for). */
  async run(options: { msPerTick?: number; maxTicks?: number; until?: () => boolean }): Promise<void> {
    // A bound, so a wrong `until` fails the test instead of training for ever.
    const maxTicks = options.maxTicks ?? 400;
    for (let i = 0; i < maxTicks; i += 1) {
      if (options.until?.()) return;
      const next = await this.live.tick();
      if (next === null) return;
      this.clock.advance(options.msPerTick ?? next);
    }
  }
}

const harnesses: Harness[] = [];

async function open(
  options: { config?: Partial<SacConfig>; start?: 'running' | 'paused'; speed?: SpeedSetting; checkpoint?: RunCheckpoint; runId?: string; keepLastCheckpoint?: boolean } = {},
): Promise<Harness> {
  const harness = new Harness();
  const message: CreateSessionMessage = {
    type: 'createSession',
    runId: options.runId ?? 'run-1',
    runName: 'test-run',
    algorithm: 'sac',
    config: makeConfig({ ...SMALL, ...options.config }),
    backend: 'cpu',
    speed: options.speed ?? { mode: 'fast', multiplier: 1 },
    start: options.start ?? 'running',
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
  harness.session = await TrainingSession.create(message, { post: harness.post, now: harness.clock.now, keepLastCheckpoint: options.keepLastCheckpoint ?? false });
  harnesses.push(harness);
  return harness;
}

/** Episode metrics without the wall-clock fields (those differ between two runs of the same seed). */
function deterministicPart(episode: EpisodeMetrics): Omit<EpisodeMetrics, 'wallSeconds' | 'updatesPerSecond'> {
  const { wallSeconds: _wall, updatesPerSecond: _rate, ...rest } = episode;
  return rest;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterEach(() => {
  vi.restoreAllMocks();
  while (harnesses.length > 0) harnesses.pop()?.session?.dispose();
});

describe('TrainingSession: creation', () => {
  it('announces sessionCreated at step 0, a training frame, then the phase asked for', async () => {
    const h = await open({ start: 'paused' });
    expect(h.posts.map((message) => message.type)).toEqual(['sessionCreated', 'frame', 'phase']);
    const created = h.last('sessionCreated');
    expect(created).toMatchObject({ runId: 'run-1', totalSteps: 0, episodesDone: 0 });
    expect(created?.config.hiddenSize).toBe(16);
    expect(h.last('frame')?.source).toBe('train');
    expect(h.phases()).toEqual(['paused']);
    expect(await h.live.tick()).toBeNull();
  });

  it('an invalid config fails with a fatal error and no session', async () => {
    const h = new Harness();
    const message: CreateSessionMessage = {
      type: 'createSession', runId: 'bad', runName: 'bad', algorithm: 'sac', config: { ...makeConfig(SMALL), hiddenSize: -3 },
      backend: 'cpu', speed: { mode: 'fast', multiplier: 1 }, start: 'running',
    };
    const session = await TrainingSession.create(message, { post: h.post, now: h.clock.now });
    expect(session).toBeNull();
    const error = h.last('error');
    expect(error).toMatchObject({ runId: 'bad', fatal: true });
    expect(error?.message).toMatch(/Could not create the run: .*Hidden/i);
  });

  it('a malformed checkpoint fails with a fatal error naming the restore', async () => {
    const h = new Harness();
    const message: CreateSessionMessage = {
      type: 'createSession', runId: 'foreign', runName: 'x', algorithm: 'sac', config: makeConfig(SMALL), backend: 'cpu',
      speed: { mode: 'fast', multiplier: 1 }, start: 'paused',
      checkpoint: { version: 99, nonsense: true } as unknown as TrainerCheckpoint,
    };
    expect(await TrainingSession.create(message, { post: h.post, now: h.clock.now })).toBeNull();
    expect(h.last('error')).toMatchObject({ runId: 'foreign', fatal: true });
    expect(h.last('error')?.message).toMatch(/^Could not restore the run: /);
  });
});

describe('TrainingSession: pacing', () => {
  it('fast mode keeps asking to run at once and trains until paused', async () => {
    const h = await open();
    const delays: Array<number | null> = [];
    for (let i = 0; i < 6; i += 1) {
      delays.push(await h.live.tick());
      h.clock.advance(5);
    }
    expect(delays).toEqual([0, 0, 0, 0, 0, 0]);
    const stepsBeforePause = h.live.totalSteps;
    // The fake clock sees no time pass inside a slice, so slices double (+1) from 1 step, cut once at the
    // warm-up boundary (step batch_size + 1 = 17): 1, 3, 7, 6, 31, 63 → 111 steps.
    expect(stepsBeforePause).toBe(111);
    await h.live.handle({ type: 'pause', runId: 'run-1' });
    expect(h.phases()).toEqual(['running', 'paused']);
    expect(await h.live.tick()).toBeNull();
    expect(h.live.totalSteps).toBe(stepsBeforePause);
  });

  for (const multiplier of [1, 4]) {
    it(`watch mode ×${multiplier} follows the wall clock: ${20 * multiplier} env steps per simulated second`, async () => {
      const h = await open({ speed: { mode: 'watch', multiplier } });
      const start = h.clock.time;
      const seconds = 3;
      await h.run({ until: () => h.clock.time - start >= seconds * 1000 });
      const expected = 20 * multiplier * seconds;
      // One step of slack either way: the run stops at the first tick at or past the 3 s mark.
      expect(Math.abs(h.live.totalSteps - expected)).toBeLessThanOrEqual(1);
    });
  }

  it('a speed change takes effect from the next tick', async () => {
    const h = await open({ speed: { mode: 'watch', multiplier: 1 } });
    const startA = h.clock.time;
    await h.run({ until: () => h.clock.time - startA >= 1000 });
    const afterWatch = h.live.totalSteps;
    await h.live.handle({ type: 'setSpeed', runId: 'run-1', speed: { mode: 'watch', multiplier: 10 } });
    const startB = h.clock.time;
    await h.run({ until: () => h.clock.time - startB >= 1000 });
    expect(h.live.totalSteps - afterWatch).toBeGreaterThanOrEqual(199);
    expect(h.live.totalSteps - afterWatch).toBeLessThanOrEqual(201);
  });
});

describe('TrainingSession: lifecycle', () => {
  it('create → running → pause → resume → stop, with a checkpoint at pause and at stop', async () => {
    const h = await open();
    await h.run({ msPerTick: 10, maxTicks: 6 });
    await h.live.handle({ type: 'pause', runId: 'run-1' });
    const pausedCheckpoint = h.last('checkpoint');
    expect(pausedCheckpoint?.reason).toBe('pause');
    expect(pausedCheckpoint?.checkpoint.counters.totalSteps).toBe(h.live.totalSteps);
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    expect(await h.live.tick()).toBe(0);
    await h.live.handle({ type: 'stop', runId: 'run-1' });
    expect(h.phases()).toEqual(['running', 'paused', 'running', 'stopped']);
    expect(h.last('phase')?.stopReason).toBe('user');
    const stopCheckpoint = h.last('checkpoint');
    expect(stopCheckpoint?.reason).toBe('stop');
    expect(stopCheckpoint?.checkpoint.stopReason).toBe('user');
    expect(stopCheckpoint?.finalActor.weightsBin.byteLength).toBeGreaterThan(0);
    const steps = h.live.totalSteps;
    expect(await h.live.tick()).toBeNull();
    // A stopped run can't resume as it is: resume says why and does not train.
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    expect(h.last('notice')?.message).toMatch(/can't resume/);
    expect(await h.live.tick()).toBeNull();
    expect(h.live.totalSteps).toBe(steps);
  });

  it('a stop by the run itself (episode limit) sends its episodes, then the phase, the reason and a final checkpoint', async () => {
    const h = await open({ config: { maxEpisodes: 1 } });
    await h.run({ msPerTick: 1 });
    expect(h.live.phase).toBe('stopped');
    const types = h.posts.map((message) => message.type);
    const lastProgress = h.posts.findIndex((message) => message.type === 'progress' && message.episodes.some((episode) => episode.episode === 1));
    const stopPhase = h.posts.findIndex((message) => message.type === 'phase' && message.phase === 'stopped');
    const notice = types.lastIndexOf('notice');
    const checkpoint = types.lastIndexOf('checkpoint');
    expect(lastProgress).toBeLessThan(stopPhase);
    expect(stopPhase).toBeLessThan(notice);
    expect(notice).toBeLessThan(checkpoint);
    expect(h.episodes().map((episode) => episode.episode)).toEqual([1]);
    expect(h.last('phase')?.stopReason).toBe('maxEpisodes');
    expect(h.last('notice')?.message).toBe('Training stopped after 1 episodes (Maximum episodes).');
    expect(h.last('checkpoint')).toMatchObject({ reason: 'stop', checkpoint: { stopReason: 'maxEpisodes', counters: { episodesDone: 1, totalSteps: 200 } } });
    expect(h.last('checkpoint')?.best100).toEqual({ value: expect.any(Number) as number, episode: expect.any(Number) as number });
    expect(h.last('checkpoint')?.bestActor).not.toBeNull();
  });
});

describe('TrainingSession: progress and checkpoints', () => {
  it('every episode goes out exactly once, and before any checkpoint that covers it', async () => {
    // Watch ×10 with 50 ms ticks: 10 steps a slice, a progress batch every 4th slice (200 ms). Episodes end
    // at steps 200, 400, 600 (slices 20, 40, 60), three slices after a batch went out, and a checkpoint is
    // requested right then: it covers an episode no batch has carried yet, so it must flush one first.
    const h = await open({ speed: { mode: 'watch', multiplier: 10 } });
    let requestId = 0;
    for (let slice = 1; slice <= 65; slice += 1) {
      h.clock.advance(50);
      await h.live.tick();
      if (slice % 4 === 0) await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: ++requestId });
    }
    expect(h.live.totalSteps).toBe(650);
    await h.live.handle({ type: 'pause', runId: 'run-1' });
    const numbers = h.episodes().map((episode) => episode.episode);
    expect(numbers.length).toBe(3);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => index + 1));
    const checkpoints = h.of('checkpoint');
    expect(checkpoints.some((message) => message.reason === 'request')).toBe(true);
    expect(checkpoints.some((message) => message.requestId === 1)).toBe(true);
    for (const checkpoint of checkpoints) {
      const at = h.posts.indexOf(checkpoint);
      const sentBefore = h.posts.slice(0, at).flatMap((message) => (message.type === 'progress' ? message.episodes : []));
      expect(sentBefore.length).toBe(checkpoint.checkpoint.counters.episodesDone);
    }
    expect(h.last('checkpoint')?.checkpoint.counters.episodesDone).toBe(numbers.length);
  });

  it('checkpoints after CHECKPOINT_INTERVAL_MS of training time; paused time does not count', async () => {
    // Watch mode keeps the slices tiny (the clock jumps 1 s a tick, so it re-anchors: 1 step a tick).
    const h = await open({ speed: { mode: 'watch', multiplier: 1 } });
    const tickMs = 1000;
    const intervalTicks = CHECKPOINT_INTERVAL_MS / tickMs;
    // Training time moves between ticks: the k-th tick sees (k − 1) s of training.
    for (let k = 1; k <= intervalTicks; k += 1) {
      await h.live.tick();
      expect(h.of('checkpoint')).toHaveLength(0);
      h.clock.advance(tickMs);
    }
    await h.live.tick();
    expect(h.of('checkpoint').map((message) => message.reason)).toEqual(['interval']);

    await h.live.handle({ type: 'pause', runId: 'run-1' });
    expect(h.of('checkpoint')).toHaveLength(2);
    h.clock.advance(60_000); // a minute paused
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    for (let k = 1; k < intervalTicks; k += 1) {
      h.clock.advance(tickMs);
      await h.live.tick();
    }
    expect(h.of('checkpoint')).toHaveLength(2);
    h.clock.advance(tickMs);
    await h.live.tick();
    expect(h.of('checkpoint').map((message) => message.reason)).toEqual(['interval', 'pause', 'interval']);
    // elapsedSeconds is the trainer's training time (real time inside runFor): never the paused minute.
    expect(h.last('progress')?.elapsedSeconds).toBeLessThan(60);
  });

  it('progress is batched: at most one per PROGRESS_INTERVAL_MS of clock; one frame per slice', async () => {
    const h = await open({ speed: { mode: 'watch', multiplier: 10 } });
    for (let i = 0; i < 30; i += 1) {
      h.clock.advance(20);
      await h.live.tick();
    }
    // 30 ticks of 20 ms (4 steps each at 200/s) = 600 ms: flushes at 20, 220, 420 ms, not one per tick.
    expect(h.of('progress')).toHaveLength(3);
    expect(h.live.totalSteps).toBe(120);
    expect(h.of('frame')).toHaveLength(31); // one per slice, plus the one at creation
  });
});

describe('TrainingSession: checkpoint transfer', () => {
  it('transfers the checkpoint arrays when it keeps no copy, and training goes on unharmed', async () => {
    const h = await open();
    await h.run({ msPerTick: 1, maxTicks: 5 }); // 48 steps: buffer, Adam moments and statistics sum exist
    await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 1 });
    const message = h.last('checkpoint');
    if (!message) throw new Error('no checkpoint');
    const transferred = h.transfers.get(message) ?? [];
    // Actor weights, plus one buffer per typed array of the state (replay buffer, networks, moments, …),
    // each now detached on the session's side, while the page's copy is whole.
    expect(transferred.length).toBeGreaterThan(5);
    expect(transferred.every((buffer) => buffer instanceof ArrayBuffer && buffer.byteLength === 0)).toBe(true);
    expect(message.finalActor.weightsBin.byteLength).toBeGreaterThan(0);
    expect(h.live.lastCheckpoint).toBeNull();
    const steps = h.live.totalSteps;
    await h.run({ msPerTick: 1, maxTicks: 2 });
    expect(h.live.totalSteps).toBeGreaterThan(steps);
    await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 2 });
    expect(h.last('checkpoint')?.checkpoint.counters.totalSteps).toBe(h.live.totalSteps);
  });

  it('keeps its own intact copy (and transfers only the actor files) when the host asks for one', async () => {
    const h = await open({ keepLastCheckpoint: true });
    await h.run({ msPerTick: 1, maxTicks: 5 });
    await h.live.handle({ type: 'pause', runId: 'run-1' });
    const message = h.last('checkpoint');
    if (!message) throw new Error('no checkpoint');
    expect(h.transfers.get(message)).toHaveLength(1); // the final actor's weights (no episode yet: no best actor)
    const kept = h.live.lastCheckpoint;
    expect(kept?.counters.totalSteps).toBe(48);
    // Nothing of the kept copy was detached: it restores (what the worker does after a WebGL context loss).
    const restored = await open({ runId: 'run-2', checkpoint: kept ?? undefined, start: 'paused' });
    expect(restored.last('sessionCreated')?.totalSteps).toBe(48);
  });
});

describe('TrainingSession: restore', () => {
  it('a restored session continues at the checkpoint step and produces what the uninterrupted run produces', async () => {
    // Checkpoint mid-episode (step 238, in episode 2), then both finish episode 2: the most demanding case
    // (unfinished episode's score, statistics sum, env state, buffer, Adam moments, rng all carried over).
    const original = await open({ config: { seed: 11 } });
    await original.run({ msPerTick: 1, until: () => original.live.totalSteps >= 150 });
    await original.live.handle({ type: 'pause', runId: 'run-1' });
    const saved = original.last('checkpoint')?.checkpoint;
    if (!saved) throw new Error('no checkpoint');
    const savedSteps = saved.counters.totalSteps;
    const savedEpisodes = saved.counters.episodesDone;
    expect(savedSteps).toBe(original.live.totalSteps);

    const restored = await open({ runId: 'run-2', checkpoint: saved, config: { seed: 11 } });
    expect(restored.last('sessionCreated')).toMatchObject({ totalSteps: savedSteps, episodesDone: savedEpisodes });
    await original.live.handle({ type: 'resume', runId: 'run-1' });
    expect(savedSteps % 200).not.toBe(0);
    const target = savedEpisodes + 1;
    // 200 ms a tick: a progress batch after every slice, so `until` sees the episodes as they end.
    await original.run({ msPerTick: 200, until: () => original.episodes().length >= target });
    await restored.run({ msPerTick: 200, until: () => restored.episodes().length >= 1 });
    await original.live.handle({ type: 'pause', runId: 'run-1' });
    await restored.live.handle({ type: 'pause', runId: 'run-2' });
    const continued = original.episodes().slice(savedEpisodes, target).map(deterministicPart);
    const resumed = restored.episodes().slice(0, 1).map(deterministicPart);
    expect(resumed[0]?.episode).toBe(savedEpisodes + 1);
    expect(resumed).toEqual(continued);
  });

  it('applies the live values that differ from the checkpoint; restart-only ones stay the run’s', async () => {
    const original = await open({ start: 'paused', config: { seed: 3 } });
    await original.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 7 });
    const saved = original.last('checkpoint');
    expect(saved).toMatchObject({ reason: 'request', requestId: 7 });
    if (!saved) throw new Error('no checkpoint');
    const restored = await open({ runId: 'run-2', checkpoint: saved.checkpoint, start: 'paused', config: { seed: 4, actorLr: 1e-3 } });
    const config = restored.last('sessionCreated')?.config;
    expect(config?.actorLr).toBe(1e-3);
    expect(config?.seed).toBe(3);
  });

  it('liveSettingDifferences (applied on restore) lists only live keys that differ', () => {
    const saved = makeConfig();
    expect(liveSettingDifferences('sac', saved, { ...saved, actorLr: 0.01, seed: 9, hiddenSize: 64 })).toEqual({ actorLr: 0.01 });
    expect(liveSettingDifferences('sac', saved, saved)).toEqual({});
  });
});

describe('TrainingSession: live config', () => {
  it('applies a valid live change at the current step and rejects restart-only or out-of-range values', async () => {
    const h = await open();
    await h.run({ msPerTick: 1, maxTicks: 6 });
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 1, partial: { actorLr: 1e-3 } });
    expect(h.last('configApplied')).toEqual({ type: 'configApplied', runId: 'run-1', requestId: 1, partial: { actorLr: 1e-3 }, atStep: h.live.totalSteps });
    expect(h.live.config.actorLr).toBe(1e-3);
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 2, partial: { hiddenSize: 32 } });
    expect(h.last('configRejected')).toMatchObject({ requestId: 2, partial: { hiddenSize: 32 } });
    expect(h.last('configRejected')?.message).toMatch(/restart/);
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 3, partial: { gamma: 5 } });
    expect(h.last('configRejected')?.requestId).toBe(3);
    expect(h.live.config.hiddenSize).toBe(16);
    expect(h.live.config.gamma).toBe(0.99);
  });

  it('a raised episode limit reopens a run stopped by it (phase paused)', async () => {
    const h = await open({ config: { maxEpisodes: 1 } });
    await h.run({ msPerTick: 1 });
    expect(h.live.phase).toBe('stopped');
    await h.live.handle({ type: 'setLiveConfig', runId: 'run-1', requestId: 1, partial: { maxEpisodes: 2 } });
    expect(h.live.phase).toBe('paused');
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    await h.run({ msPerTick: 1 });
    expect(h.episodes().map((episode) => episode.episode)).toEqual([1, 2]);
  });
});

describe('TrainingSession: test policy', () => {
  it('runs the deterministic actor in real time and posts each test episode with its score', async () => {
    const h = await open();
    await h.run({ msPerTick: 1, until: () => h.live.totalSteps >= 100 });
    await h.live.handle({ type: 'startTest', runId: 'run-1' });
    expect(h.last('phase')?.phase).toBe('testing');
    expect(h.last('checkpoint')?.reason).toBe('pause'); // training paused for the test
    const steps = h.live.totalSteps;
    const start = h.clock.time;
    await h.run({ until: () => h.clock.time - start >= 10_100 }); // 200 steps at 20/s, no learning
    expect(h.live.totalSteps).toBe(steps);
    const episodes = h.of('testEpisode');
    expect(episodes).toHaveLength(1);
    expect(h.of('frame').some((frame) => frame.source === 'test')).toBe(true);

    // Independent replay: the exported actor in a tfjs LayersModel, 2·tanh(μ), a Pendulum seeded 1.
    await h.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 1, runName: 'r', which: 'final' });
    const files = h.last('actorExported')?.files;
    if (!files) throw new Error('no export');
    const parsed = JSON.parse(files.modelJson) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest.flatMap((group) => group.weights), weightData: files.weightsBin }),
    );
    const env = new Pendulum();
    let observation = env.reset({ seed: 1 });
    let score = 0;
    for (let step = 0; step < 200; step += 1) {
      const torque = tf.tidy(() => {
        const [mu] = model.predict(tf.tensor2d(observation, [1, 3])) as tf.Tensor[];
        return (mu as tf.Tensor).tanh().mul(2).dataSync()[0] ?? 0;
      });
      const result = env.step([torque]);
      observation = result.observation;
      score += result.reward;
    }
    model.dispose();
    expect(episodes[0]?.episode).toBe(1);
    expect(episodes[0]?.score).toBeCloseTo(score, 2);

    await h.live.handle({ type: 'stopTest', runId: 'run-1' });
    expect(h.last('phase')?.phase).toBe('paused');
    expect(await h.live.tick()).toBeNull();
  });
});

describe('TrainingSession: actor export and import', () => {
  it('exports the actor, loads it into another run, and refuses a broken file leaving the run as it was', async () => {
    const a = await open({ start: 'paused', config: { seed: 1 } });
    const b = await open({ runId: 'run-2', start: 'paused', config: { seed: 2 } });
    await a.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 1, runName: 'a', which: 'final' });
    await b.live.handle({ type: 'exportActor', runId: 'run-2', requestId: 1, runName: 'b', which: 'final' });
    const filesA = a.last('actorExported')?.files;
    const filesB = b.last('actorExported')?.files;
    if (!filesA || !filesB) throw new Error('no export');
    expect(new Uint8Array(filesB.weightsBin)).not.toEqual(new Uint8Array(filesA.weightsBin));

    await b.live.handle({ type: 'importActor', runId: 'run-2', requestId: 2, files: filesA });
    expect(b.last('actorImported')).toEqual({ type: 'actorImported', runId: 'run-2', requestId: 2, fileName: filesA.weightsFileName });
    await b.live.handle({ type: 'exportActor', runId: 'run-2', requestId: 3, runName: 'b', which: 'final' });
    const reExported = b.last('actorExported')?.files;
    expect(new Uint8Array(reExported?.weightsBin ?? new ArrayBuffer(0))).toEqual(new Uint8Array(filesA.weightsBin));

    const broken = { modelJson: '{"not": "a model"', weightsBin: new ArrayBuffer(4), weightsFileName: 'x.weights.bin' };
    await b.live.handle({ type: 'importActor', runId: 'run-2', requestId: 4, files: broken });
    expect(b.last('actorFailed')).toMatchObject({ requestId: 4, operation: 'import' });
    expect(b.last('actorFailed')?.message).toMatch(/^Could not load x\.weights\.bin: .*The run is unchanged\.$/);
    await b.live.handle({ type: 'exportActor', runId: 'run-2', requestId: 5, runName: 'b', which: 'final' });
    expect(new Uint8Array(b.last('actorExported')?.files.weightsBin ?? new ArrayBuffer(0))).toEqual(new Uint8Array(filesA.weightsBin));
    expect(b.of('error')).toHaveLength(0);
  });

  it('the best actor does not exist before the first episode: a clear failure', async () => {
    const h = await open({ start: 'paused' });
    await h.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 9, runName: 'r', which: 'best' });
    expect(h.last('actorFailed')).toMatchObject({ requestId: 9, operation: 'export' });
    expect(h.last('actorFailed')?.message).toMatch(/No best actor yet/);
  });
});

describe('TrainingSession: errors', () => {
  it('an error inside a slice pauses the session, names the run, and the session resumes afterwards', async () => {
    const h = await open();
    await h.run({ msPerTick: 1, maxTicks: 4 });
    vi.spyOn(Trainer.prototype, 'runFor').mockImplementationOnce(() => {
      throw new Error('kernel exploded');
    });
    expect(await h.live.tick()).toBeNull();
    const error = h.last('error');
    expect(error?.runId).toBe('run-1');
    expect(error?.fatal).toBeUndefined();
    expect(error?.message).toBe('kernel exploded. The run is paused; its weights can still be downloaded.');
    expect(h.live.phase).toBe('paused');
    const steps = h.live.totalSteps;
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    expect(await h.live.tick()).toBe(0);
    expect(h.live.totalSteps).toBeGreaterThan(steps);
  });

  it('a failing checkpoint becomes an error message; the session stays usable', async () => {
    const h = await open({ start: 'paused' });
    vi.spyOn(Trainer.prototype, 'checkpoint').mockImplementationOnce(() => {
      throw new Error('read-back failed');
    });
    await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 1 });
    expect(h.last('error')?.message).toMatch(/^read-back failed\./);
    await h.live.handle({ type: 'requestCheckpoint', runId: 'run-1', requestId: 2 });
    expect(h.last('checkpoint')?.requestId).toBe(2);
  });

  it('messages to a disposed session are answered with an error', async () => {
    const h = await open({ start: 'paused' });
    h.live.dispose();
    await h.live.handle({ type: 'resume', runId: 'run-1' });
    expect(h.last('error')?.message).toMatch(/already closed/);
    expect(await h.live.tick()).toBeNull();
  });
});

describe('TrainingSession: tensors', () => {
  it('dispose returns tf.memory().numTensors to its level before creation, and says so', async () => {
    const before = tf.memory().numTensors;
    const h = await open();
    await h.run({ msPerTick: 50, until: () => h.live.totalSteps >= 200 });
    await h.live.handle({ type: 'pause', runId: 'run-1' });
    await h.live.handle({ type: 'exportActor', runId: 'run-1', requestId: 1, runName: 'r', which: 'best' });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    h.live.dispose();
    expect(h.last('sessionDisposed')).toEqual({ type: 'sessionDisposed', runId: 'run-1', numTensors: before });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('no tensor growth over 20 create / train / checkpoint / dispose cycles', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let cycle = 0; cycle < 20; cycle += 1) {
      const h = await open({ runId: `cycle-${cycle}`, config: { seed: cycle } });
      // 17 steps: the first update (steps > batch_size 16) runs, so the episode's statistics sum exists.
      await h.run({ msPerTick: 1, maxTicks: 4 });
      expect(h.live.totalSteps).toBe(17);
      await h.live.handle({ type: 'pause', runId: `cycle-${cycle}` });
      h.live.dispose();
      harnesses.pop();
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(Array.from({ length: 20 }, () => before));
  });
});
