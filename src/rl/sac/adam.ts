/**
 * Adam with PyTorch's update rule and defaults (β1 0.9, β2 0.999, ε 1e−8), so runs compare with the
 * lecture's torch.optim.Adam. Written here rather than tf.train.adam because the learning rate must be
 * changeable live between updates, and the state must be disposable with the run.
 *
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 */
import * as tf from '@tensorflow/tfjs';
import { makeVariable } from './networks';

export class Adam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  private readonly parameters: tf.Variable[];
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private stepCount = 0;

  constructor(parameters: tf.Variable[]) {
    this.parameters = parameters;
    this.firstMoments = parameters.map((p) => makeVariable(0, p.shape, false));
    this.secondMoments = parameters.map((p) => makeVariable(0, p.shape, false));
  }

  get steps(): number {
    return this.stepCount;
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
    const sqrtBiasCorrection2 = Math.sqrt(biasCorrection2);
    tf.tidy(() => {
      this.parameters.forEach((parameter, index) => {
        const gradient = gradients[index];
        const m = this.firstMoments[index];
        const v = this.secondMoments[index];
        if (!gradient || !m || !v) throw new Error('unreachable');
        const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        m.assign(newM);
        v.assign(newV);
        const denominator = tf.add(tf.div(tf.sqrt(newV), sqrtBiasCorrection2), this.epsilon);
        parameter.assign(tf.sub(parameter, tf.mul(tf.div(newM, denominator), stepSize)));
      });
    });
  }

  dispose(): void {
    for (const variable of [...this.firstMoments, ...this.secondMoments]) variable.dispose();
  }
}
