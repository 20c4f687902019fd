/**
 * `--algo sac|ddpg|td3` (issue 8): each algorithm's flags and --help come from its own table, the
 * defaults are the zoo's as ALGORITHMS.md lists them (typed here from that document), and `npm run
 * evaluate` scores a DDPG/TD3 actor with its own deterministic action scale · μ(s).
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
import { OFF_POLICY_ALGORITHMS } from '../../src/rl/offPolicyAlgorithms';

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

describe('--algo', () => {
  it('defaults to SAC with its lecture defaults', () => {
    const options = parseTrainArgs([]);
    expect(options.algorithm).toBe('sac');
    expect(options.config).toMatchObject({ gamma: 0.99, batchSize: 64, bufferSize: 10000 });
  });

  it('DDPG and TD3 default to the zoo settings on the lecture network (ALGORITHMS.md)', () => {
    const zoo = { gamma: 0.98, bufferSize: 200000, learningStarts: 10000, actionNoise: 0.1, actorLr: 1e-3, criticLr: 1e-3, batchSize: 256, tau: 0.005, hiddenSize: 64, actionScale: 2 };
    expect(parseTrainArgs(['--algo', 'ddpg']).config).toMatchObject(zoo);
    expect(parseTrainArgs(['--algo=td3']).config).toMatchObject({ ...zoo, policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5 });
    expect(parseTrainArgs(['--algo', 'ddpg']).config).not.toHaveProperty('policyDelay');
  });

  it('every DDPG/TD3 setting names the source of its default', () => {
    for (const id of ['ddpg', 'td3'] as const) {
      for (const spec of Object.values(OFF_POLICY_ALGORITHMS[id].table)) expect(spec.source, `${id} ${spec.key}`).toMatch(/\w{4}/);
    }
  });

  it('parses each algorithm’s own flags, negative numbers in the space form included', () => {
    const options = parseTrainArgs(['--algo', 'td3', '--policy-delay', '3', '--target-noise-clip', '0.3', '--learning-starts', '500', '--goal-score', '-250', '--no-stop-at-goal']);
    expect(options.algorithm).toBe('td3');
    expect(options.config).toMatchObject({ policyDelay: 3, targetNoiseClip: 0.3, learningStarts: 500, goalScore: -250, stopAtGoal: false });
  });

  it.each([
    [['--algo', 'a2c'], /--algo must be one of sac, ddpg, td3, ppo, trpo, got "a2c"/],
    [['--algo', 'ddpg', '--policy-delay', '2'], /Unknown option '--policy-delay'[\s\S]*--algo ddpg --help/],
    [['--learning-starts', '10'], /Unknown option '--learning-starts'/],
    [['--algo', 'td3', '--policy-delay', '0'], /--policy-delay: Policy delay \(policy_delay\) must be in integer 1 … 100, got "0"/],
    [['--algo', 'td3', '--target-entropy', '-1'], /Unknown option '--target-entropy'/],
  ])('refuses %j naming why', (args, message) => {
    expect(() => parseTrainArgs(args)).toThrow(UsageError);
    expect(() => parseTrainArgs(args)).toThrow(message);
  });

  it('--help is per algorithm: its flags with defaults, ranges and sources', () => {
    const td3 = usage('td3');
    expect(td3).toMatch(/Trains TD3/);
    expect(td3).toMatch(/--policy-delay +Policy delay \(default 2; integer 1 … 100; from stable-baselines3 TD3 default/);
    expect(td3).toMatch(/--gamma +Discount factor \(default 0\.98; .*rl-baselines3-zoo/);
    expect(usage('ddpg')).not.toMatch(/--policy-delay/);
    expect(usage('sac')).toMatch(/--target-entropy/);
    expect(usage('sac')).not.toMatch(/--learning-starts/);
  });
});

describe('npm run train --algo td3 / ddpg (process)', () => {
  it('--json lines carry the algorithm’s own losses; --out exports the actor that evaluate scores with scale · μ(s)', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'td3-cli-'));
    const train = await node('src/cli/train.ts', ['--algo', 'td3', '--backend', 'cpu', '--json', '--hidden-size', '8', '--batch-size', '16', '--learning-starts', '100', '--max-episodes', '2', '--out', outDir]);
    expect(train.code).toBe(0);
    const lines = train.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const key of ['criticLoss', 'actorLoss', 'qMean']) expect(typeof lines[1]?.[key]).toBe('number');
    expect(lines[1]).not.toHaveProperty('alpha');
    expect(lines[2]).toMatchObject({ done: true, algorithm: 'td3', steps: 400, updates: 300 });
    const csvHeader = (await readFile(join(outDir, 'metrics.csv'), 'utf8')).split('\n')[0];
    expect(csvHeader).toMatch(/criticLoss,actorLoss,qMean/);

    const evaluate = await node('src/cli/evaluate.ts', [join(outDir, 'model.json'), '--episodes', '1']);
    expect(evaluate.code).toBe(0);
    const printed = Number(/^episode 1 \(seed 1000\): return (-?\d+\.\d)$/m.exec(evaluate.stdout)?.[1]);

    // The same episode here, independently: tfjs-layers' forward of the files, torque = 2 · output.
    await tf.setBackend('cpu');
    const json = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8')) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const weights = await readFile(join(outDir, 'weights.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights ?? [], weightData: new Uint8Array(weights).buffer }));
    const env = new Pendulum();
    let observation = env.reset({ seed: 1000 });
    let total = 0;
    for (let step = 0; step < 200; step++) {
      const output = tf.tidy(() => (model.predict(tf.tensor2d(observation, [1, 3])) as tf.Tensor).dataSync()[0] ?? Number.NaN);
      const result = env.step([2 * output]);
      total += result.reward;
      observation = result.observation;
    }
    model.dispose();
    expect(printed).toBeCloseTo(total, 1);
  });

  it('--algo ddpg --help prints DDPG’s flags and exits 0', async () => {
    const help = await node('src/cli/train.ts', ['--algo', 'ddpg', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Trains DDPG/);
    expect(help.stdout).toMatch(/--learning-starts +Random warm-up steps \(default 10000/);
  });
});
