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
      trainer.runFor(20);
    });
    const updates = trainer.updates - updatesBefore;
    const kernels = profile.kernels.length / Math.max(updates, 1);
    console.log(`${id} ${tf.getBackend()}: ${kernels} kernels/update`);
    if (histogram) {
      const counts = new Map<string, number>();
      const times = new Map<string, number>();
      for (const kernel of profile.kernels) {
        counts.set(kernel.name, (counts.get(kernel.name) ?? 0) + 1);
        times.set(kernel.name, (times.get(kernel.name) ?? 0) + Number(kernel.kernelTimeMs));
      }
      let total = 0;
      for (const t of times.values()) total += t;
      console.log(`kernel time ${(total / updates).toFixed(2)} ms/update: ` + [...times.entries()].sort((a, b) => b[1] - a[1]).map(([n, t]) => `${n} ${((t / updates) * 1000).toFixed(0)}us`).join(', '));
      console.log(
        [...counts.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, count]) => `${name} ${count / updates}`)
          .join(', '),
      );
    }
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) {
      let steps = 0;
      const started = performance.now();
      const deadline = started + seconds * 1000;
      while (performance.now() < deadline) steps += trainer.runFor(10).steps;
      rates.push(steps / ((performance.now() - started) / 1000));
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(`${id} ${tf.getBackend()}: env steps/s ${rates.map((r) => r.toFixed(0)).join(' ')} (median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)})`);
    trainer.dispose();
  }
}

void main();
