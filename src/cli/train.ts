/**
 * Headless runner: `npm run train -- [flags]`. The same Trainer as the page, on tfjs cpu or wasm in Node.
 * Default output is the lecture's progress line "N episode | score_avg: X" every log_interval episodes;
 * --json prints one object per episode and a final summary; --out DIR writes the actor and metrics.csv.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { metricsToCsv } from '../rl/metricsCsv';
import { Trainer } from '../rl/trainer';
import { UsageError, parseTrainArgs, usage, type TrainOptions } from './args';
import { SWING_UP_THRESHOLD, summarizeRun } from './summary';

async function run(options: TrainOptions): Promise<void> {
  // tfjs prints a "use tfjs-node" banner through console.warn in Node; --json output must stay parseable.
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0] ?? '').includes('tfjs-node')) originalWarn(...args);
  };
  if (!(await tf.setBackend(options.backend))) throw new Error(`tfjs backend ${options.backend} failed to start`);
  await tf.ready();
  const trainer = await Trainer.create(options.config);
  const { config } = options;
  if (!options.json) {
    console.log(`SAC on Pendulum-v1 | backend ${tf.getBackend()} | seed ${config.seed} | hidden ${config.hiddenSize} | batch ${config.batchSize}`);
  }
  const started = performance.now();
  let swingUpStep: number | null = null;
  while (trainer.stopReason === null) {
    const slice = trainer.runFor(1000);
    for (const metrics of slice.episodes) {
      if (swingUpStep === null && metrics.episode >= 10 && metrics.avg10 > SWING_UP_THRESHOLD) swingUpStep = metrics.step;
      if (options.json) console.log(JSON.stringify(metrics));
      else if (metrics.episode % config.logInterval === 0) {
        console.log(`${metrics.episode} episode | score_avg: ${metrics.avg100.toFixed(2)}`);
      }
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = summarizeRun(trainer, wallSeconds, swingUpStep, tf.getBackend());
  if (options.json) console.log(JSON.stringify(summary));
  else {
    if (summary.goalReached) console.log(`Recent rewards exceed ${config.goalScore}. So end`);
    console.log(
      `stopped: ${summary.stopReason} after ${summary.steps} steps, ${summary.episodes} episodes, ${summary.wallSeconds.toFixed(1)} s, ` +
        `${summary.updatesPerSecond.toFixed(1)} updates/s; swing-up (last-10 mean > ${SWING_UP_THRESHOLD}) at step ${summary.swingUpStep ?? 'never'}`,
    );
  }
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true });
    const files = await trainer.exportActor(`seed${config.seed}`, 'weights.bin');
    await writeFile(join(options.outDir, 'model.json'), files.modelJson);
    await writeFile(join(options.outDir, files.weightsFileName), new Uint8Array(files.weightsBin));
    await writeFile(join(options.outDir, 'metrics.csv'), metricsToCsv(trainer.metrics));
    if (!options.json) console.log(`wrote ${join(options.outDir, 'model.json')}, ${files.weightsFileName} and metrics.csv`);
  }
  trainer.dispose();
  if (summary.stopReason === 'nonFinite') process.exitCode = 1;
}

async function main(): Promise<void> {
  let options: TrainOptions;
  try {
    options = parseTrainArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  if (options.help) {
    console.log(usage());
    return;
  }
  await run(options);
}

main().catch((error: unknown) => {
  console.error(`error: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
