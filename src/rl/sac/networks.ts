/**
 * Actor and twin critic as plain tf.Variables (no tf.layers at training time), so that the twin critics
 * run as one batched matmul per layer and Adam / the soft update touch few, large tensors.
 *
 * Initialisation is PyTorch's nn.Linear default (the lecture's networks): weights and biases
 * ~ U(−1/√fan_in, 1/√fan_in), drawn from the run's seeded generator.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

/** A variable holding `values`; the temporary initial tensor is freed (tidy does not dispose variables). */
export function makeVariable(values: Float32Array | number, shape: number[], trainable = true): tf.Variable {
  return tf.tidy(() => tf.variable(typeof values === 'number' ? tf.fill(shape, values) : tf.tensor(values, shape), trainable));
}

/** Float32Array of `count` draws from U(−1/√fanIn, 1/√fanIn). */
function linearInit(rng: Rng, count: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}

/**
 * Actor: obs → Dense(H, relu) → Dense(H, relu) → head Dense(2·A) whose first A columns are the mean μ
 * and last A columns log σ (the lecture's fc3 and fc4, stored side by side to save a matmul).
 */
export class ActorNetwork {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly hiddenSize: number;
  readonly kernel1: tf.Variable; // [obs, H]
  readonly bias1: tf.Variable; // [H]
  readonly kernel2: tf.Variable; // [H, H]
  readonly bias2: tf.Variable; // [H]
  readonly headKernel: tf.Variable; // [H, 2A]: columns [μ | log σ]
  readonly headBias: tf.Variable; // [2A]

  constructor(rng: Rng, observationSize: number, actionSize: number, hiddenSize: number) {
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.hiddenSize = hiddenSize;
    const H = hiddenSize;
    const A = actionSize;
    this.kernel1 = makeVariable(linearInit(rng, observationSize * H, observationSize), [observationSize, H]);
    this.bias1 = makeVariable(linearInit(rng, H, observationSize), [H]);
    this.kernel2 = makeVariable(linearInit(rng, H * H, H), [H, H]);
    this.bias2 = makeVariable(linearInit(rng, H, H), [H]);
    // fc3 (μ) and fc4 (log σ) are drawn one after the other, then laid side by side.
    const muKernel = linearInit(rng, H * A, H);
    const muBias = linearInit(rng, A, H);
    const logStdKernel = linearInit(rng, H * A, H);
    const logStdBias = linearInit(rng, A, H);
    const head = new Float32Array(H * 2 * A);
    for (let row = 0; row < H; row++) {
      for (let col = 0; col < A; col++) {
        head[row * 2 * A + col] = muKernel[row * A + col] ?? 0;
        head[row * 2 * A + A + col] = logStdKernel[row * A + col] ?? 0;
      }
    }
    const headBias = new Float32Array(2 * A);
    headBias.set(muBias, 0);
    headBias.set(logStdBias, A);
    this.headKernel = makeVariable(head, [H, 2 * A]);
    this.headBias = makeVariable(headBias, [2 * A]);
  }

  get variables(): tf.Variable[] {
    return [this.kernel1, this.bias1, this.kernel2, this.bias2, this.headKernel, this.headBias];
  }

  /**
   * μ and clamped log σ for a batch of observations [B, obs]. Caller disposes (or runs inside tidy).
   */
  forward(observations: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const A = this.actionSize;
    const hidden1 = tf.relu(tf.add(tf.matMul(observations, this.kernel1), this.bias1));
    const hidden2 = tf.relu(tf.add(tf.matMul(hidden1, this.kernel2), this.bias2));
    const head = tf.add(tf.matMul(hidden2, this.headKernel), this.headBias) as tf.Tensor2D;
    const [mean, rawLogStd] = tf.split(head, [A, A], 1) as [tf.Tensor2D, tf.Tensor2D];
    // log σ clamped to [−20, 2] (SAC-SPEC.md, Networks).
    return { mean, logStd: tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX) };
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

/**
 * Two independent Q networks [obs, action] → Dense(H, relu) → Dense(H, relu) → Dense(1), stored as
 * stacked weights [2, in, out] so one batched matmul evaluates both (index 0 = Q1, 1 = Q2).
 */
export class TwinCriticNetwork {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly kernel1: tf.Variable; // [2, obs + A, H]
  readonly bias1: tf.Variable; // [2, 1, H]
  readonly kernel2: tf.Variable; // [2, H, H]
  readonly bias2: tf.Variable; // [2, 1, H]
  readonly kernel3: tf.Variable; // [2, H, 1]
  readonly bias3: tf.Variable; // [2, 1, 1]

  /** With `rng`, fresh PyTorch-style weights (Q1's layers drawn before Q2's); without, zeros (for a target to copy into). */
  constructor(rng: Rng | null, observationSize: number, actionSize: number, hiddenSize: number) {
    const inputSize = observationSize + actionSize;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const H = hiddenSize;
    const shapes: Array<{ shape: [number, number, number]; fanIn: number }> = [
      { shape: [2, inputSize, H], fanIn: inputSize },
      { shape: [2, 1, H], fanIn: inputSize },
      { shape: [2, H, H], fanIn: H },
      { shape: [2, 1, H], fanIn: H },
      { shape: [2, H, 1], fanIn: H },
      { shape: [2, 1, 1], fanIn: H },
    ];
    const perCritic = shapes.map(({ shape }) => shape[1] * shape[2]);
    const values = shapes.map(({ shape }) => new Float32Array(shape[0] * shape[1] * shape[2]));
    if (rng) {
      for (let critic = 0; critic < 2; critic++) {
        shapes.forEach(({ fanIn }, index) => {
          const count = perCritic[index] ?? 0;
          values[index]?.set(linearInit(rng, count, fanIn), critic * count);
        });
      }
    }
    const make = (index: number): tf.Variable => {
      const spec = shapes[index];
      const data = values[index];
      if (!spec || !data) throw new Error('unreachable');
      return makeVariable(data, spec.shape, rng !== null);
    };
    this.kernel1 = make(0);
    this.bias1 = make(1);
    this.kernel2 = make(2);
    this.bias2 = make(3);
    this.kernel3 = make(4);
    this.bias3 = make(5);
  }

  get variables(): tf.Variable[] {
    return [this.kernel1, this.bias1, this.kernel2, this.bias2, this.kernel3, this.bias3];
  }

  /** Q values of both critics, [2, B, 1] (index 0 = Q1, 1 = Q2). Caller disposes. */
  forward(observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor3D {
    // [2, B, obs + A]: an explicit tile, because tfjs's BatchMatMul gradient does not sum over a broadcast
    // batch dimension (the gradient to the action input, which the actor loss needs, would have the wrong shape).
    const inputs = tf.tile(tf.concat([observations, actions], 1).expandDims(0), [2, 1, 1]);
    const hidden1 = tf.relu(tf.add(tf.matMul(inputs, this.kernel1), this.bias1));
    const hidden2 = tf.relu(tf.add(tf.matMul(hidden1, this.kernel2), this.bias2));
    return tf.add(tf.matMul(hidden2, this.kernel3), this.bias3) as tf.Tensor3D;
  }

  /** Sets this network's weights to `source`'s (the lecture's hard_target_update). */
  copyFrom(source: TwinCriticNetwork): void {
    const targets = this.variables;
    source.variables.forEach((variable, index) => targets[index]?.assign(variable));
  }

  /** Soft target update θ̄ ← τ·θ + (1 − τ)·θ̄ (SAC-SPEC.md, after each gradient step). */
  softUpdateFrom(source: TwinCriticNetwork, tau: number): void {
    const targets = this.variables;
    tf.tidy(() => {
      source.variables.forEach((variable, index) => {
        const target = targets[index];
        if (!target) return;
        target.assign(tf.add(tf.mul(variable, tau), tf.mul(target, 1 - tau)));
      });
    });
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}
