/** Node half of `npm run bench`: the same rl/benchmark.ts measurements on tfjs cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { measureEnvRate, measureSwingUp, measureTrainingRate, type SwingUpResult, type TrainingRate } from '../src/rl/benchmark';
import { setSacEngine } from '../src/rl/sac/engine';

export interface NodeResults {
  rates: TrainingRate[];
  envStepsPerSecond: number;
  swingUps: SwingUpResult[];
}

export async function runNodeBench(options: { seconds: number; swingUpSeeds: number[]; log: (line: string) => void }): Promise<NodeResults> {
  const rates: TrainingRate[] = [];
  // 'kernels': SAC's hand-written engine (KernelSacAgent, src/rl/sac/kernel/), tfjs left on wasm for the rest.
  for (const backend of ['kernels', 'wasm', 'cpu']) {
    await tf.setBackend(backend === 'kernels' ? 'wasm' : backend);
    setSacEngine(backend === 'kernels' ? 'kernels' : 'tfjs');
    for (const hiddenSize of [64, 256]) {
      const rate = { ...(await measureTrainingRate({ hiddenSize, seconds: options.seconds })), backend };
      options.log(`node ${backend} hidden ${hiddenSize}: ${rate.updatesPerSecond.toFixed(1)} updates/s, ${rate.kernelsPerUpdate} tfjs kernels/update`);
      rates.push(rate);
    }
  }
  setSacEngine('tfjs');
  const envStepsPerSecond = measureEnvRate(2_000_000);
  options.log(`pendulum alone: ${(envStepsPerSecond / 1e6).toFixed(2)} M steps/s`);
  await tf.setBackend('wasm');
  const swingUps: SwingUpResult[] = [];
  for (const seed of options.swingUpSeeds) {
    const result = await measureSwingUp(seed, 20_000);
    options.log(`node wasm swing-up seed ${seed}: step ${result.steps ?? 'never'} in ${result.seconds.toFixed(1)} s`);
    swingUps.push(result);
  }
  return { rates, envStepsPerSecond, swingUps };
}
