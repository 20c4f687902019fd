/**
 * SAC kernels/update (exact, tf.profile) and env steps/s in Node on tfjs wasm (and cpu), for the
 * issue 11 fusion work. `npx tsx bench/sacKernels.ts [--seconds 5] [--repeats 3] [--histogram] [--algorithms sac,ddpg,td3]`
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { OFF_POLICY_ALGORITHMS, type OffPolicyAlgorithmId } from '../src/rl/offPolicyAlgorithms';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const seconds = Number(option('seconds', '5'));
const repeats = Number(option('repeats', '3'));
const backend = option('backend', 'wasm');
const algorithms = option('algorithms', 'sac').split(',') as OffPolicyAlgorithmId[];
const histogram = args.includes('--histogram');

async function main(): Promise<void> {
  await tf.setBackend(backend);
  await tf.ready();
  for (const id of algorithms) {
    const overrides = { stopAtGoal: false, hiddenSize: 64 };
    const config: Readonly<Record<string, unknown>> = OFF_POLICY_ALGORITHMS[id].makeConfig(overrides);
    const learningStarts = typeof config.learningStarts === 'number' ? config.learningStarts : 0;
    const trainer = await OFF_POLICY_ALGORITHMS[id].create(overrides);
    trainer.runFor(learningStarts + 300);
    const updatesBefore = trainer.updates;
    const profile = await tf.profile(() => {
      trainer.runFor(histogram ? 100 : 20);
    });
    const updates = trainer.updates - updatesBefore;
    const kernels = profile.kernels.length / Math.max(updates, 1);
    console.log(`${id} ${tf.getBackend()}: ${kernels} kernels/update`);
    if (histogram) {
      const counts = new Map<string, number>();
      // Per kernel name: count × median time of one launch (medians resist preemption by other jobs).
      const times = new Map<string, number[]>();
      for (const kernel of profile.kernels) {
        counts.set(kernel.name, (counts.get(kernel.name) ?? 0) + 1);
        const list = times.get(kernel.name) ?? [];
        list.push(Number(kernel.kernelTimeMs));
        times.set(kernel.name, list);
      }
      const estimates = [...times.entries()].map(([name, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return [name, ((sorted[Math.floor(sorted.length / 2)] ?? 0) * list.length) / updates] as const;
      });
      const total = estimates.reduce((sum, [, t]) => sum + t, 0);
      console.log(`kernel time (count × median) ${(total * 1000).toFixed(0)} us/update: ` + estimates.sort((a, b) => b[1] - a[1]).map(([n, t]) => `${n} ${(t * 1000).toFixed(0)}`).join(', '));
      console.log(
        [...counts.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, count]) => `${name} ${count / updates}`)
          .join(', '),
      );
    }
    // Wall-clock rate and CPU-time rate (steps per second of this process's CPU time): on a machine
    // shared with other jobs the second is far less noisy.
    const rates: number[] = [];
    const cpuRates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      let steps = 0;
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const deadline = started + seconds * 1000;
      while (performance.now() < deadline) steps += trainer.runFor(10).steps;
      const cpu = process.cpuUsage(cpuStart);
      rates.push(steps / ((performance.now() - started) / 1000));
      cpuRates.push(steps / ((cpu.user + cpu.system) / 1e6));
    }
    const median = (values: number[]): string => ([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN).toFixed(0);
    console.log(`${id} ${tf.getBackend()}: env steps/s ${rates.map((r) => r.toFixed(0)).join(' ')} (median ${median(rates)}); per CPU second ${cpuRates.map((r) => r.toFixed(0)).join(' ')} (median ${median(cpuRates)})`);
    trainer.dispose();
  }
}

void main();
