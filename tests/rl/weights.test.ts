import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/rl/sac/config';
import type { ActorFiles } from '../../src/rl/sac/weights';
import { Trainer } from '../../src/rl/trainer';

const trainers: Trainer[] = [];
async function newTrainer(seed: number, hiddenSize = 16): Promise<Trainer> {
  const trainer = await Trainer.create(makeConfig({ seed, hiddenSize, batchSize: 16, stopAtGoal: false }));
  trainers.push(trainer);
  return trainer;
}
const observations = [
  Float32Array.of(1, 0, 0),
  Float32Array.of(-1, 0, 1),
  Float32Array.of(0.6, -0.8, -7.5),
  Float32Array.of(0.2, 0.98, 3),
];
const torques = (trainer: Trainer): number[] => observations.map((o) => trainer.deterministicTorque(o));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (trainers.length > 0) trainers.pop()?.dispose();
});

describe('actor export → import', () => {
  it('round-trips bit-identically into another run', async () => {
    const source = await newTrainer(1);
    source.runFor(120);
    const files = await source.exportActor('test');
    const target = await newTrainer(2);
    expect(torques(target)).not.toEqual(torques(source));
    await target.importActor(files);
    expect(torques(target)).toEqual(torques(source));
  });

  it('is a LayersModel that tf.loadLayersModel reads, with provenance, and 2·tanh(μ) is the test action', async () => {
    const source = await newTrainer(3);
    source.runFor(120);
    const files = await source.exportActor('prov');
    const json = JSON.parse(files.modelJson) as {
      format: string;
      weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
      modelTopology: tf.io.ModelJSON['modelTopology'];
      userDefinedMetadata: Record<string, unknown>;
    };
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0]?.paths).toEqual(['./sac-pendulum-prov.weights.bin']);
    expect(json.userDefinedMetadata).toMatchObject({ algorithm: 'SAC', actionScale: 2, steps: 120 });
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights ?? [], weightData: files.weightsBin }),
    );
    expect(model.inputs[0]?.shape).toEqual([null, 3]);
    const input = tf.tensor2d(observations.flatMap((o) => Array.from(o)), [observations.length, 3]);
    const [mean] = model.predict(input) as tf.Tensor[];
    const loaded = Array.from((mean as tf.Tensor).dataSync()).map((mu) => 2 * Math.tanh(mu));
    torques(source).forEach((torque, i) => expect(loaded[i]).toBeCloseTo(torque, 5));
    tf.dispose([input, mean as tf.Tensor]);
    model.dispose();
  });

  describe('rejects bad files with a clear message and changes nothing', () => {
    async function expectRejected(mutate: (files: ActorFiles) => ActorFiles, message: RegExp): Promise<void> {
      const source = await newTrainer(4);
      const good = await source.exportActor('bad');
      const target = await newTrainer(5);
      const before = torques(target);
      const tensorsBefore = tf.memory().numTensors;
      await expect(target.importActor(mutate(good))).rejects.toThrow(message);
      expect(torques(target)).toEqual(before);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    }

    it('not JSON', () => expectRejected((f) => ({ ...f, modelJson: '{"oops' }), /not valid JSON/));
    it('no topology', () => expectRejected((f) => ({ ...f, modelJson: JSON.stringify({ weightsManifest: [] }) }), /modelTopology/));
    it('truncated weights', () => expectRejected((f) => ({ ...f, weightsBin: f.weightsBin.slice(0, 100) }), /bytes/));
    it('NaN weights', () =>
      expectRejected((f) => {
        const copy = new Float32Array(f.weightsBin.slice(0));
        copy[3] = Number.NaN;
        return { ...f, weightsBin: copy.buffer };
      }, /NaN/));
    it('another hidden size', async () => {
      const other = await newTrainer(6, 32);
      const files = await other.exportActor('h32');
      await expectRejected(() => files, /fc1\/kernel has shape \[3, 32\].*needs \[3, 16\]/);
    });
  });
});
