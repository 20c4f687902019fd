/**
 * `npx tsx bench/population.ts [seconds]`: aggregate env steps/s of a SAC population (K seeds in one
 * batched computation, src/rl/population/) at K = 1, 8, 32 against the single-run Trainer, in the same
 * process, on wasm (per-member XNNPACK matmuls and batched rank-3 matmuls) and cpu. SAC defaults
 * (hidden 64, batch 64), one update per env step. Each row is the median of `rounds` interleaved timings.
 * WebGL cannot run in Node: measure it in the browser (the population is backend-agnostic; on webgl it
 * uses rank-3 batched matmuls, one kernel per layer for all members).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { MatMulMode } from '../src/rl/population/batchedMath';
import { PopulationTrainer } from '../src/rl/population/populationTrainer';
import { makeConfig } from '../src/rl/sac/config';
import { Trainer } from '../src/rl/trainer';

const seconds = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 3);
const sizes = (process.argv[4] ?? '1,8,32').split(',').map(Number);
const config = (seed: number) => makeConfig({ seed, stopAtGoal: false });

interface Row { backend: string; label: string; members: number; rates: number[]; kernels: number }

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Env steps/s of all members together over about `seconds` (after a warm-up past the first updates). */
async function timeRun(step: (n: number) => number, budget: number): Promise<number> {
  step(80);
  let steps = 0;
  const started = performance.now();
  const deadline = started + budget * 1000;
  while (performance.now() < deadline) steps += step(1);
  return steps / ((performance.now() - started) / 1000);
}

async function measureSingle(): Promise<{ rate: number; kernels: number }> {
  const trainer = await Trainer.create(config(1));
  try {
    trainer.runFor(80);
    const kernels = (await tf.profile(() => { trainer.runFor(1); })).kernels.length;
    return { rate: await timeRun((n) => trainer.runFor(n).steps, seconds), kernels };
  } finally {
    trainer.dispose();
  }
}

async function measurePopulation(members: number, matMulMode: MatMulMode): Promise<{ rate: number; kernels: number }> {
  const population = await PopulationTrainer.create(Array.from({ length: members }, (_, k) => config(k + 1)), { matMulMode });
  try {
    population.runFor(80);
    const kernels = (await tf.profile(() => { population.runFor(1); })).kernels.length;
    // Budget grows with K a little so K = 32 still times several updates.
    return { rate: await timeRun((n) => population.runFor(n).steps * members, seconds * (members >= 32 ? 2 : 1)), kernels };
  } finally {
    population.dispose();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const row = (backend: string, label: string, members: number): Row => {
    let found = rows.find((r) => r.backend === backend && r.label === label && r.members === members);
    if (!found) rows.push((found = { backend, label, members, rates: [], kernels: 0 }));
    return found;
  };
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const modes: MatMulMode[] = backend === 'wasm' ? ['perMember', 'batched'] : ['batched'];
    const cpuSizes = backend === 'cpu' ? sizes.filter((k) => k <= 8) : sizes;
    for (let round = 0; round < (backend === 'cpu' ? 1 : rounds); round++) {
      const single = await measureSingle();
      Object.assign(row(backend, 'single Trainer', 1), { kernels: single.kernels }).rates.push(single.rate);
      console.log(`${backend} round ${round + 1}: single ${single.rate.toFixed(0)} steps/s`);
      for (const mode of modes) {
        for (const members of cpuSizes) {
          if (backend === 'wasm' && mode === 'batched' && members > 8) continue; // scalar-loop matmuls: minutes per row
          const result = await measurePopulation(members, mode);
          Object.assign(row(backend, `population ${mode}`, members), { kernels: result.kernels }).rates.push(result.rate);
          console.log(`${backend} round ${round + 1}: population ${mode} K=${members} ${result.rate.toFixed(0)} aggregate env steps/s`);
        }
      }
    }
  }
  console.log('\n| backend | trainer | K | aggregate env steps/s (median) | per member | × single run | kernels per population step |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const single = rows.find((s) => s.backend === r.backend && s.label === 'single Trainer');
    const rate = median(r.rates);
    const ratio = single ? rate / median(single.rates) : Number.NaN;
    console.log(`| ${r.backend} | ${r.label} | ${r.members} | ${rate.toFixed(0)} (${r.rates.map((v) => v.toFixed(0)).join(', ')}) | ${(rate / r.members).toFixed(0)} | ${ratio.toFixed(2)} | ${r.kernels} |`);
  }
  console.log('\nwebgl: not available in Node; run the population in the page worker (rank-3 batched matmuls) to fill K = 1, 8, 32.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
