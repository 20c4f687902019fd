/**
 * The on-policy Gaussian policy π(a|s) = N(μ_φ(s), diag(v(s))) (ALGORITHMS.md, PPO and gSDE):
 * μ from a tanh-tanh MLP; the variance either from gSDE (v_j = Σ_i z_i² S_ij², z = last hidden layer,
 * detached) or, as the option without gSDE, state-independent v_j = exp(2 log σ_j).
 * The sampled action is not squashed; the env receives it clipped to the torque bounds (rollout.ts).
 *
 * Parameters are one flat Float64Array: [MLP (mlp.ts layout) | exploration], exploration = log S [H×A]
 * (gSDE) or log σ [A] (plain Gaussian), both initialised to `log_std_init`.
 */
import type { Rng } from '../rng';
import { gsdeLogScaleGradient, gsdeLogVarianceTangent, gsdeVariance } from '../gsde/gsde';
import { TanhMlp, initMlpParameters } from './mlp';

export type ExplorationKind = 'gsde' | 'gaussian';

export interface PolicyShape {
  observationSize: number;
  actionSize: number;
  hiddenSize: number;
  exploration: ExplorationKind;
}

const LOG_TWO_PI = Math.log(2 * Math.PI);

/** SB3's ortho_init gain of the action-mean layer: the first actions are ≈ N(0, v). */
const MEAN_LAYER_GAIN = 0.01;

/** What one evaluation on a batch gives: means, variances and the features they came from. */
export interface PolicyEvaluation {
  batchSize: number;
  /** μ [batch, A]. */
  mean: Float64Array;
  /** v [batch, A]. */
  variance: Float64Array;
  /** z = the last hidden layer [batch, H] (gSDE's features). */
  features: Float64Array;
}

export function policyParameterCount(shape: PolicyShape): number {
  const { observationSize, actionSize, hiddenSize } = shape;
  return new TanhMlp({ inputSize: observationSize, hiddenSize, outputSize: actionSize }).parameterCount + explorationParameterCount(shape);
}

export function explorationParameterCount({ actionSize, hiddenSize, exploration }: PolicyShape): number {
  return exploration === 'gsde' ? hiddenSize * actionSize : actionSize;
}

/** log N(a; μ, v) summed over the action dimensions. */
export function gaussianLogDensity(action: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, offset: number, actionSize: number): number {
  let sum = 0;
  for (let j = 0; j < actionSize; j++) {
    const v = variance[offset + j] as number;
    const d = (action[offset + j] as number) - (mean[offset + j] as number);
    sum += -0.5 * ((d * d) / v + Math.log(v) + LOG_TWO_PI);
  }
  return sum;
}

/** Entropy of N(μ, diag v): Σ_j ½ log(2πe v_j). */
export function gaussianEntropy(variance: ArrayLike<number>, offset: number, actionSize: number): number {
  let sum = 0;
  for (let j = 0; j < actionSize; j++) sum += 0.5 * (Math.log(variance[offset + j] as number) + LOG_TWO_PI + 1);
  return sum;
}

export class GaussianPolicy {
  readonly shape: PolicyShape;
  readonly network: TanhMlp;
  /** Where the exploration parameters (log S or log σ) start in the flat parameters. */
  readonly explorationOffset: number;
  readonly parameterCount: number;
  private variance = new Float64Array(0);
  private dLogVarianceTangent = new Float64Array(0);

  constructor(shape: PolicyShape) {
    this.shape = shape;
    this.network = new TanhMlp({ inputSize: shape.observationSize, hiddenSize: shape.hiddenSize, outputSize: shape.actionSize });
    this.explorationOffset = this.network.parameterCount;
    this.parameterCount = this.explorationOffset + explorationParameterCount(shape);
  }

  /** Fresh parameters: the MLP from `rng`, every log S / log σ entry = logStdInit. */
  initParameters(rng: Rng, logStdInit: number): Float64Array {
    const mlp = initMlpParameters(rng, this.network.shape, MEAN_LAYER_GAIN);
    const parameters = new Float64Array(this.parameterCount);
    parameters.set(mlp, 0);
    parameters.fill(logStdInit, this.explorationOffset);
    return parameters;
  }

  /** The exploration parameters (log S [H×A] or log σ [A]) as a view into `parameters`. */
  explorationParameters(parameters: Float64Array): Float64Array {
    return parameters.subarray(this.explorationOffset, this.parameterCount);
  }

  /** μ, v and z for `batch` observations. Arrays are work arrays of this object: valid until the next evaluate. */
  evaluate(parameters: Float64Array, observations: Float64Array | Float32Array, batch: number): PolicyEvaluation {
    const { actionSize: A, hiddenSize: H } = this.shape;
    const activations = this.network.forward(parameters, observations, batch);
    if (this.variance.length < batch * A) {
      this.variance = new Float64Array(batch * A);
      this.dLogVarianceTangent = new Float64Array(batch * A);
    }
    const exploration = this.explorationParameters(parameters);
    if (this.shape.exploration === 'gsde') {
      gsdeVariance(activations.hidden2, batch, H, exploration, A, this.variance);
    } else {
      for (let b = 0; b < batch; b++) for (let j = 0; j < A; j++) this.variance[b * A + j] = Math.exp(2 * (exploration[j] as number));
    }
    return { batchSize: batch, mean: activations.output, variance: this.variance, features: activations.hidden2 };
  }

  /**
   * Adds dLoss/dParameters to `gradient` for the last evaluate, given dLoss/dμ and dLoss/dlog v, both
   * [batch, A]. μ's gradient runs back through the MLP; log v's only into log S / log σ (z detached).
   */
  backward(parameters: Float64Array, evaluation: PolicyEvaluation, dMean: Float64Array, dLogVariance: Float64Array, gradient: Float64Array): void {
    const { actionSize: A, hiddenSize: H } = this.shape;
    this.network.backward(parameters, dMean, gradient);
    const exploration = this.explorationParameters(parameters);
    if (this.shape.exploration === 'gsde') {
      gsdeLogScaleGradient(evaluation.features, evaluation.batchSize, H, exploration, A, evaluation.variance, dLogVariance, gradient, this.explorationOffset);
    } else {
      // log v_j = 2 log σ_j.
      for (let b = 0; b < evaluation.batchSize; b++) {
        for (let j = 0; j < A; j++) gradient[this.explorationOffset + j] = (gradient[this.explorationOffset + j] as number) + 2 * (dLogVariance[b * A + j] as number);
      }
    }
  }

  /**
   * Directional derivatives of μ and of log v [batch, A] along a parameter direction, at the last
   * evaluate (z held fixed, as it is detached): the J·u of TRPO's Fisher-vector product.
   */
  tangents(parameters: Float64Array, evaluation: PolicyEvaluation, direction: Float64Array): { dMean: Float64Array; dLogVariance: Float64Array } {
    const { actionSize: A, hiddenSize: H } = this.shape;
    const dMean = this.network.jacobianVectorProduct(parameters, direction);
    const exploration = this.explorationParameters(parameters);
    if (this.shape.exploration === 'gsde') {
      gsdeLogVarianceTangent(evaluation.features, evaluation.batchSize, H, exploration, A, evaluation.variance, direction, this.explorationOffset, this.dLogVarianceTangent);
    } else {
      for (let b = 0; b < evaluation.batchSize; b++) {
        for (let j = 0; j < A; j++) this.dLogVarianceTangent[b * A + j] = 2 * (direction[this.explorationOffset + j] as number);
      }
    }
    return { dMean, dLogVariance: this.dLogVarianceTangent };
  }
}
