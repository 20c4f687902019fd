/**
 * Actor weights in and out as a tfjs LayersModel (`model.json` + `weights.bin`, what tf.loadLayersModel
 * reads): input [null, obs], outputs [μ, log σ] (raw heads; clamp log σ to [−20, 2] before sampling),
 * deterministic torque = actionScale · tanh(μ). Provenance goes in userDefinedMetadata.
 * Import validates everything before it touches the actor, so a failed import changes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { actorArchitectureMismatch, readActorArchitecture } from './actorArchitecture';
import type { ActorNetwork } from './networks';
import type { SacConfig } from './config';

export { ActorArchitectureError } from './actorArchitecture';

export interface ActorFiles {
  /** The model.json text. */
  modelJson: string;
  /** The binary weights the manifest points at. */
  weightsBin: ArrayBuffer;
  /** File name of weightsBin, as written in the manifest (`./${weightsFileName}`). */
  weightsFileName: string;
}

export interface ActorProvenance {
  runName: string;
  actionScale: number;
  hyperparameters: SacConfig;
  steps: number;
  episodes: number;
  lastScore: number | null;
  avg100: number | null;
}

/** Layer names of the exported model, in the lecture's naming (fc1, fc2, then the μ and log σ heads). */
const LAYER_NAMES = { hidden1: 'fc1', hidden2: 'fc2', mean: 'mu', logStd: 'log_std' } as const;

/** Names and shapes the exported weights have, in manifest order. */
function expectedWeights(observationSize: number, actionSize: number, hiddenSize: number): Array<{ name: string; shape: number[] }> {
  return [
    { name: `${LAYER_NAMES.hidden1}/kernel`, shape: [observationSize, hiddenSize] },
    { name: `${LAYER_NAMES.hidden1}/bias`, shape: [hiddenSize] },
    { name: `${LAYER_NAMES.hidden2}/kernel`, shape: [hiddenSize, hiddenSize] },
    { name: `${LAYER_NAMES.hidden2}/bias`, shape: [hiddenSize] },
    { name: `${LAYER_NAMES.mean}/kernel`, shape: [hiddenSize, actionSize] },
    { name: `${LAYER_NAMES.mean}/bias`, shape: [actionSize] },
    { name: `${LAYER_NAMES.logStd}/kernel`, shape: [hiddenSize, actionSize] },
    { name: `${LAYER_NAMES.logStd}/bias`, shape: [actionSize] },
  ];
}

/** A fresh tf.LayersModel with the actor's architecture (weights random until set). Caller disposes. */
export function buildActorLayersModel(observationSize: number, actionSize: number, hiddenSize: number): tf.LayersModel {
  const input = tf.input({ shape: [observationSize], name: 'observation' });
  const hidden1 = tf.layers.dense({ units: hiddenSize, activation: 'relu', name: LAYER_NAMES.hidden1 }).apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers.dense({ units: hiddenSize, activation: 'relu', name: LAYER_NAMES.hidden2 }).apply(hidden1) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: actionSize, name: LAYER_NAMES.mean }).apply(hidden2) as tf.SymbolicTensor;
  const logStd = tf.layers.dense({ units: actionSize, name: LAYER_NAMES.logStd }).apply(hidden2) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [mean, logStd], name: 'sac_actor' });
}

/** The actor's weights in export order (the head split into μ and log σ columns). Caller disposes. */
function actorWeightsInExportOrder(actor: ActorNetwork): tf.Tensor[] {
  const A = actor.actionSize;
  return tf.tidy(() => {
    const [meanKernel, logStdKernel] = tf.split(actor.headKernel, [A, A], 1);
    const [meanBias, logStdBias] = tf.split(actor.headBias, [A, A], 0);
    return [actor.kernel1, actor.bias1, actor.kernel2, actor.bias2, meanKernel, meanBias, logStdKernel, logStdBias].map((t) =>
      tf.clone(t as tf.Tensor),
    );
  });
}

export async function exportActorFiles(actor: ActorNetwork, weightsFileName: string, provenance: ActorProvenance): Promise<ActorFiles> {
  const { observationSize, actionSize, hiddenSize } = actor;
  const weights = actorWeightsInExportOrder(actor);
  const expected = expectedWeights(observationSize, actionSize, hiddenSize);
  // Encode directly rather than through model.save(): tfjs-layers renames weights of a second model
  // with the same layer names (fc1/kernel_1), and the manifest must stay stable across runs.
  const named = expected.map((spec, index) => ({ name: spec.name, tensor: weights[index] as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  weights.forEach((t) => t.dispose());
  const model = buildActorLayersModel(observationSize, actionSize, hiddenSize);
  const modelTopology = model.toJSON(null, false);
  model.dispose();
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: [`./${weightsFileName}`], weights: specs }],
    userDefinedMetadata: {
      algorithm: 'SAC',
      environment: 'Pendulum-v1 (g = 10)',
      outputs: ['mu', 'log_std'],
      deterministicAction: `torque = ${provenance.actionScale} * tanh(mu)`,
      logStdClamp: [-20, 2],
      ...provenance,
    },
  };
  return { modelJson: JSON.stringify(modelJson), weightsBin: data, weightsFileName };
}

interface ParsedModelJson {
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  modelTopology: unknown;
}

function parseModelJson(text: string): ParsedModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`model.json is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error('model.json must be a JSON object');
  const record = parsed as Record<string, unknown>;
  if (typeof record.modelTopology !== 'object' || record.modelTopology === null) {
    throw new Error('model.json has no modelTopology: it is not a tfjs LayersModel file');
  }
  const manifest = record.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new Error('model.json has no weightsManifest');
  for (const group of manifest) {
    if (typeof group !== 'object' || group === null || !Array.isArray((group as Record<string, unknown>).weights)) {
      throw new Error('model.json weightsManifest entries must each have a weights list');
    }
  }
  return { weightsManifest: manifest as ParsedModelJson['weightsManifest'], modelTopology: record.modelTopology };
}

/**
 * Loads exported actor files into `actor`. Throws an Error naming exactly what does not fit; the actor is
 * untouched then. A file for another network (hidden sizes, activations, extra layers) throws an
 * ActorArchitectureError that names the file's network and this run's, with `fittingHiddenSize` for
 * the UI to offer a run that can load it.
 */
export async function importActorFiles(actor: ActorNetwork, files: ActorFiles): Promise<void> {
  const { observationSize, actionSize, hiddenSize } = actor;
  const parsed = parseModelJson(files.modelJson);
  // The topology first: weights of the right shapes under, say, tanh layers would load into our relu
  // network and compute something else, and a shape message alone does not say what the file is.
  const architecture = readActorArchitecture(parsed.modelTopology);
  const mismatch = architecture === null ? null : actorArchitectureMismatch(architecture, hiddenSize);
  if (mismatch !== null) throw mismatch;
  const specs = parsed.weightsManifest.flatMap((group) => group.weights);
  const expected = expectedWeights(observationSize, actionSize, hiddenSize);
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const problems: string[] = [];
  for (const want of expected) {
    const got = byName.get(want.name);
    if (!got) problems.push(`missing weight ${want.name} [${want.shape.join(', ')}]`);
    else if (got.shape.join(',') !== want.shape.join(',')) {
      problems.push(`${want.name} has shape [${got.shape.join(', ')}], this run's actor needs [${want.shape.join(', ')}]`);
    } else if (got.dtype !== 'float32') problems.push(`${want.name} has dtype ${got.dtype}, expected float32`);
  }
  const extra = specs.filter((spec) => !expected.some((want) => want.name === spec.name)).map((spec) => spec.name);
  if (extra.length > 0) problems.push(`unexpected weights: ${extra.join(', ')}`);
  if (problems.length > 0) {
    throw new Error(`These weights do not fit this run's actor (hidden size ${hiddenSize}): ${problems.join('; ')}`);
  }
  const expectedBytes = specs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (files.weightsBin.byteLength !== expectedBytes) {
    throw new Error(`weights file ${files.weightsFileName} has ${files.weightsBin.byteLength} bytes, model.json describes ${expectedBytes}`);
  }
  // The topology must also load as a real LayersModel with input [null, obs] and outputs [μ, log σ].
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: parsed.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData: files.weightsBin }),
  ).catch((error: unknown) => {
    throw new Error(`model.json topology does not load as a tfjs LayersModel: ${(error as Error).message}`);
  });
  try {
    const inputShape = model.inputs[0]?.shape ?? [];
    const outputShapes = model.outputs.map((output) => output.shape);
    if (inputShape.join(',') !== `,${observationSize}` || outputShapes.length !== 2 || outputShapes.some((shape) => shape.join(',') !== `,${actionSize}`)) {
      throw new Error(
        `the model maps [${inputShape.join(', ')}] to ${outputShapes.map((s) => `[${s.join(', ')}]`).join(' and ')}; expected [null, ${observationSize}] to [null, ${actionSize}] and [null, ${actionSize}]`,
      );
    }
  } finally {
    model.dispose();
  }
  const decoded = tf.io.decodeWeights(files.weightsBin, specs);
  try {
    for (const want of expected) {
      const tensor = decoded[want.name];
      if (!tensor || !(tensor.dataSync() as Float32Array).every(Number.isFinite)) {
        throw new Error(`${want.name} contains NaN or infinite values`);
      }
    }
    const get = (name: string): tf.Tensor => decoded[name] as tf.Tensor;
    // All checks passed: now, and only now, change the actor.
    tf.tidy(() => {
      actor.kernel1.assign(get('fc1/kernel'));
      actor.bias1.assign(get('fc1/bias'));
      actor.kernel2.assign(get('fc2/kernel'));
      actor.bias2.assign(get('fc2/bias'));
      actor.headKernel.assign(tf.concat([get('mu/kernel'), get('log_std/kernel')], 1));
      actor.headBias.assign(tf.concat([get('mu/bias'), get('log_std/bias')], 0));
    });
  } finally {
    Object.values(decoded).forEach((tensor) => tensor.dispose());
  }
}
