/**
 * Issue 9 in the session (Node, tfjs cpu, fake clock): the phase-space maps arrive about once a second
 * while training or testing with the algorithm's maps, pushes change the test env's θ̇ (pushApplied and
 * the next frame) and are refused when the run can't be pushed, physics reach the test env exactly
 * (checked against an independent transcription of Gymnasium's step) and out-of-range values are
 * refused naming the setting, the robustness sweep answers one mean per value, test episodes carry
 * their seed and pushes (and replay exactly), and none of it changes the training run.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlgorithmId } from '../../src/rl/algorithm';
import type { AlgorithmConfig } from '../../src/rl/algorithmSettings';
import { Pendulum } from '../../src/rl/env/pendulum';
import { DEFAULT_PHYSICS } from '../../src/rl/env/physics';
import type { TrainerCheckpoint, TrainerState } from '../../src/rl/checkpoint';
import { createSessionTrainer, restoreSessionTrainer } from '../../src/worker/sessionTrainers';
import { TrainingSession } from '../../src/worker/session';
import { createMessage, deterministicPart, openSession, SessionHarness, type OpenOptions } from './sessionHarness';

const SMALL: Readonly<Record<AlgorithmId, AlgorithmConfig>> = {
  sac: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, stopAtGoal: false, seed: 11 },
  ddpg: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, learningStarts: 50, stopAtGoal: false, seed: 11 },
  td3: { hiddenSize: 16, batchSize: 16, bufferSize: 1000, learningStarts: 50, stopAtGoal: false, seed: 11 },
  ppo: { hiddenSize: 8, nEnvs: 2, nSteps: 16, batchSize: 16, nEpochs: 1, stopAtGoal: false, seed: 11 },
  trpo: { hiddenSize: 8, nEnvs: 2, nSteps: 16, batchSize: 16, cgMaxSteps: 3, lineSearchMaxIter: 3, nCriticUpdates: 1, stopAtGoal: false, seed: 11 },
};
const RUN = 'run-1';

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

/** Gymnasium's PendulumEnv.step, transcribed (dt = 0.05). */
function gymStep(th: number, thdot: number, u: number, p: typeof DEFAULT_PHYSICS): [number, number] {
  const clipped = Math.min(Math.max(u, -p.maxTorque), p.maxTorque);
  let newthdot = thdot + ((3 * p.gravity) / (2 * p.length) * Math.sin(th) + (3.0 / (p.mass * p.length * p.length)) * clipped) * 0.05;
  newthdot = Math.min(Math.max(newthdot, -p.maxSpeed), p.maxSpeed);
  return [th + newthdot * 0.05, newthdot];
}

describe.each([
  ['sac', ['policyMean', 'value', 'spread']],
  ['td3', ['policyMean', 'value']],
  ['ppo', ['policyMean', 'value', 'spread']],
] as const)('insight maps of a %s session', (algorithm, keys) => {
  it('arrive at once when enabled, then about once a second of wall clock while training, never while paused', async () => {
    // Watch mode ×4 (80 env steps/s): the fake clock paces training (fast mode's slices would grow to 2,000 steps).
    const h = await open(algorithm, { speed: { mode: 'watch', multiplier: 4 } });
    await h.live.handle({ type: 'setInsight', runId: RUN, enabled: true, gridSize: 16 });
    expect(h.of('insight')).toHaveLength(1);
    // 4 s of (fake) wall clock in ticks of 100 ms.
    await h.run({ msPerTick: 100, maxTicks: 40 });
    const insights = h.of('insight');
    expect(insights.length).toBeGreaterThanOrEqual(4);
    expect(insights.length).toBeLessThanOrEqual(6);
    for (const insight of insights) {
      expect(insight).toMatchObject({ runId: RUN, gridSize: 16, thetaRange: [-Math.PI, Math.PI], thetaDotRange: [-8, 8] });
      expect(insight.maps.map((map) => map.key)).toEqual(keys);
      for (const map of insight.maps) {
        expect(map.values).toBeInstanceOf(Float32Array);
        expect(map.values.length).toBe(256);
        expect(map.values.every(Number.isFinite)).toBe(true);
        expect(map.label.length).toBeGreaterThan(0);
        expect(map.description.length).toBeGreaterThan(0);
      }
    }
    const steps = insights.map((insight) => insight.step);
    expect(steps[steps.length - 1]).toBeGreaterThan(steps[0] as number);

    await h.live.handle({ type: 'pause', runId: RUN });
    const count = h.of('insight').length;
    h.clock.advance(5000);
    await h.live.tick();
    expect(h.of('insight')).toHaveLength(count);
    // Off: nothing more, even training.
    await h.live.handle({ type: 'setInsight', runId: RUN, enabled: false, gridSize: 16 });
    await h.live.handle({ type: 'resume', runId: RUN });
    await h.run({ msPerTick: 500, maxTicks: 6 });
    expect(h.of('insight')).toHaveLength(count);
  });
});

describe('insight maps: settings', () => {
  it('a grid size out of 16…128 is clamped with a notice; the maps also come while testing', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'setInsight', runId: RUN, enabled: true, gridSize: 8 });
    expect(h.last('notice')?.message).toMatch(/16 × 16.*16 to 128/);
    expect(h.last('insight')?.gridSize).toBe(16);
    await h.live.handle({ type: 'startTest', runId: RUN });
    await h.run({ msPerTick: 50, maxTicks: 60 }); // 3 s of testing
    expect(h.of('insight').length).toBeGreaterThanOrEqual(3);
    expect(h.of('insight').length).toBeLessThanOrEqual(5);
  });

  it('a re-created session (WebGL loss) takes over the maps and physics and shows the maps at once', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'setInsight', runId: RUN, enabled: true, gridSize: 32 });
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 15 }, applyToTraining: true });
    const carried = h.live.carryOver;
    expect(carried).toEqual({ insightGridSize: 32, testPhysics: { ...DEFAULT_PHYSICS, gravity: 15 }, trainingPhysics: { ...DEFAULT_PHYSICS, gravity: 15 } });
    const h2 = new SessionHarness();
    h2.session = await TrainingSession.create(createMessage({ algorithm: 'sac', config: SMALL.sac, start: 'paused' }), { post: h2.post, now: h2.clock.now });
    harnesses.push(h2);
    await h2.live.applyCarryOver(carried);
    expect(h2.of('insight')).toHaveLength(1);
    expect(h2.live.carryOver).toEqual(carried);
  });
});

describe('push', () => {
  it('during Test policy changes the test env’s θ̇ by the amount (pushApplied and the next frame), clipped to ±max speed', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'startTest', runId: RUN });
    await h.run({ msPerTick: 50, maxTicks: 20 });
    const before = h.last('frame');
    expect(before?.source).toBe('test');
    const frames = h.of('frame').length;
    await h.live.handle({ type: 'push', runId: RUN, requestId: 7, deltaThetaDot: 1.5 });
    const applied = h.last('pushApplied');
    expect(applied).toMatchObject({ runId: RUN, requestId: 7, source: 'test', step: before?.data[3] });
    expect(applied?.thetaDot).toBeCloseTo((before?.data[1] as number) + 1.5, 5);
    expect(applied?.theta).toBeCloseTo(before?.data[0] as number, 5);
    const next = h.of('frame')[frames];
    expect(next?.source).toBe('test');
    expect(next?.data[1]).toBeCloseTo(applied?.thetaDot as number, 5);

    await h.live.handle({ type: 'push', runId: RUN, requestId: 8, deltaThetaDot: 100 });
    expect(h.last('pushApplied')?.thetaDot).toBe(8);
    await h.live.handle({ type: 'push', runId: RUN, requestId: 9, theta: 0.25 });
    expect(h.last('pushApplied')).toMatchObject({ requestId: 9, theta: 0.25, thetaDot: 8 });
  });

  it('is refused while paused, in fast training and with a bad value (the session lives on); while training in watch mode it pushes the training env', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'push', runId: RUN, requestId: 1, deltaThetaDot: 1 });
    expect(h.last('pushRejected')).toMatchObject({ requestId: 1 });
    expect(h.last('pushRejected')?.message).toMatch(/Test policy.*watch mode.*paused/);

    await h.live.handle({ type: 'resume', runId: RUN });
    await h.live.handle({ type: 'push', runId: RUN, requestId: 2, deltaThetaDot: 1 });
    expect(h.last('pushRejected')?.message).toMatch(/fast mode/);

    await h.live.handle({ type: 'setSpeed', runId: RUN, speed: { mode: 'watch', multiplier: 1 } });
    await h.run({ msPerTick: 50, maxTicks: 10 });
    const before = h.last('frame');
    expect(before?.source).toBe('train');
    await h.live.handle({ type: 'push', runId: RUN, requestId: 3, deltaThetaDot: -2 });
    const applied = h.last('pushApplied');
    expect(applied).toMatchObject({ requestId: 3, source: 'train' });
    expect(applied?.thetaDot).toBeCloseTo(Math.max(-8, (before?.data[1] as number) - 2), 5);
    expect(h.last('frame')?.data[1]).toBeCloseTo(applied?.thetaDot as number, 5);

    await h.live.handle({ type: 'push', runId: RUN, requestId: 4, deltaThetaDot: Number.NaN });
    expect(h.last('pushRejected')).toMatchObject({ requestId: 4 });
    expect(h.last('pushRejected')?.message).toMatch(/finite/);
    await h.live.handle({ type: 'push', runId: RUN, requestId: 5 });
    expect(h.last('pushRejected')?.message).toMatch(/deltaThetaDot or theta/);
    expect(h.live.phase).toBe('running');
    expect(h.of('error')).toHaveLength(0);
  });

  it('a test episode carries its seed and pushes, and replays exactly from them', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'startTest', runId: RUN });
    let ticks = 0;
    await h.run({
      msPerTick: 50,
      maxTicks: 400,
      until: () => h.of('testEpisode').length >= 1,
      afterTick: () => {
        ticks += 1;
        if (ticks === 30) void h.live.handle({ type: 'push', runId: RUN, requestId: 1, deltaThetaDot: 3 });
        if (ticks === 90) void h.live.handle({ type: 'push', runId: RUN, requestId: 2, theta: 2.5 });
      },
    });
    const episode = h.of('testEpisode')[0];
    expect(episode?.seed).toBe(1);
    expect(episode?.physics).toEqual(DEFAULT_PHYSICS);
    const pushes = episode?.pushes ?? [];
    expect(pushes.map((push) => Object.keys(push).sort())).toEqual([['deltaThetaDot', 'step'], ['step', 'theta']]);
    expect(pushes[0]?.deltaThetaDot).toBe(3);
    expect(pushes[1]?.theta).toBe(2.5);
    expect(pushes[0]?.step).toBeLessThan(pushes[1]?.step as number);

    // Replay: the same (untrained) actor, seed 1, the pushes at their steps.
    const actor = await createSessionTrainer('sac', SMALL.sac);
    try {
      const env = new Pendulum();
      let observation = env.reset({ seed: episode?.seed as number });
      let score = 0;
      for (let step = 0; step < 200; step++) {
        for (const push of pushes) {
          if (push.step !== step) continue;
          env.push(push);
          observation = env.observation();
        }
        const result = env.step([actor.deterministicTorque(observation)]);
        observation = result.observation;
        score += result.reward;
      }
      expect(score).toBe(episode?.score);
    } finally {
      actor.dispose();
    }
    // The next episode starts clean.
    expect(h.of('pushApplied')).toHaveLength(2);
  });
});

describe('physics', () => {
  it('g = 20 reaches the test env: after N steps θ equals an independent computation and differs from g = 10', async () => {
    const h = await open('sac', { start: 'paused' });
    const physics = { ...DEFAULT_PHYSICS, gravity: 20 };
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 3, physics, applyToTraining: false });
    expect(h.last('physicsApplied')).toEqual({ type: 'physicsApplied', runId: RUN, requestId: 3, physics, applyToTraining: false });
    await h.live.handle({ type: 'startTest', runId: RUN });
    await h.run({ msPerTick: 50, maxTicks: 400, until: () => (h.last('frame')?.data[3] ?? 0) >= 25 });
    const frame = h.last('frame');
    const N = frame?.data[3] as number;
    expect(N).toBeGreaterThanOrEqual(25);

    const actor = await createSessionTrainer('sac', SMALL.sac);
    try {
      const start = new Pendulum();
      start.reset({ seed: 1 });
      const simulate = (p: typeof DEFAULT_PHYSICS): number => {
        let th = start.theta;
        let thdot = start.thetaDot;
        for (let i = 0; i < N; i++) {
          const u = actor.deterministicTorque(Float32Array.of(Math.cos(th), Math.sin(th), thdot));
          [th, thdot] = gymStep(th, thdot, u, p);
        }
        return th;
      };
      const theta20 = simulate(physics);
      const theta10 = simulate(DEFAULT_PHYSICS);
      expect(frame?.data[0]).toBeCloseTo(theta20, 4);
      expect(Math.abs(theta20 - theta10)).toBeGreaterThan(0.01);
    } finally {
      actor.dispose();
    }
  });

  it('out-of-range values are refused naming the setting and its range; the session lives on', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 100 }, applyToTraining: false });
    expect(h.last('physicsRejected')).toMatchObject({ requestId: 1 });
    expect(h.last('physicsRejected')?.message).toMatch(/gravity.*0\.5, 30/);
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 2, physics: { ...DEFAULT_PHYSICS, length: 0 }, applyToTraining: true });
    expect(h.last('physicsRejected')?.message).toMatch(/length.*0\.2, 5/);
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 3, physics: { ...DEFAULT_PHYSICS, maxSpeed: 'fast' as unknown as number }, applyToTraining: false });
    expect(h.last('physicsRejected')?.message).toMatch(/maxSpeed/);
    expect(h.of('physicsApplied')).toHaveLength(0);
    expect(h.live.carryOver.testPhysics).toEqual(DEFAULT_PHYSICS);
    await h.live.handle({ type: 'resume', runId: RUN });
    await h.run({ msPerTick: 200, maxTicks: 3 });
    expect(h.live.phase).toBe('running');
    expect(h.of('error')).toHaveLength(0);
  });

  it('applyToTraining: the training env takes them from its next episode, and they survive checkpoint → restore', async () => {
    const h = await open('sac', { speed: { mode: 'watch', multiplier: 10 } });
    await h.run({ msPerTick: 100, until: () => h.live.totalSteps >= 50 });
    const physics = { ...DEFAULT_PHYSICS, gravity: 20, mass: 2 };
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 1, physics, applyToTraining: true });
    expect(h.last('physicsApplied')?.applyToTraining).toBe(true);
    await h.live.handle({ type: 'requestCheckpoint', runId: RUN, requestId: 2 });
    const envOf = (checkpoint: unknown): TrainerState['env'] => ((checkpoint as TrainerCheckpoint).state as TrainerState).env;
    const waiting = envOf(h.last('checkpoint')?.checkpoint);
    expect(waiting.physics).toBeUndefined();
    expect(waiting.pendingPhysics).toEqual(physics);
    await h.run({ msPerTick: 100, until: () => h.live.totalSteps >= 210 });
    await h.live.handle({ type: 'requestCheckpoint', runId: RUN, requestId: 3 });
    const checkpoint = h.last('checkpoint')?.checkpoint;
    expect(envOf(checkpoint).physics).toEqual(physics);
    expect(envOf(checkpoint).pendingPhysics).toBeUndefined();
    const restored = await restoreSessionTrainer(checkpoint, 'sac');
    try {
      expect(restored.envPhysics).toEqual({ current: physics, pending: null });
    } finally {
      restored.dispose();
    }
  });
});

describe('robustness', () => {
  it('answers one mean/min/max per value; different g give different returns', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 4, parameter: 'gravity', values: [2, 10, 20], episodes: 3 });
    await h.run({ msPerTick: 10, maxTicks: 100, until: () => h.of('robustnessResult').length > 0 });
    const result = h.last('robustnessResult');
    expect(result).toMatchObject({ runId: RUN, requestId: 4, parameter: 'gravity', values: [2, 10, 20] });
    for (const key of ['meanReturn', 'minReturn', 'maxReturn'] as const) expect(result?.[key]).toHaveLength(3);
    for (let v = 0; v < 3; v++) {
      expect(result?.minReturn[v]).toBeLessThanOrEqual(result?.meanReturn[v] as number);
      expect(result?.meanReturn[v]).toBeLessThanOrEqual(result?.maxReturn[v] as number);
      expect(result?.meanReturn[v]).toBeLessThan(0);
    }
    expect(new Set(result?.meanReturn).size).toBe(3);
    expect(h.live.phase).toBe('paused');

    // The mean at g = 10 is the mean of three test episodes (seeds 1…3) of this actor, each run alone.
    const actor = await createSessionTrainer('sac', SMALL.sac);
    try {
      let total = 0;
      for (let seed = 1; seed <= 3; seed++) {
        const env = new Pendulum();
        let observation = env.reset({ seed });
        for (let step = 0; step < 200; step++) {
          const r = env.step([actor.deterministicTorque(observation)]);
          observation = r.observation;
          total += r.reward;
        }
      }
      expect(result?.meanReturn[1]).toBeCloseTo(total / 3, 2);
    } finally {
      actor.dispose();
    }
  });

  it('a bad request is refused naming the problem; a second sweep waits for the first; PPO sweeps too', async () => {
    const h = await open('ppo', { start: 'paused' });
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 1, parameter: 'friction' as 'gravity', values: [1], episodes: 2 });
    expect(h.last('robustnessFailed')?.message).toMatch(/Unknown physics setting "friction"/);
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 2, parameter: 'gravity', values: [5, 50], episodes: 2 });
    expect(h.last('robustnessFailed')?.message).toMatch(/gravity.*0\.5, 30.*50/);
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 3, parameter: 'mass', values: [], episodes: 2 });
    expect(h.last('robustnessFailed')?.message).toMatch(/1 to 64 values of mass/);
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 4, parameter: 'length', values: [0.5, 2], episodes: 0 });
    expect(h.last('robustnessFailed')?.message).toMatch(/Episodes per value/);

    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 5, parameter: 'length', values: [0.5, 2] });
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 6, parameter: 'length', values: [1] });
    expect(h.last('robustnessFailed')).toMatchObject({ requestId: 6 });
    expect(h.last('robustnessFailed')?.message).toMatch(/already running.*request 5/);
    await h.run({ msPerTick: 10, maxTicks: 100, until: () => h.of('robustnessResult').length > 0 });
    const result = h.last('robustnessResult');
    expect(result).toMatchObject({ requestId: 5, parameter: 'length', values: [0.5, 2] });
    expect(result?.meanReturn).toHaveLength(2);
    expect(result?.meanReturn[0]).not.toBe(result?.meanReturn[1]);
    expect(h.of('error')).toHaveLength(0);
  });

  it('runs in chunks between ticks when the actor is slow (no tick does all 200 steps)', async () => {
    const h = await open('sac', { start: 'paused' });
    await h.live.handle({ type: 'robustness', runId: RUN, requestId: 1, parameter: 'gravity', values: [5, 10], episodes: 2 });
    // Every clock read inside the sweep moves the clock by 30 ms: a chunk of 10 steps "takes" 30 ms → ~33 steps per chunk.
    const now = h.clock.now;
    let ticks = 0;
    (h.live as unknown as { now: () => number }).now = () => {
      h.clock.advance(30);
      return now();
    };
    while (h.of('robustnessResult').length === 0 && ticks < 100) {
      await h.live.tick();
      ticks += 1;
    }
    expect(h.of('robustnessResult')).toHaveLength(1);
    expect(ticks).toBeGreaterThan(3);
  });
});

describe('none of it changes the training run', () => {
  it('maps, a robustness sweep, test-env physics and refused pushes leave the same seed’s episodes identical', async () => {
    const plain = await open('sac', { runId: 'plain', config: { maxEpisodes: 2 } });
    await plain.run({ msPerTick: 1, until: () => plain.episodes().length >= 2 });

    const busy = await open('sac', { runId: 'busy', config: { maxEpisodes: 2 } });
    await busy.live.handle({ type: 'setInsight', runId: 'busy', enabled: true, gridSize: 16 });
    await busy.live.handle({ type: 'setPhysics', runId: 'busy', requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 3 }, applyToTraining: false });
    let ticks = 0;
    await busy.run({
      msPerTick: 300,
      until: () => busy.episodes().length >= 2,
      afterTick: () => {
        ticks += 1;
        if (ticks === 5) void busy.live.handle({ type: 'robustness', runId: 'busy', requestId: 2, parameter: 'gravity', values: [4, 12], episodes: 2 });
        if (ticks === 7) void busy.live.handle({ type: 'push', runId: 'busy', requestId: 3, deltaThetaDot: 1 });
      },
    });
    expect(busy.of('insight').length).toBeGreaterThan(1);
    expect(busy.of('robustnessResult')).toHaveLength(1);
    expect(busy.of('pushRejected')).toHaveLength(1);
    expect(busy.episodes().slice(0, 2).map(deterministicPart)).toEqual(plain.episodes().slice(0, 2).map(deterministicPart));
  });
});
