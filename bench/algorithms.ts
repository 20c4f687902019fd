/**
 * `npm run bench`, every algorithm in Node (issue 8: "report every algorithm's steps/s beside SAC";
 * issue 11: "print kernels/update for every algorithm"): env steps per second including the updates,
 * with each algorithm's defaults (zoo settings; the lecture's for SAC) at hidden 64.
 *   - SAC, DDPG, TD3 on tfjs wasm: after a warm-up past the first update (DDPG/TD3: past their 10,000
 *     random learning_starts steps, which run at several thousand steps/s), steps timed in slices of 10
 *     for about `seconds`; kernels/update = tfjs kernels launched over 20 steps (tf.profile) divided by
 *     the updates made in them (TD3's delayed actor makes the count vary from step to step).
 *   - PPO, TRPO (plain JS + the WebAssembly kernel of onPolicy/gemmKernel.ts, no tfjs): whole rollouts
 *     timed (collection and update phase), so the rate is what a long run gets; the kernel count is
 *     measured too (tf.profile around one rollout), and is 0.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ALGORITHMS, type AlgorithmId } from '../src/rl/algorithm';
import { OFF_POLICY_ALGORITHMS, type OffPolicyAlgorithmId } from '../src/rl/offPolicyAlgorithms';
import { createOnPolicyTrainer } from '../src/rl/onPolicy/factory';
import { gemmHeap } from '../src/rl/onPolicy/gemmKernel';
import type { OnPolicyAlgorithmId } from '../src/rl/onPolicy/descriptors';
import { setSacEngine, type SacEngine } from '../src/rl/sac/engine';

export interface AlgorithmRate {
  algorithm: AlgorithmId;
  /** The table row: the algorithm id, or 'sac-kernels' for SAC on its hand-written engine. */
  key: string;
  label: string;
  /** Env steps per second, updates included. */
  envStepsPerSecond: number;
  /** Optimiser updates per second (PPO: minibatch steps; TRPO: 1 policy step + value-net steps per rollout). */
  updatesPerSecond: number;
  /** tfjs kernels per update, as measured. */
  kernelsPerUpdate: number;
  /** What computes it: "tfjs wasm" or "plain JS + WebAssembly SIMD (no tfjs)". */
  engine: string;
  steps: number;
  seconds: number;
}

/** `engine` 'kernels': SAC on its hand-written engine (tfjs stays on wasm, launching no kernel per update). */
async function measureOffPolicy(id: OffPolicyAlgorithmId, seconds: number, engine: SacEngine = 'tfjs'): Promise<AlgorithmRate> {
  await tf.setBackend('wasm');
  const overrides = { stopAtGoal: false, hiddenSize: 64 };
  const config: Readonly<Record<string, unknown>> = OFF_POLICY_ALGORITHMS[id].makeConfig(overrides);
  const learningStarts = typeof config.learningStarts === 'number' ? config.learningStarts : 0;
  setSacEngine(engine);
  const trainer = await OFF_POLICY_ALGORITHMS[id].create(overrides).finally(() => setSacEngine('tfjs'));
  const kernels = engine === 'kernels';
  try {
    // Past the random warm-up, the first update (at batch_size steps) and the first JIT/kernel warm-up.
    trainer.runFor(learningStarts + 300);
    const updatesBefore = trainer.updates;
    const profile = await tf.profile(() => {
      trainer.runFor(20);
    });
    const kernelsPerUpdate = profile.kernels.length / Math.max(trainer.updates - updatesBefore, 1);
    let steps = 0;
    const updatesAtStart = trainer.updates;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) steps += trainer.runFor(10).steps;
    const elapsed = (performance.now() - started) / 1000;
    return {
      algorithm: id,
      key: kernels ? `${id}-kernels` : id,
      label: kernels ? `${ALGORITHMS[id].label} (kernels)` : ALGORITHMS[id].label,
      envStepsPerSecond: steps / elapsed,
      updatesPerSecond: (trainer.updates - updatesAtStart) / elapsed,
      kernelsPerUpdate,
      engine: kernels ? 'hand-written WebAssembly SIMD kernels (no tfjs)' : `tfjs ${tf.getBackend()}`,
      steps,
      seconds: elapsed,
    };
  } finally {
    trainer.dispose();
  }
}

async function measureOnPolicy(id: OnPolicyAlgorithmId, rollouts: number): Promise<AlgorithmRate> {
  const trainer = createOnPolicyTrainer(id, { stopAtGoal: false });
  const { nEnvs, nSteps } = trainer.config;
  const rolloutSteps = nEnvs * nSteps;
  // One rollout and its update phase untimed (JIT warm-up), with tfjs's profiler watching: no kernel may run.
  const profile = await tf.profile(() => {
    trainer.runFor(rolloutSteps);
  });
  const updatesBefore = trainer.updates;
  const started = performance.now();
  const steps = trainer.runFor(rollouts * rolloutSteps).steps;
  const elapsed = (performance.now() - started) / 1000;
  const updates = trainer.updates - updatesBefore;
  trainer.dispose();
  return {
    algorithm: id,
    key: id,
    label: ALGORITHMS[id].label,
    envStepsPerSecond: steps / elapsed,
    updatesPerSecond: updates / elapsed,
    kernelsPerUpdate: profile.kernels.length / Math.max(updates / rollouts, 1),
    engine: gemmHeap().kind === 'wasm-simd' ? 'plain JS + WebAssembly SIMD (no tfjs)' : 'plain JS (no tfjs; WebAssembly SIMD unavailable)',
    steps,
    seconds: elapsed,
  };
}

/** Every algorithm's row, in ALGORITHMS order (SAC first). `quick`: 2 s / 2 rollouts instead of `seconds` / 5. */
export async function measureAlgorithmRates(options: { seconds: number; quick: boolean; log: (line: string) => void }): Promise<AlgorithmRate[]> {
  const rates: AlgorithmRate[] = [];
  for (const [id, engine] of [['sac', 'tfjs'], ['sac', 'kernels'], ['ddpg', 'tfjs'], ['td3', 'tfjs']] as const) {
    const rate = await measureOffPolicy(id, options.seconds, engine);
    options.log(`node ${rate.label}: ${rate.envStepsPerSecond.toFixed(0)} env steps/s, ${rate.kernelsPerUpdate.toFixed(0)} kernels/update (${rate.engine})`);
    rates.push(rate);
  }
  for (const id of ['ppo', 'trpo'] as const) {
    // Whole rollouts: PPO's are 4 × 1,024 env steps, TRPO's 2 × 1,024 (zoo defaults).
    const rate = await measureOnPolicy(id, options.quick ? 2 : id === 'ppo' ? 5 : 10);
    options.log(`node ${rate.label}: ${rate.envStepsPerSecond.toFixed(0)} env steps/s (${rate.steps} steps in ${rate.seconds.toFixed(1)} s), ${rate.kernelsPerUpdate} tfjs kernels/update (${rate.engine})`);
    rates.push(rate);
  }
  return rates;
}
