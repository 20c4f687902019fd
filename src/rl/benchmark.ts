/**
 * Measurements shared by `npm run bench` (Node), the page's worker (benchmark requests) and the
 * measured *auto* backend choice. Pure rl/ code: runs wherever tfjs runs, on whatever backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { Pendulum, SWING_UP_THRESHOLD } from './env/pendulum';
import { OFF_POLICY_ALGORITHMS, type OffPolicyAlgorithmId } from './offPolicyAlgorithms';
import { makeConfig, type SacConfig } from './sac/config';
import { Trainer, type AnyOffPolicyTrainer } from './trainer';

/** SAC-SPEC.md's swing-up criterion (defined with the env, where the trainer reads it too). */
export { SWING_UP_THRESHOLD };

export interface TrainingRate {
  backend: string;
  /** The algorithm timed (absent: SAC, as in older results). */
  algorithm?: OffPolicyAlgorithmId;
  hiddenSize: number;
  /** Training steps per second, each = act + env step + one SAC update (what a user's run does). */
  updatesPerSecond: number;
  /** tfjs kernels launched by one training step (tf.profile). */
  kernelsPerUpdate: number;
  /** Steps timed (after warm-up). */
  steps: number;
}

/**
 * Times full training steps at the given settings: SAC by default, or `algorithm` (DDPG, TD3) at its
 * defaults with the given hidden and batch size, its random warm-up shortened to one batch so the timed
 * steps include updates. Runs `warmupSteps` first (updates start after batch_size steps; the first
 * kernels compile shaders on WebGL), then steps for about `seconds`.
 */
export async function measureTrainingRate(options: {
  hiddenSize: number;
  seconds: number;
  warmupSteps?: number;
  algorithm?: OffPolicyAlgorithmId;
  batchSize?: number;
  config?: Partial<SacConfig>;
}): Promise<TrainingRate> {
  const algorithm = options.algorithm ?? 'sac';
  const batch: Record<string, number> = options.batchSize === undefined ? {} : { batchSize: options.batchSize };
  const trainer: AnyOffPolicyTrainer =
    algorithm === 'sac'
      ? await Trainer.create(makeConfig({ stopAtGoal: false, ...options.config, ...batch, hiddenSize: options.hiddenSize }))
      : await OFF_POLICY_ALGORITHMS[algorithm].create({
          stopAtGoal: false,
          ...batch,
          hiddenSize: options.hiddenSize,
          learningStarts: options.batchSize ?? Number(OFF_POLICY_ALGORITHMS[algorithm].table.batchSize?.defaultValue ?? 256),
        });
  try {
    trainer.runFor(options.warmupSteps ?? 150);
    const profile = await tf.profile(() => {
      trainer.runFor(1);
    });
    let steps = 0;
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    // Slices of 10 steps so a slow backend still stops near the deadline.
    while (performance.now() < deadline) steps += trainer.runFor(10).steps;
    const elapsedSeconds = (performance.now() - started) / 1000;
    return {
      backend: tf.getBackend(),
      algorithm,
      hiddenSize: options.hiddenSize,
      updatesPerSecond: steps / elapsedSeconds,
      kernelsPerUpdate: profile.kernels.length,
      steps,
    };
  } finally {
    trainer.dispose();
  }
}

/** Pendulum steps per second on its own (random torques precomputed outside the timed loop). */
export function measureEnvRate(steps: number): number {
  const env = new Pendulum();
  env.reset({ seed: 1 });
  const action = new Float32Array(1);
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    action[0] = ((i * 7919) % 400) / 100 - 2;
    if (env.step(action).truncated) env.reset();
  }
  return steps / ((performance.now() - started) / 1000);
}

export interface SwingUpResult {
  backend: string;
  seed: number;
  /** First env step at which the mean of the last 10 episode scores exceeded −200, or null within maxSteps. */
  steps: number | null;
  seconds: number;
  updatesPerSecond: number;
}

/** Trains with the lecture defaults (stop rule off) until the swing-up criterion or maxSteps. */
export async function measureSwingUp(seed: number, maxSteps: number, onProgress?: (step: number) => void): Promise<SwingUpResult> {
  const trainer = await Trainer.create(makeConfig({ seed, stopAtGoal: false, maxSteps }));
  const started = performance.now();
  try {
    // The trainer records the swing-up step itself (first step with the last-10 mean above −200, episode 10 on).
    while (trainer.stopReason === null && trainer.swingUpStep === null) {
      trainer.runFor(200);
      onProgress?.(trainer.totalSteps);
      // Let a worker handle messages between episodes.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const seconds = (performance.now() - started) / 1000;
    return { backend: tf.getBackend(), seed, steps: trainer.swingUpStep, seconds, updatesPerSecond: trainer.updates / seconds };
  } finally {
    trainer.dispose();
  }
}
