/** Runs bench/pytorch_reference.py with Debian's python3 when PyTorch is installed there; null otherwise. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

export interface PytorchRate {
  hiddenSize: number;
  updatesPerSecond: number;
  torch: string;
}

export async function runPytorchReference(hiddenSize: number, steps: number): Promise<PytorchRate | null> {
  try {
    const { stdout } = await run(PYTHON, ['bench/pytorch_reference.py', String(hiddenSize), String(steps)], { timeout: 600_000 });
    const lastLine = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(lastLine) as PytorchRate;
  } catch {
    return null;
  }
}
