/**
 * Issue 10, items 2 and 3: `npm run train` with a bad --out ends at once with a message (it used to train
 * and then hang forever in a recursive mkdir), and negative numbers work in the space form
 * (`--goal-score -200`, which Node's parseArgs refused).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, joinNegativeNumericValues, parseTrainArgs } from '../../src/cli/args';
import { OutputDirectoryError, prepareOutputDirectory } from '../../src/cli/outputDirectory';


interface CliResult {
  code: number | null;
  /** Whether the process was killed by our timeout (it hung). */
  hung: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with a hard timeout, reporting a hang as `hung` rather than waiting forever. One process
 * (node with tsx as its loader, not the tsx launcher, whose node child would outlive the kill): a hang,
 * which was a busy loop, must not keep running after the test.
 */
function cli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({
        code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
        hung: failure?.killed === true || failure?.signal === 'SIGKILL',
        stdout,
        stderr,
      });
    });
  });
}

const TINY_RUN = ['--backend', 'cpu', '--hidden-size', '8', '--max-episodes', '1'];

describe('negative numbers in the space form (issue 10.3)', () => {
  it('accepts --goal-score -200 and --target-entropy -1 like their = forms', () => {
    const spaced = parseTrainArgs(['--goal-score', '-200', '--target-entropy', '-0.5', '--json']);
    expect(spaced.config.goalScore).toBe(-200);
    expect(spaced.config.targetEntropy).toBe(-0.5);
    expect(spaced.json).toBe(true);
    const equals = parseTrainArgs(['--goal-score=-200', '--target-entropy=-0.5', '--json']);
    expect(spaced.config).toEqual(equals.config);
    expect(parseTrainArgs(['--target-entropy', '-1e-1']).config.targetEntropy).toBe(-0.1);
    expect(parseTrainArgs(['--target-entropy', '-.25']).config.targetEntropy).toBe(-0.25);
  });

  it('keeps the named range errors for bad negative values', () => {
    expect(() => parseTrainArgs(['--goal-score', '-5000'])).toThrow(UsageError);
    expect(() => parseTrainArgs(['--goal-score', '-5000'])).toThrow(/--goal-score: .*-2000 … 0.*"-5000"/);
    expect(() => parseTrainArgs(['--gamma', '-1'])).toThrow(/--gamma: .*0\.8 … 0\.999.*"-1"/);
    expect(() => parseTrainArgs(['--seed', '-3'])).toThrow(/--seed: .*"-3"/);
    expect(() => parseTrainArgs(['--target-entropy', '-1x'])).toThrow(/--target-entropy: .*"-1x"/);
  });

  it('joins only a negative number after a numeric flag: flags and boolean flags stay flags', () => {
    const numeric = new Set(['goal-score', 'gamma']);
    expect(joinNegativeNumericValues(['--goal-score', '-200', '--json'], numeric)).toEqual(['--goal-score=-200', '--json']);
    // A flag after a numeric flag is not its value: parseArgs still reports the missing argument.
    expect(joinNegativeNumericValues(['--gamma', '--json'], numeric)).toEqual(['--gamma', '--json']);
    expect(joinNegativeNumericValues(['--json', '-1'], numeric)).toEqual(['--json', '-1']);
    expect(joinNegativeNumericValues(['--gamma=-1', '-2'], numeric)).toEqual(['--gamma=-1', '-2']);
    expect(() => parseTrainArgs(['--gamma', '--json'])).toThrow(UsageError);
  });

  it('the process accepts --goal-score -200 (it used to exit 2 with "use --goal-score=-XYZ")', async () => {
    const result = await cli([...TINY_RUN, '--json', '--goal-score', '-200', '--target-entropy', '-1']);
    expect(result.stderr).not.toMatch(/ambiguous|=-XYZ/);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/"done":true/);
  });
});

describe('--out is checked before training and never hangs (issue 10.2)', () => {
  it('--out /proc/nope exits 2 at once naming --out and the reason, without training', async () => {
    const result = await cli([...TINY_RUN, '--out', '/proc/nope'], 30_000);
    expect(result.hung).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out \/proc\/nope is not writable: .+/);
    expect(result.stdout).not.toMatch(/stopped:/);
  });

  it('--out naming a file, or a path through a file, exits 2 naming it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'sac-out-'));
    const file = join(base, 'plain-file');
    await writeFile(file, 'x');
    const onFile = await cli([...TINY_RUN, '--out', file], 30_000);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`--out ${file}: ${file} is a file, not a directory`);
    const through = await cli([...TINY_RUN, '--out', join(file, 'sub')], 30_000);
    expect(through.code).toBe(2);
    expect(through.stderr).toMatch(/--out .*plain-file/);
    expect(through.stdout).not.toMatch(/stopped:/);
  });

  it('a write that fails after training exits 1 naming the file (no hang, no silent success)', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sac-out-'));
    // model.json is a directory: the check passes (the folder is writable), the write itself fails.
    await mkdir(join(outDir, 'model.json'));
    const result = await cli([...TINY_RUN, '--out', outDir]);
    expect(result.hung).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: writing ${join(outDir, 'model.json')} failed`);
  });

  it('prepareOutputDirectory creates missing levels and leaves no probe file behind', async () => {
    const base = await mkdtemp(join(tmpdir(), 'sac-out-'));
    const nested = join(base, 'a', 'b', 'c');
    await prepareOutputDirectory(nested);
    expect(await readdir(nested)).toEqual([]);
    await expect(prepareOutputDirectory('/proc/nope/deeper')).rejects.toThrow(OutputDirectoryError);
  });
});
