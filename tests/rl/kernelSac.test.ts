/**
 * KernelSacAgent (issue 11) against SacAgent, the tfjs implementation whose gradients are checked
 * against autodiff (tests/rl/packedGradients.test.ts): same initial state and acting; the same update
 * from the same state, minibatches and generator (tfjs 'cpu' backend: an independent float32
 * computation); checkpoints that continue bit for bit; determinism; the actor files.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerCheckpoint, TrainerState } from '../../src/rl/checkpoint';
import { Pendulum } from '../../src/rl/env/pendulum';
import { ReplayBuffer, allocateBatch, type Batch } from '../../src/rl/replayBuffer';
import { Rng } from '../../src/rl/rng';
import { SacAgent, type AgentShape, type UpdateHyperparameters } from '../../src/rl/sac/agent';
import type { SacAgentState } from '../../src/rl/sac/agentState';
import { makeConfig, type SacConfig } from '../../src/rl/sac/config';
import { KernelSacAgent } from '../../src/rl/sac/kernel/agent';
import { KERNEL_SAC_ALGORITHM } from '../../src/rl/sac/kernel/algorithm';
import { createJsSacHeap, createWasmSacHeap } from '../../src/rl/sac/kernel/sacHeap';
import { ActorNetwork } from '../../src/rl/sac/networks';
import { importActorFiles } from '../../src/rl/sac/weights';
import { SAC_TRAINER_ALGORITHM, Trainer } from '../../src/rl/trainer';
import type { EpisodeMetrics } from '../../src/rl/types';

const SHAPE: AgentShape = { observationSize: 3, actionSize: 1, hiddenSize: 64, initialAlpha: 1, actionScale: 2 };
const HP: UpdateHyperparameters = { gamma: 0.99, tau: 0.005, actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-4, targetEntropy: -1 };
const KERNEL_TRAINER = { ...SAC_TRAINER_ALGORITHM, ...KERNEL_SAC_ALGORITHM };
const OBSERVATIONS = [Float32Array.of(1, 0, 0), Float32Array.of(-1, 0, 1), Float32Array.of(0.6, -0.8, -7.5), Float32Array.of(0.2, 0.98, 3)];

const disposables: Array<{ dispose(): void }> = [];
function keep<T extends { dispose(): void }>(value: T): T {
  disposables.push(value);
  return value;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (disposables.length > 0) disposables.pop()?.dispose();
});

/** A replay buffer of `count` pendulum transitions under uniform random torques (its own generator). */
function pendulumBuffer(count: number, seed: number): ReplayBuffer {
  const env = new Pendulum();
  const rng = new Rng(seed);
  let observation = env.reset({ seed });
  const buffer = new ReplayBuffer(count, 3, 1);
  for (let i = 0; i < count; i++) {
    const action = Float32Array.of(rng.uniform(-1, 1));
    const result = env.step(Float32Array.of(2 * (action[0] ?? 0)));
    buffer.add({ observation, action, reward: result.reward, nextObservation: result.observation, mask: result.terminated ? 0 : 1 });
    observation = result.truncated ? env.reset() : result.observation;
  }
  return buffer;
}

/** max_i |a_i − b_i| / max(1, |b_i|): absolute below 1, relative above (critic moments reach tens). */
function maxScaledDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)) / Math.max(1, Math.abs(b[i] ?? 0)));
  return worst;
}

/** The worst scaled difference over everything a SacAgentState holds that training changes. */
function stateDifference(a: SacAgentState, b: SacAgentState): Record<string, number> {
  return {
    actor: maxScaledDifference(a.actor, b.actor),
    critic: maxScaledDifference(a.critic, b.critic),
    targetCritic: maxScaledDifference(a.targetCritic, b.targetCritic),
    logAlpha: maxScaledDifference(a.logAlpha, b.logAlpha),
    actorFirstMoment: maxScaledDifference(a.actorOptimizer.firstMoment, b.actorOptimizer.firstMoment),
    actorSecondMoment: maxScaledDifference(a.actorOptimizer.secondMoment, b.actorOptimizer.secondMoment),
    criticFirstMoment: maxScaledDifference(a.criticOptimizer.firstMoment, b.criticOptimizer.firstMoment),
    criticSecondMoment: maxScaledDifference(a.criticOptimizer.secondMoment, b.criticOptimizer.secondMoment),
    alphaFirstMoment: maxScaledDifference(a.alphaOptimizer.firstMoment, b.alphaOptimizer.firstMoment),
    alphaSecondMoment: maxScaledDifference(a.alphaOptimizer.secondMoment, b.alphaOptimizer.secondMoment),
  };
}

const worst = (differences: Record<string, number>): number => Math.max(...Object.values(differences));

/** `updates` updates of both agents on the same minibatches and generators; hp(u) gives update u's hyperparameters. */
function updateBoth(tfjs: SacAgent, kernel: KernelSacAgent, buffer: ReplayBuffer, batch: Batch, updates: number, hp: (u: number) => UpdateHyperparameters, first = 1) {
  const stats: Array<{ tfjs: Float32Array; kernel: Float32Array }> = [];
  for (let u = first; u < first + updates; u++) {
    buffer.sample(new Rng(u), batch);
    const tensor = tfjs.update(batch, new Rng(1000 + u), hp(u));
    const tfjsStats = Float32Array.from(tensor.dataSync());
    tensor.dispose();
    stats.push({ tfjs: tfjsStats, kernel: Float32Array.from(kernel.update(batch, new Rng(1000 + u), hp(u))) });
  }
  return stats;
}

describe('KernelSacAgent starts and acts as SacAgent', () => {
  it('has SacAgent’s initial state for a seed, drawing the same numbers', () => {
    for (const shape of [SHAPE, { ...SHAPE, hiddenSize: 13, initialAlpha: 0.3 }]) {
      const tfjsRng = new Rng(42);
      const kernelRng = new Rng(42);
      const tfjs = keep(new SacAgent(tfjsRng, shape));
      const kernel = keep(new KernelSacAgent(kernelRng, shape));
      expect(kernel.getState()).toEqual(tfjs.getState());
      expect(kernelRng.getState()).toEqual(tfjsRng.getState());
      // Control: another seed's networks differ (the equality above is not vacuous).
      expect(keep(new KernelSacAgent(new Rng(43), shape)).getState().critic).not.toEqual(tfjs.getState().critic);
    }
  });

  it('acts with the same actions and leaves the generator where SacAgent.act does; same deterministic torque', () => {
    const tfjs = keep(new SacAgent(new Rng(5), SHAPE));
    const kernel = keep(new KernelSacAgent(new Rng(5), SHAPE));
    const tfjsRng = new Rng(9);
    const kernelRng = new Rng(9);
    for (const observation of OBSERVATIONS) {
      const a = tfjs.act(observation, tfjsRng);
      const b = kernel.act(observation, kernelRng);
      expect(Array.from(b.squashed)).toEqual(Array.from(a.squashed));
      expect(Array.from(b.torque)).toEqual(Array.from(a.torque));
      expect(kernelRng.getState()).toEqual(tfjsRng.getState());
      // tfjs's float32 forward against the CPU copy's f64 sums of float32 weights.
      expect(kernel.deterministicTorque(observation)[0]).toBeCloseTo(tfjs.deterministicTorque(observation)[0] ?? Number.NaN, 5);
    }
  });

  it('acts with the current actor: the action changes right after an update', () => {
    const kernel = keep(new KernelSacAgent(new Rng(5), SHAPE));
    const buffer = pendulumBuffer(300, 1);
    const before = Array.from(kernel.act(OBSERVATIONS[2] as Float32Array, new Rng(1)).squashed);
    kernel.update(buffer.sample(new Rng(2), allocateBatch(64, 3, 1)), new Rng(3), HP);
    const after = Array.from(kernel.act(OBSERVATIONS[2] as Float32Array, new Rng(1)).squashed);
    expect(after).not.toEqual(before);
    expect(kernel.getState().actingPolicy).toEqual(kernel.getState().actor);
  });
});

describe('KernelSacAgent.update equals SacAgent.update (tfjs cpu backend)', () => {
  // Tolerances: SacAgent computes every operation in float32; KernelSacAgent sums in f64 and rounds
  // what it stores to float32. Adam's first step moves each weight by ±lr·m/(√v + ε) ≈ ±lr, so after
  // one update weights and moments differ by float32 rounding of their size, except where a gradient is
  // near 0 and g/(|g| + ε) feels its rounding: measured ≤ 9e−7 (one critic weight), ≤ 6e−8 elsewhere;
  // bound 1e−5. Over 20 updates the rounding differences feed back through the losses: measured
  // ≤ 2e−6; bound 1e−4, still far below one update's change (~1e−3 per weight), so a wrong term in a
  // gradient or a hyperparameter applied differently fails it (the controls below show that it does).
  it.each([
    ['hidden 64, batch 64', SHAPE, 64],
    ['hidden 13, batch 10 (padding of rows and columns)', { ...SHAPE, hiddenSize: 13, initialAlpha: 0.5 }, 10],
  ] as const)('%s: after 1 and after 20 updates', (_name, shape, batchSize) => {
    const tfjs = keep(new SacAgent(new Rng(7), shape));
    const kernel = keep(new KernelSacAgent(new Rng(7), shape));
    const buffer = pendulumBuffer(1000, 3);
    const batch = allocateBatch(batchSize, 3, 1);

    const [first] = updateBoth(tfjs, kernel, buffer, batch, 1, () => HP);
    const afterOne = stateDifference(kernel.getState(), tfjs.getState());
    expect(worst(afterOne), JSON.stringify(afterOne)).toBeLessThan(1e-5);
    expect(maxScaledDifference(first?.kernel ?? new Float32Array(5), first?.tfjs ?? new Float32Array(0))).toBeLessThan(1e-5);
    expect(kernel.getState().actorOptimizer.steps).toBe(1);
    expect(kernel.getState().criticOptimizer.steps).toBe(1);
    expect(kernel.getState().alphaOptimizer.steps).toBe(1);

    const stats = updateBoth(tfjs, kernel, buffer, batch, 19, () => HP, 2);
    const afterTwenty = stateDifference(kernel.getState(), tfjs.getState());
    expect(worst(afterTwenty), JSON.stringify(afterTwenty)).toBeLessThan(1e-4);
    for (const { tfjs: a, kernel: b } of stats) expect(maxScaledDifference(b, a)).toBeLessThan(1e-4);
    // The updates really moved things (the comparison is not between two unchanged states).
    expect(maxScaledDifference(kernel.getState().actor, keep(new KernelSacAgent(new Rng(7), shape)).getState().actor)).toBeGreaterThan(1e-3);
  });

  it('hyperparameters changed between updates reach the update the same way', () => {
    const changed = (u: number): UpdateHyperparameters => (u < 6 ? HP : { gamma: 0.9, tau: 0.05, actorLr: 3e-3, criticLr: 2e-4, alphaLr: 1e-2, targetEntropy: 0 });
    const tfjs = keep(new SacAgent(new Rng(8), SHAPE));
    const kernel = keep(new KernelSacAgent(new Rng(8), SHAPE));
    const unchanged = keep(new KernelSacAgent(new Rng(8), SHAPE));
    const buffer = pendulumBuffer(600, 4);
    const batch = allocateBatch(64, 3, 1);
    updateBoth(tfjs, kernel, buffer, batch, 10, changed);
    for (let u = 1; u <= 10; u++) unchanged.update(buffer.sample(new Rng(u), batch), new Rng(1000 + u), HP);
    const difference = stateDifference(kernel.getState(), tfjs.getState());
    expect(worst(difference), JSON.stringify(difference)).toBeLessThan(1e-4);
    // Control: without the change the run is measurably elsewhere (every changed value matters).
    const control = stateDifference(unchanged.getState(), tfjs.getState());
    for (const key of ['actor', 'critic', 'targetCritic', 'logAlpha'] as const) expect(control[key]).toBeGreaterThan(1e-4);
  });

  it('the comparison notices a wrong update (control: SacAgent with another actor learning rate)', () => {
    const tfjs = keep(new SacAgent(new Rng(7), SHAPE));
    const kernel = keep(new KernelSacAgent(new Rng(7), SHAPE));
    const buffer = pendulumBuffer(500, 3);
    const batch = allocateBatch(64, 3, 1);
    for (let u = 1; u <= 3; u++) {
      buffer.sample(new Rng(u), batch);
      tf.dispose(tfjs.update(batch, new Rng(1000 + u), { ...HP, actorLr: 1.1e-3 }));
      kernel.update(batch, new Rng(1000 + u), HP);
    }
    expect(stateDifference(kernel.getState(), tfjs.getState()).actor).toBeGreaterThan(1e-4);
  });
});

describe('KernelSacAgent checkpoints and determinism', () => {
  it('getState → structuredClone → setState on a fresh agent → continue equals uninterrupted, bit for bit', () => {
    const buffer = pendulumBuffer(800, 5);
    const batch = allocateBatch(64, 3, 1);
    const straight = keep(new KernelSacAgent(new Rng(11), SHAPE));
    const interrupted = keep(new KernelSacAgent(new Rng(11), SHAPE));
    const rngStraight = new Rng(21);
    const rngInterrupted = new Rng(21);
    const run = (agent: KernelSacAgent, rng: Rng, from: number, to: number): Float32Array[] => {
      const stats: Float32Array[] = [];
      for (let u = from; u < to; u++) {
        agent.act(OBSERVATIONS[u % 4] as Float32Array, rng);
        stats.push(Float32Array.from(agent.update(buffer.sample(rng, batch), rng, HP)));
      }
      return stats;
    };
    const straightStats = run(straight, rngStraight, 0, 30);
    const firstStats = run(interrupted, rngInterrupted, 0, 12);
    const state = structuredClone(interrupted.getState());
    const rngState = structuredClone(rngInterrupted.getState());
    interrupted.dispose();
    const resumed = keep(new KernelSacAgent(new Rng(999), SHAPE));
    resumed.setState(state);
    const rng = new Rng(0);
    rng.setState(rngState);
    const laterStats = run(resumed, rng, 12, 30);
    expect([...firstStats, ...laterStats]).toEqual(straightStats);
    expect(resumed.getState()).toEqual(straight.getState());
    expect(Array.from(resumed.act(OBSERVATIONS[0] as Float32Array, rng).squashed)).toEqual(Array.from(straight.act(OBSERVATIONS[0] as Float32Array, rngStraight).squashed));
  });

  it('the WebAssembly SIMD heap and the plain-JS heap give the same bits', () => {
    const wasmHeap = createWasmSacHeap();
    expect(wasmHeap, 'Node ≥ 16.4 has WebAssembly SIMD').not.toBeNull();
    const buffer = pendulumBuffer(600, 6);
    const states = [wasmHeap ?? createJsSacHeap(), createJsSacHeap()].map((heap) => {
      const agent = keep(new KernelSacAgent(new Rng(12), { ...SHAPE, hiddenSize: 20 }, { heap }));
      const stats: number[] = [];
      const batch = allocateBatch(30, 3, 1);
      for (let u = 0; u < 15; u++) stats.push(...agent.update(buffer.sample(new Rng(u), batch), new Rng(100 + u), HP));
      return { state: agent.getState(), stats, kind: agent.heap.kind };
    });
    expect(states.map((s) => s.kind)).toEqual(['wasm-simd', 'js']);
    expect(states[1]?.stats).toEqual(states[0]?.stats);
    expect(states[1]?.state).toEqual(states[0]?.state);
  });

  const small: Partial<SacConfig> = { hiddenSize: 32, batchSize: 32, stopAtGoal: false };
  const withoutTiming = (episodes: readonly EpisodeMetrics[]): Array<Record<string, number>> => episodes.map(({ updatesPerSecond: _r, wallSeconds: _s, ...rest }) => rest);
  const stateWithoutTiming = (checkpoint: TrainerCheckpoint): unknown => {
    const state = checkpoint.state as TrainerState;
    return { ...checkpoint, counters: { ...checkpoint.counters, trainingSeconds: 0 }, state: { ...state, episode: { ...state.episode, startTrainingSeconds: 0 } } };
  };
  const trainer = async (config: Partial<SacConfig>) => keep(await Trainer.createWith(KERNEL_TRAINER, makeConfig({ ...small, ...config })));

  it('a Trainer checkpoint taken mid-episode, restored, continues exactly as the uninterrupted run', async () => {
    const config = { seed: 11, bufferSize: 300 };
    const uninterrupted = await trainer(config);
    const straight = uninterrupted.runFor(600).episodes;
    const before = await trainer(config);
    const firstPart = before.runFor(330).episodes;
    const checkpoint = structuredClone(before.checkpoint());
    expect((checkpoint.state as TrainerState).env.stepsInEpisode).toBe(130);
    expect((checkpoint.state as TrainerState).episode.statsSum).not.toBeNull();
    const after = keep(await Trainer.restoreWith(KERNEL_TRAINER, checkpoint));
    const secondPart = after.runFor(270).episodes;
    expect(straight).toHaveLength(3);
    expect(withoutTiming([...firstPart, ...secondPart])).toEqual(withoutTiming(straight));
    expect(stateWithoutTiming(after.checkpoint() as TrainerCheckpoint)).toEqual(stateWithoutTiming(uninterrupted.checkpoint() as TrainerCheckpoint));

    // Control: one float32 ulp on one critic weight in the checkpoint, and the continuation differs.
    const nudged = structuredClone(checkpoint);
    const critic = ((nudged.state as TrainerState).agent as SacAgentState).critic;
    critic[5] = (critic[5] ?? 0) * (1 + 2 ** -22);
    const control = keep(await Trainer.restoreWith(KERNEL_TRAINER, nudged));
    expect(withoutTiming(control.runFor(270).episodes)).not.toEqual(withoutTiming(secondPart));
  });

  it('the same seed gives the same run twice (a Trainer, 400 steps)', async () => {
    const runs = await Promise.all([trainer({ seed: 3 }), trainer({ seed: 3 })]);
    const episodes = runs.map((run) => withoutTiming(run.runFor(400).episodes));
    expect(episodes[0]).toHaveLength(2);
    expect(episodes[1]).toEqual(episodes[0]);
    expect(stateWithoutTiming(runs[1]?.checkpoint() as TrainerCheckpoint)).toEqual(stateWithoutTiming(runs[0]?.checkpoint() as TrainerCheckpoint));
    const other = await trainer({ seed: 4 });
    expect(withoutTiming(other.runFor(400).episodes)).not.toEqual(episodes[0]);
  });
});

describe('KernelSacAgent actor files and tfjs networks', () => {
  const trained = (seed: number, shape: AgentShape = SHAPE): KernelSacAgent => {
    const agent = keep(new KernelSacAgent(new Rng(seed), shape));
    const buffer = pendulumBuffer(400, seed);
    const batch = allocateBatch(32, 3, 1);
    for (let u = 0; u < 10; u++) agent.update(buffer.sample(new Rng(u), batch), new Rng(50 + u), HP);
    return agent;
  };
  const provenance = { runName: 'test', actionScale: 2, hyperparameters: makeConfig(), steps: 0, episodes: 0, lastScore: null, avg100: null };

  it('exportActor → importActor round-trips exactly; the files load in a tfjs ActorNetwork with the same deterministic torque', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const source = trained(1);
    const files = await source.exportActor(null, 'a.weights.bin', provenance);
    const target = trained(2);
    expect(target.actorParameters()).not.toEqual(source.actorParameters());
    const criticBefore = target.getState().critic;
    await target.importActor(files);
    expect(target.actorParameters()).toEqual(source.actorParameters());
    expect(target.getState().critic).toEqual(criticBefore);
    for (const observation of OBSERVATIONS) expect(target.deterministicTorque(observation)).toEqual(source.deterministicTorque(observation));

    const network = new ActorNetwork(null, 3, 1, 64);
    try {
      await importActorFiles(network, files);
      expect(network.getParameters()).toEqual(source.actorParameters());
      for (const observation of OBSERVATIONS) {
        const mean = tf.tidy(() => network.forward(tf.tensor2d(observation, [1, 3])).mean.dataSync()[0] ?? Number.NaN);
        expect(source.deterministicTorque(observation)[0]).toBeCloseTo(2 * Math.tanh(mean), 5);
      }
    } finally {
      network.dispose();
    }
    // A given actor (the trainer's best) is exported as given.
    const given = await target.exportActor(trained(3).actorParameters(), 'b.weights.bin', provenance);
    await target.importActor(given);
    expect(target.actorParameters()).toEqual(trained(3).actorParameters());
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('importActor changes nothing when the files do not fit', async () => {
    const files = await trained(1, { ...SHAPE, hiddenSize: 16 }).exportActor(null, 'a.weights.bin', provenance);
    const target = trained(2);
    const before = target.getState();
    await expect(target.importActor(files)).rejects.toThrow();
    await expect(target.importActor({ ...files, weightsBin: new ArrayBuffer(8) })).rejects.toThrow();
    expect(target.getState()).toEqual(before);
  });

  it('tfjsNetworks() holds the current weights and frees them', () => {
    const tensorsBefore = tf.memory().numTensors;
    const agent = trained(4);
    const networks = agent.tfjsNetworks();
    const state = agent.getState();
    expect(networks.actor.getParameters()).toEqual(state.actor);
    expect(networks.critic.getParameters()).toEqual(state.critic);
    expect(Float32Array.from(networks.logAlpha.dataSync())).toEqual(state.logAlpha);
    expect(networks.shape).toEqual(SHAPE);
    networks.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(agent.episodeEndMetrics().alpha).toBe(Math.exp(state.logAlpha[0] ?? Number.NaN));
  });
});
