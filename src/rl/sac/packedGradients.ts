/**
 * The fused SAC update's backward passes on the packed parameters (networks.ts, PackedLayout): the same
 * hand-derived gradients as gradients.ts (checked against autodiff in tests/rl/packedGradients.test.ts),
 * laid out so each network's gradient comes out as ONE tensor shaped like its packed variable:
 *   - a layer's kernel and bias gradients are one matmul [hᵀ; 1ᵀ]·δ (bias gradient = Σ_rows δ = 1ᵀδ),
 *     which lands exactly on the layer's [kernel; bias] rows of the packed matrix;
 *   - forward activations are reused (the relu masks are step(h) of the kept hidden layers);
 *   - the twins' first layers are one matmul both ways, their outputs one block-diagonal matmul.
 * Every tensor is rank 3 [1, rows, cols] (networks.ts, fusedMatMul). All functions run inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { TANH_LOG_EPSILON } from './squashedGaussian';
import { LOG_STD_MAX, LOG_STD_MIN, type ActorLayers, type TwinActivations, type TwinCriticLayers } from './networks';

const onWasm = (): boolean => tf.getBackend() === 'wasm';

/** a·bᵀ. tfjs-wasm sends transposed matmuls to a slow scalar loop, so there the transpose is explicit. */
export function timesTransposed(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return (onWasm() ? tf.matMul(a, tf.transpose(b, [0, 2, 1])) : tf.matMul(a, b, false, true)) as tf.Tensor3D;
}

/** [hᵀ; 1ᵀ]·δ: the [kernel; bias] gradient of a layer with input h [1, N, in] and output gradient δ [1, N, out]. */
export function augmentedTransposeTimes(h: tf.Tensor3D, delta: tf.Tensor3D): tf.Tensor3D {
  const n = h.shape[1];
  if (onWasm()) return tf.matMul(tf.concat([tf.transpose(h, [0, 2, 1]), tf.ones([1, 1, n])], 1), delta) as tf.Tensor3D;
  return tf.matMul(tf.concat([h, tf.ones([1, n, 1])], 2), delta, true, false) as tf.Tensor3D;
}

/** δ_prev = (δ·Wᵀ) ⊙ [h > 0] for a relu layer whose output h was kept by the forward pass. */
function throughRelu(delta: tf.Tensor3D, kernel: tf.Tensor3D, hidden: tf.Tensor3D): tf.Tensor3D {
  return tf.mul(timesTransposed(delta, kernel), tf.step(hidden)) as tf.Tensor3D;
}

/** Right-pads columns with zeros up to `cols` (no kernel when already that wide). */
function padColumns(x: tf.Tensor3D, cols: number): tf.Tensor3D {
  const missing = cols - x.shape[2];
  return missing === 0 ? x : (tf.pad(x, [[0, 0], [0, 0], [0, missing]]) as tf.Tensor3D);
}

/** 1 on the block diagonal of the transposed output kernel [1, 2, 2H]: row 0 = Q1's H columns, row 1 = Q2's. */
function outputRowsMask(hiddenSize: number): tf.Tensor3D {
  const H = hiddenSize;
  const values = new Float32Array(2 * 2 * H);
  values.fill(1, 0, H);
  values.fill(1, 3 * H, 4 * H);
  return tf.tensor3d(values, [1, 2, 2 * H]);
}

/**
 * Gradient of an output layer stored transposed (rows = outputs), given its input h [1, N, in] and
 * dLoss/doutput δ [1, N, out]: [δᵀ·h] rows [1, out, in] and the bias row Σ_rows δ [1, 1, out] padded to `cols`.
 */
function outputRowsGradient(hidden: tf.Tensor3D, delta: tf.Tensor3D, cols: number): { kernelRows: tf.Tensor3D; biasRow: tf.Tensor3D } {
  const kernelRows = tf.matMul(tf.transpose(delta, [0, 2, 1]), hidden) as tf.Tensor3D;
  const biasRow = padColumns(tf.sum(delta, 1, true) as tf.Tensor3D, cols);
  return { kernelRows, biasRow };
}

/** Back through both twins' output and second layers to δ of the first hidden layers [1, N, 2H]. */
function twinHidden1Delta(layers: TwinCriticLayers, activations: TwinActivations, dQ: tf.Tensor3D): { dHidden2: [tf.Tensor3D, tf.Tensor3D]; dHidden1: tf.Tensor3D } {
  // The output kernel is stored transposed, so δ·W3ᵀ is a plain matmul with its rows.
  const dHidden2 = tf.split(tf.mul(tf.matMul(dQ, layers.kernel3Rows), tf.step(activations.hidden2)), 2, 2) as [tf.Tensor3D, tf.Tensor3D];
  const dHidden1 = tf.mul(
    tf.concat(
      dHidden2.map((delta, twin) => {
        if (!onWasm()) return tf.matMul(delta, layers.kernel2[twin] as tf.Tensor3D, false, true) as tf.Tensor3D;
        layers.kernel2Transposed ??= [tf.transpose(layers.kernel2[0], [0, 2, 1]), tf.transpose(layers.kernel2[1], [0, 2, 1])];
        return tf.matMul(delta, layers.kernel2Transposed[twin] as tf.Tensor3D) as tf.Tensor3D;
      }),
      2,
    ),
    tf.step(activations.hidden1),
  ) as tf.Tensor3D;
  return { dHidden2, dHidden1 };
}

/**
 * Gradient of a loss with respect to the packed twin critic, given dLoss/d[Q1 | Q2] [1, N, 2] and the
 * transposed augmented input [sᵀ; aᵀ; 1ᵀ] [1, in + 1, N] (uploaded so, not transposed here).
 */
export function packedTwinGradient(layers: TwinCriticLayers, activations: TwinActivations, inputTransposedWithOnes: tf.Tensor3D, dQ: tf.Tensor3D): tf.Tensor3D {
  const H = activations.hidden1Twins[0].shape[2];
  const output = outputRowsGradient(activations.hidden2, dQ, 2 * H);
  const { dHidden2, dHidden1 } = twinHidden1Delta(layers, activations, dQ);
  const second = tf.concat(
    dHidden2.map((delta, twin) => augmentedTransposeTimes(activations.hidden1Twins[twin] as tf.Tensor3D, delta)),
    2,
  );
  const first = tf.matMul(inputTransposedWithOnes, dHidden1);
  // Off the block diagonal the output rows' gradient is Q1's δ against Q2's hidden units: not parameters.
  return tf.concat([first, second, tf.mul(output.kernelRows, outputRowsMask(H)), output.biasRow], 1) as tf.Tensor3D;
}

/** dLoss/da [1, N, A] through both twins (the sum of both twins' input gradients: one matmul), given dLoss/d[Q1 | Q2]. */
export function packedTwinActionGradient(layers: TwinCriticLayers, activations: TwinActivations, dQ: tf.Tensor3D, observationSize: number, actionSize: number): tf.Tensor3D {
  const { dHidden1 } = twinHidden1Delta(layers, activations, dQ);
  const actionRows = tf.slice(layers.kernel1, [0, observationSize, 0], [1, actionSize, -1]) as tf.Tensor3D;
  return timesTransposed(dHidden1, actionRows);
}

/**
 * Gradient with respect to the packed actor, given dLoss/d[μ | raw log σ] [1, N, 2A], the kept hidden
 * layers of those N rows and the transposed augmented input [sᵀ; 1ᵀ] [1, O + 1, N]. Shaped like the
 * packed actor (actorLayout).
 */
export function packedActorGradient(layers: ActorLayers, hidden1: tf.Tensor3D, hidden2: tf.Tensor3D, inputTransposedWithOnes: tf.Tensor3D, dHead: tf.Tensor3D): tf.Tensor3D {
  const H = hidden1.shape[2];
  const third = outputRowsGradient(hidden2, dHead, H);
  const dHidden2 = tf.mul(tf.matMul(dHead, layers.kernel3Rows), tf.step(hidden2)) as tf.Tensor3D;
  const second = augmentedTransposeTimes(hidden1, dHidden2);
  const dHidden1 = throughRelu(dHidden2, layers.kernel2, hidden1);
  const first = tf.matMul(inputTransposedWithOnes, dHidden1) as tf.Tensor3D;
  return tf.concat([first, second, third.kernelRows, third.biasRow], 1) as tf.Tensor3D;
}

export interface PackedSample {
  rawLogStd: tf.Tensor3D;
  logStd: tf.Tensor3D;
  std: tf.Tensor3D;
  /** σ·ε = z − μ (the backward pass reuses it). */
  stdTimesEpsilon: tf.Tensor3D;
  action: tf.Tensor3D;
  /** 1 − a². */
  oneMinusActionSquared: tf.Tensor3D;
  /** 1 − a² + 1e−6 (inside the tanh correction's log). */
  tanhDenominator: tf.Tensor3D;
  logProb: tf.Tensor3D;
}

/**
 * The squashed-Gaussian sample of squashedGaussian.ts from the actor's head, with the ε-only part of
 * log N precomputed on the CPU: gaussianConstant = −ε²/2 − ½ log 2π, so
 *   log π = Σ_i [ gaussianConstant − log σ − log(1 − a² + 1e−6) ]   (SAC-SPEC.md; same terms, other order).
 */
export function packedSample(head: tf.Tensor3D, epsilon: tf.Tensor3D, gaussianConstant: tf.Tensor3D): PackedSample {
  const A = epsilon.shape[2];
  const [mean, rawLogStd] = tf.split(head, [A, A], 2) as [tf.Tensor3D, tf.Tensor3D];
  const logStd = tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX) as tf.Tensor3D;
  const std = tf.exp(logStd) as tf.Tensor3D;
  const stdTimesEpsilon = tf.mul(std, epsilon) as tf.Tensor3D;
  const action = tf.tanh(tf.add(mean, stdTimesEpsilon)) as tf.Tensor3D;
  const oneMinusActionSquared = tf.sub(1, tf.square(action)) as tf.Tensor3D;
  const tanhDenominator = tf.add(oneMinusActionSquared, TANH_LOG_EPSILON) as tf.Tensor3D;
  const perDimension = tf.sub(tf.sub(gaussianConstant, logStd), tf.log(tanhDenominator)) as tf.Tensor3D;
  const logProb = A === 1 ? perDimension : (tf.sum(perDimension, 2, true) as tf.Tensor3D);
  return { rawLogStd, logStd, std, stdTimesEpsilon, action, oneMinusActionSquared, tanhDenominator, logProb };
}

/**
 * dLoss/d[μ | raw log σ] of the actor loss mean(α log π − min Q) (gradients.ts, actorLossAndGradients,
 * same formulas and order), given dLoss/dã from the critics.
 */
export function actorHeadGradient(sample: Pick<PackedSample, 'action' | 'stdTimesEpsilon' | 'rawLogStd' | 'logStd' | 'oneMinusActionSquared' | 'tanhDenominator'>, dActionFromQ: tf.Tensor3D, alphaOverBatch: tf.Tensor): tf.Tensor3D {
  const { action, stdTimesEpsilon, rawLogStd, logStd, oneMinusActionSquared, tanhDenominator } = sample;
  const dAction = tf.add(dActionFromQ, tf.mul(alphaOverBatch, tf.div(tf.mul(action, 2), tanhDenominator)));
  const dZ = tf.mul(dAction, oneMinusActionSquared);
  // The clamp passes no gradient where it clamped (raw ≠ clamped), as gradients.ts's mask.
  const notClamped = tf.cast(tf.equal(rawLogStd, logStd), 'float32');
  const dLogStd = tf.mul(tf.sub(tf.mul(dZ, stdTimesEpsilon), alphaOverBatch), notClamped);
  return tf.concat([dZ, dLogStd], 2) as tf.Tensor3D;
}
