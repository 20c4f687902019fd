import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/rl/sac/config';
import { actorArchitectureMismatch, checkActorModelJson, readActorArchitecture } from '../../src/rl/sac/actorArchitecture';
import { ActorArchitectureError, type ActorFiles } from '../../src/rl/sac/weights';
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
    it('another hidden size: names both networks and offers a run that fits', async () => {
      const other = await newTrainer(6, 32);
      const files = await other.exportActor('h32');
      await expectRejected(() => files, /it has hidden layers 32 relu, 32 relu.*this run's actor has hidden layers 16 relu, 16 relu.*Start a run with hidden size 32/);
      const target = await newTrainer(7);
      const error = await target.importActor(files).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ActorArchitectureError);
      expect(error).toMatchObject({ fileHiddenSize: 32, fileActivation: 'relu', expectedHiddenSize: 16, expectedActivation: 'relu', fittingHiddenSize: 32 });
    });
  });
});

/** The good file's topology with `edit` applied to each layer's config. */
function withLayers(files: ActorFiles, edit: (layer: { name: string; class_name: string; config: Record<string, unknown> }) => void): ActorFiles {
  const json = JSON.parse(files.modelJson) as { modelTopology: { config: { layers: Array<{ name: string; class_name: string; config: Record<string, unknown> }> } } };
  json.modelTopology.config.layers.forEach(edit);
  return { ...files, modelJson: JSON.stringify(json) };
}

describe('a file for another network is refused by its topology (issue 10.5)', () => {
  async function refusal(mutate: (files: ActorFiles) => ActorFiles): Promise<ActorArchitectureError> {
    const source = await newTrainer(8);
    const good = await source.exportActor('arch');
    const target = await newTrainer(9);
    const before = torques(target);
    const tensorsBefore = tf.memory().numTensors;
    const error = await target.importActor(mutate(good)).then(() => null, (caught: unknown) => caught);
    expect(torques(target)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(error).toBeInstanceOf(ActorArchitectureError);
    return error as ActorArchitectureError;
  }

  it('same weight shapes, tanh hidden layers: refused (it used to load silently into the relu network)', async () => {
    const error = await refusal((files) => withLayers(files, (layer) => {
      if (layer.name === 'fc1' || layer.name === 'fc2') layer.config.activation = 'tanh';
    }));
    expect(error.message).toMatch(/it has hidden layers 16 tanh, 16 tanh.*this run's actor has hidden layers 16 relu, 16 relu.*no run can load this file/);
    expect(error).toMatchObject({ fileHiddenSize: 16, fileActivation: 'tanh', expectedHiddenSize: 16, expectedActivation: 'relu', fittingHiddenSize: null });
  });

  it('a squashing head (tanh on μ) is another network too', async () => {
    const error = await refusal((files) => withLayers(files, (layer) => {
      if (layer.name === 'mu') layer.config.activation = 'tanh';
    }));
    expect(error.message).toMatch(/heads tanh, linear/);
    expect(error.fittingHiddenSize).toBeNull();
  });

  it('an extra layer between the hidden layers is named', async () => {
    const error = await refusal((files) => {
      const json = JSON.parse(files.modelJson) as { modelTopology: { config: { layers: unknown[] } } };
      json.modelTopology.config.layers.splice(2, 0, { name: 'drop', class_name: 'Dropout', config: { rate: 0.5 }, inbound_nodes: [] });
      return { ...files, modelJson: JSON.stringify(json) };
    });
    expect(error.message).toMatch(/Dropout layers/);
  });

  it('readActorArchitecture reads Keras-style topologies and separate Activation layers', () => {
    const topology = {
      model_config: {
        class_name: 'Functional',
        config: {
          layers: [
            { class_name: 'InputLayer', name: 'in', config: {} },
            { class_name: 'Dense', name: 'a', config: { units: 24 } },
            { class_name: 'Activation', name: 'a_act', config: { activation: 'elu' } },
            { class_name: 'Dense', name: 'b', config: { units: 24, activation: 'relu' } },
            { class_name: 'Dense', name: 'mu', config: { units: 1, activation: 'linear' } },
            { class_name: 'Dense', name: 'ls', config: { units: 1 } },
          ],
          output_layers: [['mu', 0, 0], ['ls', 0, 0]],
        },
      },
    };
    expect(readActorArchitecture(topology)).toEqual({ hiddenSizes: [24, 24], hiddenActivations: ['elu', 'relu'], headActivations: ['linear', 'linear'], otherLayers: [] });
    expect(readActorArchitecture({ nothing: true })).toBeNull();
    const mismatch = actorArchitectureMismatch({ hiddenSizes: [24, 24], hiddenActivations: ['relu', 'relu'], headActivations: ['linear', 'linear'], otherLayers: [] }, 64);
    expect(mismatch).toMatchObject({ fileHiddenSize: 24, fittingHiddenSize: 24, expectedHiddenSize: 64 });
    expect(actorArchitectureMismatch({ hiddenSizes: [64, 64], hiddenActivations: ['relu', 'relu'], headActivations: ['linear', 'linear'], otherLayers: [] }, 64)).toBeNull();
    // Too big for any run: named, but no run is offered.
    expect(actorArchitectureMismatch({ hiddenSizes: [1024, 1024], hiddenActivations: ['relu', 'relu'], headActivations: ['linear', 'linear'], otherLayers: [] }, 64)?.fittingHiddenSize).toBeNull();
  });

  it('checkActorModelJson gives the page the same answer from the model.json text alone', async () => {
    const other = await newTrainer(10, 32);
    const files = await other.exportActor('h32');
    expect(checkActorModelJson(files.modelJson, 32)).toBeNull();
    expect(checkActorModelJson(files.modelJson, 16)).toMatchObject({ fileHiddenSize: 32, fittingHiddenSize: 32 });
    expect(checkActorModelJson('{"oops', 16)).toBeNull(); // not JSON: the worker's validation names that
  });
});
