/**
 * Actor and twin critic as plain tf.Variables (no tf.layers at training time), so that the twin critics
 * run as one batched matmul per layer and Adam / the soft update touch few, large tensors.
 *
 * Initialisation is PyTorch's nn.Linear default (the lecture's networks): weights and biases
 * ~ U(−1/√fan_in, 1/√fan_in), drawn from the run's seeded generator.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { actorParameterCount, twinCriticParameterCount } from './agentState';

export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

/** Parameters of Dense(relu) → Dense(relu) → Dense: kernels [in, out], biases [out]. */
export type DenseStack = readonly [kernel1: tf.Tensor, bias1: tf.Tensor, kernel2: tf.Tensor, bias2: tf.Tensor, kernel3: tf.Tensor, bias3: tf.Tensor];

/** Activations kept by the forward pass for the backward pass. */
export interface DenseStackActivations {
  input: tf.Tensor;
  hidden1: tf.Tensor;
  hidden2: tf.Tensor;
  output: tf.Tensor;
}

/** Dense(relu) → Dense(relu) → Dense, keeping the activations (the backward pass of gradients.ts needs them). */
export function denseStackForward(params: DenseStack, input: tf.Tensor): DenseStackActivations {
  const [kernel1, bias1, kernel2, bias2, kernel3, bias3] = params;
  const hidden1 = tf.relu(tf.add(tf.matMul(input, kernel1), bias1));
  const hidden2 = tf.relu(tf.add(tf.matMul(hidden1, kernel2), bias2));
  const output = tf.add(tf.matMul(hidden2, kernel3), bias3);
  return { input, hidden1, hidden2, output };
}

/** A variable holding `values`; the temporary initial tensor is freed (tidy does not dispose variables). */
export function makeVariable(values: Float32Array | number, shape: number[], trainable = true): tf.Variable {
  return tf.tidy(() => tf.variable(typeof values === 'number' ? tf.fill(shape, values) : tf.tensor(values, shape), trainable));
}

/** The variables' values, flattened and concatenated in order (one read-back; for checkpoints, not the hot path). */
export function readParameters(variables: readonly tf.Variable[]): Float32Array {
  const flat = tf.tidy(() => tf.concat(variables.map((variable) => tf.reshape(variable, [-1]))));
  const values = flat.dataSync() as Float32Array;
  flat.dispose();
  // dataSync may hand out the backend's own storage: copy so the caller owns what it keeps.
  return Float32Array.from(values);
}

/** Writes flat values (readParameters' layout) into the variables. Throws, changing nothing, if the length differs. */
export function assignParameters(variables: readonly tf.Variable[], flat: Float32Array): void {
  const total = variables.reduce((sum, variable) => sum + variable.size, 0);
  if (flat.length !== total) throw new RangeError(`${flat.length} values for ${total} parameters`);
  let offset = 0;
  tf.tidy(() => {
    for (const variable of variables) {
      variable.assign(tf.tensor(flat.subarray(offset, offset + variable.size), variable.shape));
      offset += variable.size;
    }
  });
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

  /** Parameters of an actor of these sizes (the length of its flat weights). */
  static parameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
    return actorParameterCount(observationSize, actionSize, hiddenSize);
  }

  /** With `rng`, fresh PyTorch-style weights; without, zeros (for saved weights to be loaded into). */
  constructor(rng: Rng | null, observationSize: number, actionSize: number, hiddenSize: number) {
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.hiddenSize = hiddenSize;
    const H = hiddenSize;
    const A = actionSize;
    if (rng === null) {
      this.kernel1 = makeVariable(0, [observationSize, H]);
      this.bias1 = makeVariable(0, [H]);
      this.kernel2 = makeVariable(0, [H, H]);
      this.bias2 = makeVariable(0, [H]);
      this.headKernel = makeVariable(0, [H, 2 * A]);
      this.headBias = makeVariable(0, [2 * A]);
      return;
    }
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

  /** Flat weights in `variables` order (CpuPolicy's layout). One read-back. */
  getParameters(): Float32Array {
    return readParameters(this.variables);
  }

  /** Replaces the weights with flat values from getParameters. Throws, changing nothing, if the length differs. */
  setParameters(flat: Float32Array): void {
    assignParameters(this.variables, flat);
  }

  /**
   * μ and clamped log σ for a batch of observations [B, obs]. Caller disposes (or runs inside tidy).
   */
  forward(observations: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const A = this.actionSize;
    return tf.tidy(() => {
      const head = denseStackForward(this.variables as unknown as DenseStack, observations).output;
      const [mean, rawLogStd] = tf.split(head, [A, A], 1) as [tf.Tensor2D, tf.Tensor2D];
      // log σ clamped to [−20, 2] (SAC-SPEC.md, Networks).
      return { mean, logStd: tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX) };
    });
  }


  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

/**
 * Two independent Q networks [obs, action] → Dense(H, relu) → Dense(H, relu) → Dense(1) (Q1 and Q2),
 * each stored as ordinary 2-D kernels [in, out] and biases [out]. Not one batched [2, in, out] matmul:
 * tfjs-wasm runs only unbatched, untransposed matmuls through XNNPACK and everything else through a
 * scalar loop, 5–10× slower at hidden 64 (measured: bench notes in README).
 */
export class TwinCriticNetwork {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** [kernel1, bias1, kernel2, bias2, kernel3, bias3] of Q1 and of Q2. */
  readonly q1: tf.Variable[];
  readonly q2: tf.Variable[];

  /** Parameters of a twin critic of these sizes (both Q networks). */
  static parameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
    return twinCriticParameterCount(observationSize, actionSize, hiddenSize);
  }

  /** With `rng`, fresh PyTorch-style weights (Q1's layers drawn before Q2's); without, zeros (for a target to copy into). */
  constructor(rng: Rng | null, observationSize: number, actionSize: number, hiddenSize: number) {
    const inputSize = observationSize + actionSize;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const H = hiddenSize;
    const layers: Array<{ shape: number[]; fanIn: number }> = [
      { shape: [inputSize, H], fanIn: inputSize },
      { shape: [H], fanIn: inputSize },
      { shape: [H, H], fanIn: H },
      { shape: [H], fanIn: H },
      { shape: [H, 1], fanIn: H },
      { shape: [1], fanIn: H },
    ];
    const makeQ = (): tf.Variable[] =>
      layers.map(({ shape, fanIn }) => {
        const count = shape.reduce((a, b) => a * b, 1);
        return makeVariable(rng ? linearInit(rng, count, fanIn) : new Float32Array(count), shape, rng !== null);
      });
    this.q1 = makeQ();
    this.q2 = makeQ();
  }

  /** Q1's six parameters, then Q2's. */
  get variables(): tf.Variable[] {
    return [...this.q1, ...this.q2];
  }

  /** Q values of both critics, [2, B, 1] (index 0 = Q1, 1 = Q2). Caller disposes. */
  forward(observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const inputs = tf.concat([observations, actions], 1);
      const q = (params: tf.Variable[]): tf.Tensor => denseStackForward(params as unknown as DenseStack, inputs).output;
      return tf.stack([q(this.q1), q(this.q2)]) as tf.Tensor3D;
    });
  }


  /** Flat weights, Q1's six parameters then Q2's. One read-back. */
  getParameters(): Float32Array {
    return readParameters(this.variables);
  }

  /** Replaces the weights with flat values from getParameters. Throws, changing nothing, if the length differs. */
  setParameters(flat: Float32Array): void {
    assignParameters(this.variables, flat);
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
