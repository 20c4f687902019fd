/**
 * Headless runner: `npm run train -- [flags]`. The same Trainer as the page, on tfjs cpu or wasm in Node;
 * PPO and TRPO run the on-policy loop (rl/onPolicy, plain JS; tfjs only writes their actor).
 * Default output is the lecture's progress line "N episode | score_avg: X" every log_interval episodes;
 * --json prints one object per episode and a final summary; --out DIR writes the actor and metrics.csv.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ALGORITHMS } from '../rl/algorithm';
import { metricsToCsv } from '../rl/metricsCsv';
import { OFF_POLICY_ALGORITHMS } from '../rl/offPolicyAlgorithms';
import { createOnPolicyTrainer } from '../rl/onPolicy/factory';
import type { PpoConfig } from '../rl/ppo/config';
import type { TrpoConfig } from '../rl/trpo/config';
import type { EpisodeMetrics } from '../rl/types';
import { UsageError, parseTrainArgs, usage, type TrainOptions } from './args';
import { OutputDirectoryError, prepareOutputDirectory, writeOutputFile } from './outputDirectory';
import { isSwingUp, SWING_UP_THRESHOLD } from '../rl/episodeRules';
import { summarizeRun, type SummarizedRun } from './summary';
import { setSacEngine } from '../rl/sac/engine';

/** What the CLI drives: the off-policy Trainer (SAC, DDPG, TD3) and the on-policy trainer (PPO, TRPO) both are one. */
interface CliTrainer extends SummarizedRun {
  runFor(maxEnvSteps: number): { episodes: EpisodeMetrics[] };
  exportActor(runName: string, which: 'final', weightsFileName: string): Promise<{ modelJson: string; weightsBin: ArrayBuffer; weightsFileName: string }>;
  dispose(): void;
}

/** A new run of the chosen algorithm (PPO and TRPO run the on-policy loop, the others the Trainer). */
async function createTrainer(options: TrainOptions): Promise<CliTrainer> {
  const { algorithm, config } = options;
  // parseTrainArgs made the config from this algorithm's own table, so it is that algorithm's config.
  if (algorithm === 'ppo') return createOnPolicyTrainer('ppo', config as Partial<PpoConfig>);
  if (algorithm === 'trpo') return createOnPolicyTrainer('trpo', config as Partial<TrpoConfig>);
  return OFF_POLICY_ALGORITHMS[algorithm].create(config);
}

async function run(options: TrainOptions): Promise<void> {
  // tfjs prints a "use tfjs-node" banner through console.warn in Node; --json output must stay parseable.
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0] ?? '').includes('tfjs-node')) originalWarn(...args);
  };
  // 'kernels': SAC's hand-written engine computes the run; tfjs (wasm) only exports the actor.
  const tfjsBackend = options.backend === 'kernels' ? 'wasm' : options.backend;
  if (!(await tf.setBackend(tfjsBackend))) throw new Error(`tfjs backend ${tfjsBackend} failed to start`);
  await tf.ready();
  setSacEngine(options.backend === 'kernels' ? 'kernels' : 'tfjs');
  const backendName = options.backend === 'kernels' ? 'kernels' : tf.getBackend();
  const algorithm = ALGORITHMS[options.algorithm];
  const trainer = await createTrainer(options);
  const { config } = options;
  if (!options.json) {
    console.log(`${algorithm.label} on Pendulum-v1 | backend ${backendName} | seed ${config.seed} | hidden ${config.hiddenSize} | batch ${config.batchSize}`);
  }
  const started = performance.now();
  let swingUpStep: number | null = null;
  while (trainer.stopReason === null) {
    const slice = trainer.runFor(1000);
    for (const metrics of slice.episodes) {
      if (swingUpStep === null && isSwingUp(metrics)) swingUpStep = metrics.step;
      if (options.json) console.log(JSON.stringify(metrics));
      else if (metrics.episode % config.logInterval === 0) {
        console.log(`${metrics.episode} episode | score_avg: ${metrics.avg100.toFixed(2)}`);
      }
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const summary = summarizeRun(trainer, options.algorithm, wallSeconds, swingUpStep, backendName);
  if (options.json) console.log(JSON.stringify(summary));
  else {
    if (summary.goalReached) console.log(`Recent rewards exceed ${config.goalScore}. So end`);
    console.log(
      `stopped: ${summary.stopReason} after ${summary.steps} steps, ${summary.episodes} episodes, ${summary.wallSeconds.toFixed(1)} s, ` +
        `${summary.updatesPerSecond.toFixed(1)} updates/s; swing-up (last-10 mean > ${SWING_UP_THRESHOLD}) at step ${summary.swingUpStep ?? 'never'}`,
    );
  }
  if (options.outDir) {
    // The directory was checked before training; a write can still fail (disk full, directory removed
    // meanwhile): writeOutputFile names the file, and main() exits 1.
    const files = await trainer.exportActor(`seed${config.seed}`, 'final', 'weights.bin');
    await writeOutputFile(options.outDir, 'model.json', files.modelJson);
    await writeOutputFile(options.outDir, files.weightsFileName, new Uint8Array(files.weightsBin));
    await writeOutputFile(options.outDir, 'metrics.csv', metricsToCsv(trainer.metrics, algorithm));
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
    console.log(usage(options.algorithm));
    return;
  }
  if (options.outDir !== null) {
    // Before training, not after: an unwritable --out must not cost the user a whole run.
    try {
      await prepareOutputDirectory(options.outDir);
    } catch (error) {
      console.error(`error: ${(error as Error).message}`);
      process.exit(2);
    }
  }
  await run(options);
}

main().catch((error: unknown) => {
  // A write error names its file; anything else keeps its stack for a bug report.
  const text = error instanceof OutputDirectoryError ? error.message : ((error as Error).stack ?? String(error));
  console.error(`error: ${text}`);
  process.exit(1);
});
