/**
 * `npm run train -- --algo ppo|trpo`: flags and --help from PPO's and TRPO's own tables, --json lines with
 * their own metrics, --out exporting the actor that `npm run evaluate` scores with clip(μ, −2, 2),
 * checked against an episode run here with tfjs-layers' forward of the same files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UsageError, parseTrainArgs, usage } from '../../src/cli/args';
import { Pendulum } from '../../src/rl/env/pendulum';

const run = promisify(execFile);

async function node(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('--algo ppo / trpo (arguments)', () => {
  it('default to the zoo settings and parse their own flags', () => {
    expect(parseTrainArgs(['--algo', 'ppo']).config).toMatchObject({ nEnvs: 4, nSteps: 1024, gamma: 0.9, clipRange: 0.2, useSde: true });
    const trpo = parseTrainArgs(['--algo=trpo', '--target-kl', '0.02', '--no-use-sde', '--goal-score', '-250']);
    expect(trpo.algorithm).toBe('trpo');
    expect(trpo.config).toMatchObject({ targetKl: 0.02, useSde: false, goalScore: -250, nEnvs: 2, batchSize: 128 });
  });

  it.each([
    [['--algo', 'ppo', '--clip-range', '3'], /--clip-range: Clip range ε \(clip_range\) must be in 0.01 … 1, got "3"/],
    [['--algo', 'ppo', '--target-kl', '0.1'], /Unknown option '--target-kl'[\s\S]*--algo ppo --help/],
    [['--algo', 'trpo', '--buffer-size', '100'], /Unknown option '--buffer-size'/],
  ])('refuse %j naming why', (args, message) => {
    expect(() => parseTrainArgs(args)).toThrow(UsageError);
    expect(() => parseTrainArgs(args)).toThrow(message);
  });

  it('--help lists the algorithm’s flags with defaults, ranges and sources', () => {
    expect(usage('ppo')).toMatch(/Trains PPO/);
    expect(usage('ppo')).toMatch(/--n-epochs +Epochs per rollout \(default 10; integer 1 … 100; from rl-baselines3-zoo hyperparams\/ppo\.yml/);
    expect(usage('trpo')).toMatch(/--cg-damping +Conjugate-gradient damping \(default 0\.1; 0 … 10; from sb3-contrib TRPO default/);
    expect(usage('trpo')).not.toMatch(/--clip-range/);
  });
});

describe('npm run train --algo ppo / trpo (process)', () => {
  it.each([
    ['ppo', ['--n-epochs', '1'], ['policyLoss', 'valueLoss', 'approxKl', 'clipFraction', 'entropy', 'explainedVariance']],
    ['trpo', ['--n-critic-updates', '1'], ['klAfterStep', 'lineSearchTries', 'surrogateGain', 'valueLoss']],
  ] as const)('%s: --json lines carry its metrics; --out exports the actor evaluate scores with clip(μ)', async (algorithm, extra, keys) => {
    const outDir = await mkdtemp(join(tmpdir(), `${algorithm}-cli-`));
    const train = await node('src/cli/train.ts', ['--algo', algorithm, '--json', '--seed', '3', '--hidden-size', '8', '--n-envs', '2', '--n-steps', '100', '--batch-size', '50', '--max-steps', '400', '--no-stop-at-goal', ...extra, '--out', outDir]);
    expect(train.code).toBe(0);
    const lines = train.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3); // 2 envs × 200 steps: two episodes, then the summary
    for (const key of keys) expect(typeof lines[1]?.[key]).toBe('number');
    expect(lines[1]).not.toHaveProperty('criticLoss');
    expect(lines[2]).toMatchObject({ done: true, algorithm, steps: 400, episodes: 2, stopReason: 'maxSteps' });
    const csvHeader = (await readFile(join(outDir, 'metrics.csv'), 'utf8')).split('\n')[0];
    expect(csvHeader).toContain(keys.join(','));

    const evaluate = await node('src/cli/evaluate.ts', [join(outDir, 'model.json'), '--episodes', '1']);
    expect(evaluate.code).toBe(0);
    const printed = Number(/^episode 1 \(seed 1000\): return (-?\d+\.\d)$/m.exec(evaluate.stdout)?.[1]);

    // The same episode here, independently: tfjs-layers' forward of the files, torque = clip(output, −2, 2).
    await tf.setBackend('cpu');
    const json = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8')) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const weights = await readFile(join(outDir, 'weights.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights ?? [], weightData: new Uint8Array(weights).buffer }));
    const env = new Pendulum();
    let observation = env.reset({ seed: 1000 });
    let total = 0;
    for (let step = 0; step < 200; step++) {
      const output = tf.tidy(() => (model.predict(tf.tensor2d(observation, [1, 3])) as tf.Tensor).dataSync()[0] ?? Number.NaN);
      const result = env.step([Math.min(Math.max(output, -2), 2)]);
      total += result.reward;
      observation = result.observation;
    }
    model.dispose();
    expect(Number.isFinite(printed)).toBe(true);
    expect(printed).toBeCloseTo(total, 1);
  });
});
