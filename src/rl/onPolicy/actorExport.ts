/**
 * An on-policy actor as a tfjs LayersModel (`model.json` + weights, what tf.loadLayersModel reads):
 * input [null, obs] → Dense(H, tanh) "fc1" → Dense(H, tanh) "fc2" → Dense(A) "mu". The deterministic
 * action is the Gaussian's mean clipped to the torque bounds, torque = clip(μ, −2, 2) (ALGORITHMS.md:
 * PPO/TRPO act unsquashed); the exploration parameters (log S or log σ) are not part of the actor.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_TORQUE } from '../env/pendulum';
import type { GaussianPolicy } from './policy';

export interface OnPolicyActorFiles {
  modelJson: string;
  weightsBin: ArrayBuffer;
  weightsFileName: string;
}

export interface OnPolicyActorProvenance {
  /** "PPO" or "TRPO". */
  algorithm: string;
  runName: string;
  hyperparameters: object;
  steps: number;
  episodes: number;
  lastScore: number | null;
  avg100: number | null;
}

/** A fresh tf.LayersModel of this architecture (random weights until set). Caller disposes. */
export function buildOnPolicyActorModel(observationSize: number, actionSize: number, hiddenSize: number): tf.LayersModel {
  const input = tf.input({ shape: [observationSize], name: 'observation' });
  const hidden1 = tf.layers.dense({ units: hiddenSize, activation: 'tanh', name: 'fc1' }).apply(input) as tf.SymbolicTensor;
  const hidden2 = tf.layers.dense({ units: hiddenSize, activation: 'tanh', name: 'fc2' }).apply(hidden1) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: actionSize, name: 'mu' }).apply(hidden2) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: mean, name: 'on_policy_actor' });
}

export async function exportOnPolicyActor(policy: GaussianPolicy, parameters: Float64Array, weightsFileName: string, provenance: OnPolicyActorProvenance): Promise<OnPolicyActorFiles> {
  const { observationSize: O, actionSize: A, hiddenSize: H } = policy.shape;
  const layout = policy.network.layout;
  const block = (from: number, count: number): Float32Array => Float32Array.from(parameters.subarray(from, from + count));
  const specs: Array<{ name: string; values: Float32Array; shape: number[] }> = [
    { name: 'fc1/kernel', values: block(layout.kernel1, O * H), shape: [O, H] },
    { name: 'fc1/bias', values: block(layout.bias1, H), shape: [H] },
    { name: 'fc2/kernel', values: block(layout.kernel2, H * H), shape: [H, H] },
    { name: 'fc2/bias', values: block(layout.bias2, H), shape: [H] },
    { name: 'mu/kernel', values: block(layout.kernel3, H * A), shape: [H, A] },
    { name: 'mu/bias', values: block(layout.bias3, A), shape: [A] },
  ];
  const named = specs.map(({ name, values, shape }) => ({ name, tensor: tf.tensor(values, shape) }));
  let encoded: { data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] };
  try {
    encoded = await tf.io.encodeWeights(named);
  } finally {
    named.forEach(({ tensor }) => tensor.dispose());
  }
  const model = buildOnPolicyActorModel(O, A, H);
  const modelTopology = model.toJSON(null, false);
  model.dispose();
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: [`./${weightsFileName}`], weights: encoded.specs }],
    userDefinedMetadata: {
      environment: 'Pendulum-v1 (g = 10)',
      outputs: ['mu'],
      deterministicAction: `torque = clip(mu, -${MAX_TORQUE}, ${MAX_TORQUE})`,
      actionTransform: 'clip',
      ...provenance,
    },
  };
  return { modelJson: JSON.stringify(modelJson), weightsBin: encoded.data, weightsFileName };
}
