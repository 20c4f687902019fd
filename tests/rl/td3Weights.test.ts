/**
 * The DDPG/TD3 actor as a tfjs LayersModel: tf.loadLayersModel reads the export, and scale · output
 * equals the trainer's deterministic torque (an independent forward pass, tfjs-layers'); export →
 * import round-trips into another run; files that are not this actor are refused, changing nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OFF_POLICY_ALGORITHMS } from '../../src/rl/offPolicyAlgorithms';
import type { AnyOffPolicyTrainer } from '../../src/rl/trainer';

const trainers: AnyOffPolicyTrainer[] = [];
async function newTrainer(id: 'sac' | 'ddpg' | 'td3', seed: number, hiddenSize = 16): Promise<AnyOffPolicyTrainer> {
  const overrides: Record<string, number | boolean> = { seed, hiddenSize, batchSize: 16, stopAtGoal: false };
  if (id !== 'sac') overrides.learningStarts = 50;
  const trainer = await OFF_POLICY_ALGORITHMS[id].create(overrides);
  trainers.push(trainer);
  return trainer;
}
const observations = [Float32Array.of(1, 0, 0), Float32Array.of(-1, 0, 1), Float32Array.of(0.6, -0.8, -7.5), Float32Array.of(0.2, 0.98, 3)];
const torques = (trainer: AnyOffPolicyTrainer): number[] => observations.map((o) => trainer.deterministicTorque(o));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (trainers.length > 0) trainers.pop()?.dispose();
});

describe.each(['ddpg', 'td3'] as const)('%s actor files', (id) => {
  it('load with tf.loadLayersModel; actionScale · output is the deterministic torque; provenance names the algorithm', async () => {
    const trainer = await newTrainer(id, 1);
    trainer.runFor(150);
    const files = await trainer.exportActor('t', 'final', 'w.bin');
    const json = JSON.parse(files.modelJson) as { modelTopology: tf.io.ModelJSON['modelTopology']; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>; userDefinedMetadata: Record<string, unknown> };
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights ?? [], weightData: files.weightsBin }));
    const output = tf.tidy(() => Array.from((model.predict(tf.tensor2d(observations.flatMap((o) => Array.from(o)), [4, 3])) as tf.Tensor).dataSync()));
    model.dispose();
    output.forEach((value, i) => expect(2 * value).toBeCloseTo(torques(trainer)[i] ?? Number.NaN, 5));
    expect(json.userDefinedMetadata.algorithm).toBe(id.toUpperCase());
    expect(json.userDefinedMetadata.actionScale).toBe(2);
    expect((json.userDefinedMetadata.hyperparameters as Record<string, unknown>).learningStarts).toBe(50);
  });

  it('round-trips into another run; the best actor exports too', async () => {
    const source = await newTrainer(id, 1);
    source.runFor(400);
    const target = await newTrainer(id, 2);
    expect(torques(target)).not.toEqual(torques(source));
    await target.importActor(await source.exportActor('s', 'final', 'w.bin'));
    expect(torques(target)).toEqual(torques(source));
    await expect(source.exportActor('s', 'best', 'w.bin')).resolves.toHaveProperty('weightsFileName', 'w.bin');
  });

  it('refuses a SAC actor and another hidden size, naming why, and the run is untouched', async () => {
    const target = await newTrainer(id, 3);
    const before = torques(target);
    const sac = await newTrainer('sac', 4);
    await expect(target.importActor(await sac.exportActor('s', 'final', 'w.bin'))).rejects.toThrow(/unexpected weights: log_std\/kernel.*a SAC actor/);
    const wide = await newTrainer(id, 5, 32);
    await expect(target.importActor(await wide.exportActor('w', 'final', 'w.bin'))).rejects.toThrow(/fc1\/kernel has shape \[3, 32\], this run's actor needs \[3, 16\]/);
    expect(torques(target)).toEqual(before);
  });
});
