import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError, parseTrainArgs } from '../../src/cli/args';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli/train.ts', ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('parseTrainArgs', () => {
  it('maps kebab-case lecture flags onto the config', () => {
    const options = parseTrainArgs(['--actor-lr', '3e-4', '--hidden-size', '32', '--no-stop-at-goal', '--backend', 'cpu', '--json']);
    expect(options.config.actorLr).toBe(3e-4);
    expect(options.config.hiddenSize).toBe(32);
    expect(options.config.stopAtGoal).toBe(false);
    expect(options.config.gamma).toBe(0.99);
    expect(options.backend).toBe('cpu');
    expect(options.json).toBe(true);
  });

  it("takes --backend kernels for SAC (its hand-written engine)", () => {
    expect(parseTrainArgs(['--backend', 'kernels']).backend).toBe('kernels');
  });

  it.each([
    [['--gamma', '1.5'], /--gamma: .*gamma.*0\.8 … 0\.999.*"1\.5"/],
    [['--hidden-size', '12.5'], /--hidden-size: .*integer 4 … 512/],
    [['--batch-size', 'abc'], /--batch-size: .*"abc"/],
    [['--backend', 'webgl'], /--backend must be one of cpu, wasm, kernels/],
    [['--algo', 'td3', '--backend', 'kernels'], /--backend kernels is SAC's hand-written engine; td3 runs on tfjs/],
    [['--tau'], /--tau/],
    [['--nope'], /Unknown option '--nope'/],
  ])('refuses %j', (args, message) => {
    expect(() => parseTrainArgs(args)).toThrow(UsageError);
    expect(() => parseTrainArgs(args)).toThrow(message);
  });
});

describe('npm run train (process)', () => {
  it('exits with status 2 naming the flag and its range', async () => {
    const result = await cli(['--critic-lr', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--critic-lr: Critic learning rate \(critic_lr\) must be in .* … 0\.1/);
  });

  it('exits with status 2 on an unknown flag', async () => {
    const result = await cli(['--max-iterations', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/max-iterations/);
  });

  it('--json prints one object per episode then a summary; --out writes the actor and metrics.csv', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sac-cli-'));
    const result = await cli(['--backend', 'cpu', '--json', '--hidden-size', '8', '--max-episodes', '2', '--out', outDir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ episode: 1, step: 200 });
    for (const key of ['score', 'avg100', 'alpha', 'criticLoss', 'actorLoss']) expect(typeof lines[1]?.[key]).toBe('number');
    expect(lines[2]).toMatchObject({ done: true, stopReason: 'maxEpisodes', goalReached: false, steps: 400, backend: 'cpu' });
    const csv = (await readFile(join(outDir, 'metrics.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^episode,step,score,avg100/);
    const model = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
    expect(model.weightsManifest[0]?.paths).toEqual(['./weights.bin']);
    expect((await readFile(join(outDir, 'weights.bin'))).byteLength).toBe(4 * (3 * 8 + 8 + 8 * 8 + 8 + 8 + 1 + 8 + 1));
  });

  it('prints the lecture progress line every log_interval episodes', async () => {
    const result = await cli(['--backend', 'cpu', '--hidden-size', '8', '--max-episodes', '2', '--log-interval', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 episode \| score_avg: -?\d+\.\d\d$/m);
    expect(result.stdout).toMatch(/^2 episode \| score_avg: -?\d+\.\d\d$/m);
  });

  it('npm run evaluate loads an exported actor with tf.loadLayersModel and runs the deterministic policy', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sac-eval-'));
    expect((await cli(['--backend', 'cpu', '--hidden-size', '8', '--max-episodes', '1', '--out', outDir])).code).toBe(0);
    const { stdout } = await run(tsx, ['src/cli/evaluate.ts', join(outDir, 'model.json'), '--episodes', '2'], { timeout: 120_000 });
    expect(stdout).toMatch(/^episode 1 \(seed 1000\): return -?\d+\.\d$/m);
    expect(stdout).toMatch(/^episode 2 \(seed 1001\): return -?\d+\.\d$/m);
    expect(stdout).toMatch(/^mean return over 2 episodes: -?\d+\.\d/m);
  });
});
