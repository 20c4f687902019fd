/**
 * The DDPG/TD3 actor in and out as a tfjs LayersModel (`model.json` + weights, what tf.loadLayersModel
 * reads): input [null, obs] → fc1 (relu) → fc2 (relu) → mu (tanh), one output a ∈ [−1, 1]^A in units of
 * the bound; the deterministic torque is actionScale · a (written in userDefinedMetadata with the
 * provenance). Import checks everything before it returns weights, so a failed import changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActorProvenanceOf } from '../offPolicyAgent';
import type { ActorFiles } from '../sac/weights';

export interface DeterministicActorShape {
  observationSize: number;
  actionSize: number;
  hiddenSize: number;
  /** "DDPG" or "TD3", written into the metadata. */
  algorithm: string;
}

/** Weight names and shapes in manifest order: the flat layout of the actor's six variables. */
function expectedWeights({ observationSize: O, actionSize: A, hiddenSize: H }: DeterministicActorShape): Array<{ name: string; shape: number[] }> {
  return [
    { name: 'fc1/kernel', shape: [O, H] },
    { name: 'fc1/bias', shape: [H] },
    { name: 'fc2/kernel', shape: [H, H] },
    { name: 'fc2/bias', shape: [H] },
    { name: 'mu/kernel', shape: [H, A] },
    { name: 'mu/bias', shape: [A] },
  ];
}

/** The actor's architecture as a tf.LayersModel (weights random until set). Caller disposes. */
export function buildDeterministicActorModel(shape: DeterministicActorShape): tf.LayersModel {
  const input = tf.input({ shape: [shape.observationSize], name: 'observation' });
  const hidden1 = tf.layers.dense({ units: shape.hiddenSize, activation: 'relu', name: 'fc1' }).apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers.dense({ units: shape.hiddenSize, activation: 'relu', name: 'fc2' }).apply(hidden1) as tf.SymbolicTensor;
  const action = tf.layers.dense({ units: shape.actionSize, activation: 'tanh', name: 'mu' }).apply(hidden2) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: action, name: `${shape.algorithm.toLowerCase()}_actor` });
}

export async function exportDeterministicActor<Config>(
  parameters: Float32Array,
  shape: DeterministicActorShape,
  weightsFileName: string,
  provenance: ActorProvenanceOf<Config>,
): Promise<ActorFiles> {
  const expected = expectedWeights(shape);
  let offset = 0;
  const named = expected.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(parameters.slice(offset, offset + size), spec.shape);
    offset += size;
    return { name: spec.name, tensor };
  });
  if (offset !== parameters.length) {
    named.forEach(({ tensor }) => tensor.dispose());
    throw new RangeError(`${parameters.length} actor values for ${offset} parameters`);
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  named.forEach(({ tensor }) => tensor.dispose());
  const model = buildDeterministicActorModel(shape);
  const modelTopology = model.toJSON(null, false);
  model.dispose();
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: [`./${weightsFileName}`], weights: specs }],
    userDefinedMetadata: {
      algorithm: shape.algorithm,
      environment: 'Pendulum-v1 (g = 10)',
      outputs: ['mu'],
      deterministicAction: `torque = ${provenance.actionScale} * mu (mu = tanh(...) is the model's output)`,
      ...provenance,
    },
  };
  return { modelJson: JSON.stringify(modelJson), weightsBin: data, weightsFileName };
}

/**
 * The flat actor weights of exported files, after checking the topology (fc1/fc2 relu of the run's hidden
 * size, a tanh head), the weight names, shapes, byte count and finiteness. Throws an Error naming what
 * does not fit.
 */
export async function importDeterministicActor(files: ActorFiles, shape: DeterministicActorShape): Promise<Float32Array> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(files.modelJson);
  } catch (error) {
    throw new Error(`model.json is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error('model.json must be a JSON object');
  const record = parsed as { modelTopology?: unknown; weightsManifest?: unknown };
  if (typeof record.modelTopology !== 'object' || record.modelTopology === null) throw new Error('model.json has no modelTopology: it is not a tfjs LayersModel file');
  if (!Array.isArray(record.weightsManifest) || record.weightsManifest.length === 0) throw new Error('model.json has no weightsManifest');
  const specs = (record.weightsManifest as Array<{ weights?: unknown }>).flatMap((group) => {
    if (!Array.isArray(group.weights)) throw new Error('model.json weightsManifest entries must each have a weights list');
    return group.weights as tf.io.WeightsManifestEntry[];
  });
  const expected = expectedWeights(shape);
  const problems: string[] = [];
  for (const want of expected) {
    const got = specs.find((spec) => spec.name === want.name);
    if (!got) problems.push(`missing weight ${want.name} [${want.shape.join(', ')}]`);
    else if (got.shape.join(',') !== want.shape.join(',')) problems.push(`${want.name} has shape [${got.shape.join(', ')}], this run's actor needs [${want.shape.join(', ')}]`);
    else if (got.dtype !== 'float32') problems.push(`${want.name} has dtype ${got.dtype}, expected float32`);
  }
  const extra = specs.filter((spec) => !expected.some((want) => want.name === spec.name)).map((spec) => spec.name);
  if (extra.length > 0) problems.push(`unexpected weights: ${extra.join(', ')} (a ${extra.includes('log_std/kernel') ? 'SAC' : 'different'} actor?)`);
  if (problems.length > 0) throw new Error(`These weights do not fit this run's ${shape.algorithm} actor (hidden size ${shape.hiddenSize}): ${problems.join('; ')}`);
  const expectedBytes = specs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (files.weightsBin.byteLength !== expectedBytes) {
    throw new Error(`weights file ${files.weightsFileName} has ${files.weightsBin.byteLength} bytes, model.json describes ${expectedBytes}`);
  }
  // The topology must load and compute what ours does: relu hidden layers and a tanh head.
  const model = await tf
    .loadLayersModel(tf.io.fromMemory({ modelTopology: record.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData: files.weightsBin }))
    .catch((error: unknown) => {
      throw new Error(`model.json topology does not load as a tfjs LayersModel: ${(error as Error).message}`);
    });
  try {
    const activations = model.layers
      .filter((layer) => layer.getClassName() === 'Dense')
      .map((layer) => String((layer.getConfig() as { activation?: unknown }).activation));
    if (activations.join(',') !== 'relu,relu,tanh' || model.outputs.length !== 1) {
      throw new Error(`the model's dense layers have activations [${activations.join(', ')}] and ${model.outputs.length} outputs; a ${shape.algorithm} actor has [relu, relu, tanh] and 1`);
    }
  } finally {
    model.dispose();
  }
  const decoded = tf.io.decodeWeights(files.weightsBin, specs);
  try {
    const flat = new Float32Array(expected.reduce((sum, want) => sum + want.shape.reduce((a, b) => a * b, 1), 0));
    let offset = 0;
    for (const want of expected) {
      const values = (decoded[want.name] as tf.Tensor).dataSync() as Float32Array;
      if (!values.every(Number.isFinite)) throw new Error(`${want.name} contains NaN or infinite values`);
      flat.set(values, offset);
      offset += values.length;
    }
    return flat;
  } finally {
    Object.values(decoded).forEach((tensor) => tensor.dispose());
  }
}
