/**
 * Adam with PyTorch's update rule and defaults (β1 0.9, β2 0.999, ε 1e−8), so runs compare with the
 * lecture's torch.optim.Adam:
 *
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 *
 * Written here rather than tf.train.adam because the learning rate must change live between updates
 * and the state must be disposable with the run. Fused: the moments of all parameters live in one flat
 * pair of variables and the gradients are concatenated, so a step costs about 15 + 3·(parameter count)
 * kernels instead of ~15 per parameter (at hidden 64 the per-kernel overhead, not arithmetic, dominates).
 * Over a single parameter (a packed network, networks.ts) the moments take its shape and a step is
 * 13 kernels: no concat, split or reshape.
 */
import * as tf from '@tensorflow/tfjs';
import { assignParameters, makeVariable, readParameters } from './networks';

/** An optimiser's state as plain data (a checkpoint stores it): both moments, flat, and the step count t. */
export interface AdamState {
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  steps: number;
}

export class Adam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  private readonly parameters: tf.Variable[];
  /** Element counts of the parameters, in order: how the flat update is split back. */
  private readonly sizes: number[];
  private readonly firstMoment: tf.Variable; // m, flat
  private readonly secondMoment: tf.Variable; // v, flat
  private stepCount = 0;

  constructor(parameters: tf.Variable[]) {
    this.parameters = parameters;
    this.sizes = parameters.map((p) => p.size);
    const total = this.sizes.reduce((sum, size) => sum + size, 0);
    // One parameter (a packed network): moments of its own shape, so a step needs no reshape at all.
    const shape = parameters.length === 1 ? (parameters[0] as tf.Variable).shape : [total];
    this.firstMoment = makeVariable(0, shape, false);
    this.secondMoment = makeVariable(0, shape, false);
  }

  get steps(): number {
    return this.stepCount;
  }

  /** Parameters the moments cover (the length of each moment). */
  get size(): number {
    return this.sizes.reduce((sum, size) => sum + size, 0);
  }

  /** Moments (two read-backs) and step count: setState on an Adam over same-sized parameters continues exactly. */
  getState(): AdamState {
    return { firstMoment: readParameters([this.firstMoment]), secondMoment: readParameters([this.secondMoment]), steps: this.stepCount };
  }

  /** Continues from a state taken by getState. Throws RangeError (changing nothing) if it does not fit. */
  setState(state: AdamState): void {
    const total = this.size;
    if (state.firstMoment.length !== total || state.secondMoment.length !== total) {
      throw new RangeError(`Adam.setState: moments of ${state.firstMoment.length} and ${state.secondMoment.length} values for ${total} parameters`);
    }
    if (!Number.isInteger(state.steps) || state.steps < 0) throw new RangeError(`Adam.setState: step count must be a non-negative integer, got ${state.steps}`);
    assignParameters([this.firstMoment], state.firstMoment);
    assignParameters([this.secondMoment], state.secondMoment);
    this.stepCount = state.steps;
  }

  /** One step with gradients in the same order as the parameters. Does not dispose the gradients. */
  step(gradients: tf.Tensor[], learningRate: number): void {
    if (gradients.length !== this.parameters.length) {
      throw new Error(`Adam.step: ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.stepCount += 1;
    const biasCorrection1 = 1 - this.beta1 ** this.stepCount;
    const biasCorrection2 = 1 - this.beta2 ** this.stepCount;
    const stepSize = learningRate / biasCorrection1;
    tf.tidy(() => {
      const single = this.parameters.length === 1;
      const gradient = single ? (gradients[0] as tf.Tensor) : tf.concat(gradients.map((g) => tf.reshape(g, [-1])));
      const m = tf.add(tf.mul(this.firstMoment, this.beta1), tf.mul(gradient, 1 - this.beta1));
      const v = tf.add(tf.mul(this.secondMoment, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
      this.firstMoment.assign(m);
      this.secondMoment.assign(v);
      const denominator = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(biasCorrection2)), this.epsilon);
      const update = tf.mul(tf.div(m, denominator), stepSize);
      if (single) {
        const parameter = this.parameters[0] as tf.Variable;
        parameter.assign(tf.sub(parameter, update));
        return;
      }
      const pieces = tf.split(update, this.sizes);
      this.parameters.forEach((parameter, index) => {
        parameter.assign(tf.sub(parameter, tf.reshape(pieces[index] as tf.Tensor, parameter.shape)));
      });
    });
  }

  dispose(): void {
    this.firstMoment.dispose();
    this.secondMoment.dispose();
  }
}
