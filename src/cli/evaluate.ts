/**
 * `npm run evaluate -- path/to/model.json [--episodes 10] [--seed 1000]`: the lecture's test.py, headless.
 * Loads an exported actor (the page's download or `npm run train -- --out`) with tf.loadLayersModel,
 * independently of the trainer, and runs the algorithm's own deterministic policy on Pendulum-v1: SAC's
 * torque = actionScale·tanh(μ) (outputs [μ, log σ]); DDPG's and TD3's torque = actionScale·μ, whose
 * model already ends in tanh (one output); PPO's and TRPO's torque = clip(μ, −2, 2) (one output, unsquashed).
 * Prints each episode's return and the mean (above −200: held up).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { MAX_TORQUE, Pendulum } from '../rl/env/pendulum';

interface ModelJson {
  modelTopology: tf.io.ModelJSON['modelTopology'];
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  userDefinedMetadata?: { actionScale?: number; algorithm?: string };
}

/** The torque from the model's first output, as the algorithm acts deterministically. */
function deterministicActionOf(algorithm: string, actionScale: number): (output: number) => number {
  if (algorithm === 'SAC') return (mean) => actionScale * Math.tanh(mean);
  if (algorithm === 'DDPG' || algorithm === 'TD3') return (action) => actionScale * action;
  // PPO and TRPO act unsquashed: the Gaussian's mean, clipped to the torque bounds (onPolicy/actorExport.ts).
  if (algorithm === 'PPO' || algorithm === 'TRPO') return (mean) => Math.min(Math.max(mean, -MAX_TORQUE), MAX_TORQUE);
  throw new Error(`the file's algorithm "${algorithm}" is not one this evaluates (SAC, DDPG, TD3, PPO, TRPO)`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { episodes: { type: 'string', default: '10' }, seed: { type: 'string', default: '1000' } },
    allowPositionals: true,
  });
  const modelPath = positionals[0];
  const episodes = Number(values.episodes);
  const firstSeed = Number(values.seed);
  if (!modelPath || !Number.isInteger(episodes) || episodes < 1 || !Number.isInteger(firstSeed)) {
    console.error('usage: npm run evaluate -- path/to/model.json [--episodes N ≥ 1] [--seed INTEGER]');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const json = JSON.parse(await readFile(modelPath, 'utf8')) as ModelJson;
  const manifest = json.weightsManifest[0];
  if (!manifest?.paths[0]) throw new Error(`${modelPath} has no weights manifest`);
  const weights = await readFile(join(dirname(modelPath), manifest.paths[0]));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: manifest.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const actionScale = json.userDefinedMetadata?.actionScale ?? 2;
  // Files without an algorithm are SAC's (written before DDPG/TD3 existed).
  const algorithm = json.userDefinedMetadata?.algorithm ?? 'SAC';
  const deterministicAction = deterministicActionOf(algorithm, actionScale);
  const env = new Pendulum();
  const returns: number[] = [];
  for (let episode = 0; episode < episodes; episode++) {
    let observation = env.reset({ seed: firstSeed + episode });
    let total = 0;
    for (let step = 0; step < 200; step++) {
      const output = tf.tidy(() => {
        const predicted = model.predict(tf.tensor2d(observation, [1, 3]));
        const first = Array.isArray(predicted) ? predicted[0] : predicted;
        return first?.dataSync()[0] ?? Number.NaN;
      });
      const result = env.step([deterministicAction(output)]);
      total += result.reward;
      observation = result.observation;
    }
    returns.push(total);
    console.log(`episode ${episode + 1} (seed ${firstSeed + episode}): return ${total.toFixed(1)}`);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  console.log(`mean return over ${episodes} episodes: ${mean.toFixed(1)}${mean > -200 ? ' (holds the pendulum up)' : ''}`);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
