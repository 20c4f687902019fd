/**
 * Issue 11: env steps/s of the full training loop (act + env step + replay buffer + one SAC update per
 * step) for KernelSacAgent (plain TypeScript over the WebAssembly SIMD gemm kernels) against SacAgent on
 * tfjs wasm, at the lecture's defaults (hidden 64, batch 64). Timed windows alternate between the two
 * trainers so machine load hits both alike; wall-clock and CPU-time rates are reported with the load
 * average (the machine is shared).
 *
 *   npx tsx bench/kernelSac.ts [--seconds 5] [--repeats 3] [--hidden 64] [--batch 64] [--only kernel|tfjs]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { makeConfig } from '../src/rl/sac/config';
import { KERNEL_SAC_ALGORITHM } from '../src/rl/sac/kernel/algorithm';
import { SAC_TRAINER_ALGORITHM, Trainer } from '../src/rl/trainer';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const seconds = Number(option('seconds', '5'));
const repeats = Number(option('repeats', '3'));
const hiddenSize = Number(option('hidden', '64'));
const batchSize = Number(option('batch', '64'));
const only = option('only', '');

const loadAverage = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
};

interface Timed {
  name: string;
  trainer: { runFor(steps: number): { steps: number }; dispose(): void };
  wall: number[];
  cpu: number[];
}

/** Steps for about `seconds`, in slices of 10 (as measureTrainingRate): wall-clock and per-CPU-second rates. */
function time(entry: Timed): void {
  let steps = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) steps += entry.trainer.runFor(10).steps;
  const cpu = process.cpuUsage(cpuStart);
  entry.wall.push(steps / ((performance.now() - started) / 1000));
  entry.cpu.push(steps / ((cpu.user + cpu.system) / 1e6));
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const config = makeConfig({ stopAtGoal: false, hiddenSize, batchSize, maxSteps: 0 });
  const entries: Timed[] = [];
  if (only !== 'tfjs') {
    entries.push({ name: 'KernelSacAgent', trainer: await Trainer.createWith({ ...SAC_TRAINER_ALGORITHM, ...KERNEL_SAC_ALGORITHM }, config), wall: [], cpu: [] });
  }
  if (only !== 'kernel') entries.push({ name: `SacAgent (tfjs ${tf.getBackend()})`, trainer: await Trainer.create(config), wall: [], cpu: [] });
  // Warm-up past the first update (steps > batch size) and the JIT's first tiers.
  for (const entry of entries) entry.trainer.runFor(batchSize + 400);
  console.log(`hidden ${hiddenSize}, batch ${batchSize}: ${repeats} × ${seconds} s per agent, alternating; load average before ${loadAverage()}`);
  for (let r = 0; r < repeats; r++) for (const entry of entries) time(entry);
  for (const entry of entries) {
    const list = (values: number[]): string => values.map((value) => value.toFixed(0)).join(' ');
    console.log(`${entry.name}: env steps/s ${list(entry.wall)} (median ${median(entry.wall).toFixed(0)}); per CPU second ${list(entry.cpu)} (median ${median(entry.cpu).toFixed(0)})`);
    entry.trainer.dispose();
  }
  console.log(`load average after ${loadAverage()}`);
}

void main();
