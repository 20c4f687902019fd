/**
 * The on-policy methods' networks in plain JavaScript (Float64Array): input → Dense(H, tanh) →
 * Dense(H, tanh) → Dense(out), the lecture's 64-64 network with the tanh of PPO/TRPO's libraries.
 *
 * Why not tfjs: at hidden 64 and minibatches of 64 the work is ~0.3 M multiply-adds per layer pass, so a
 * tfjs kernel launch costs more than its arithmetic (SAC's update measures ≈ 2.7 ms on wasm). PPO makes
 * 640 minibatch steps per 4,096 env steps; the 3,000 env steps/s goal leaves ≈ 2 ms per step for the
 * policy *and* the value net. Plain loops over row-major arrays do it, are exactly reproducible on
 * every platform, and leave no tensor to dispose.
 *
 * Parameter layout (flat, this order): kernel1 [in×H], bias1 [H], kernel2 [H×H], bias2 [H],
 * kernel3 [H×out], bias3 [out]; kernels row-major [fan_in, fan_out] like tfjs Dense kernels.
 */
import type { Rng } from '../rng';
import { multiplyAB, multiplyABt, type Matrix } from './matrix';

export interface MlpShape {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
}

/** Offsets of each block in the flat parameter array. */
export interface MlpLayout {
  kernel1: number;
  bias1: number;
  kernel2: number;
  bias2: number;
  kernel3: number;
  bias3: number;
  size: number;
}

export function mlpLayout({ inputSize, hiddenSize: H, outputSize }: MlpShape): MlpLayout {
  const kernel1 = 0;
  const bias1 = kernel1 + inputSize * H;
  const kernel2 = bias1 + H;
  const bias2 = kernel2 + H * H;
  const kernel3 = bias2 + H;
  const bias3 = kernel3 + H * outputSize;
  return { kernel1, bias1, kernel2, bias2, kernel3, bias3, size: bias3 + outputSize };
}

/**
 * A [rows×cols] kernel (row-major, our [fan_in, fan_out] layout) with orthonormal rows or columns,
 * scaled by `gain`: torch.nn.init.orthogonal_ as Stable-Baselines3's ortho_init applies it. A Gaussian
 * [max×min] matrix from the run's generator is orthonormalised column by column (Gram–Schmidt, the Q
 * of its QR with R's diagonal positive), and laid out so the longer side holds the orthonormal vectors.
 */
export function orthogonalKernel(rng: Rng, rows: number, cols: number, gain: number): Float64Array {
  const tall = Math.max(rows, cols);
  const narrow = Math.min(rows, cols);
  const q = new Float64Array(tall * narrow); // column c at q[c·tall … (c+1)·tall)
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let c = 0; c < narrow; c++) {
    const column = c * tall;
    // Twice-repeated projection (classical Gram–Schmidt, reorthogonalised) keeps float64 round-off at ~1e−16.
    for (let pass = 0; pass < 2; pass++) {
      for (let previous = 0; previous < c; previous++) {
        let projection = 0;
        for (let i = 0; i < tall; i++) projection += (q[previous * tall + i] as number) * (q[column + i] as number);
        for (let i = 0; i < tall; i++) q[column + i] = (q[column + i] as number) - projection * (q[previous * tall + i] as number);
      }
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += (q[column + i] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < tall; i++) q[column + i] = (q[column + i] as number) / norm;
  }
  const kernel = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: kernel[r, c] = Q[r, c]; rows < cols: kernel = Qᵀ.
      kernel[r * cols + c] = gain * (rows >= cols ? (q[c * tall + r] as number) : (q[r * tall + c] as number));
    }
  }
  return kernel;
}

/**
 * Stable-Baselines3's initialisation of PPO/TRPO networks (ortho_init, the zoo's default): orthogonal
 * kernels with gain √2 on the hidden layers and `outputGain` on the last (0.01 for the action mean,
 * 1 for the value), biases 0.
 */
export function initMlpParameters(rng: Rng, shape: MlpShape, outputGain = 1): Float64Array {
  const layout = mlpLayout(shape);
  const parameters = new Float64Array(layout.size);
  const { inputSize, hiddenSize: H, outputSize } = shape;
  parameters.set(orthogonalKernel(rng, inputSize, H, Math.SQRT2), layout.kernel1);
  parameters.set(orthogonalKernel(rng, H, H, Math.SQRT2), layout.kernel2);
  parameters.set(orthogonalKernel(rng, H, outputSize, outputGain), layout.kernel3);
  return parameters;
}

/** Activations of a batch forward pass, kept for the backward pass and for JVPs (reused between calls). */
export interface MlpActivations {
  batchSize: number;
  /** The input rows the pass was run on (not copied: the caller keeps them unchanged until backward). */
  input: Matrix;
  hidden1: Float64Array;
  hidden2: Float64Array;
  output: Float64Array;
}

/**
 * out[b, n] = (accumulate ? out[b, n] : bias[n]) + Σ_k in[b, k]·kernel[k, n] for rows b < batch
 * (bias skipped when biasOffset < 0), then tanh when asked: out = in·kernel, bias and tanh applied in
 * the kernel's heap before the one copy out.
 */
function denseForward(
  input: Matrix,
  batch: number,
  inSize: number,
  parameters: Float64Array,
  kernelOffset: number,
  biasOffset: number,
  outSize: number,
  out: Float64Array,
  accumulate = false,
  tanh = false,
): void {
  const bias = biasOffset < 0 ? undefined : parameters;
  multiplyAB(input, 0, batch, inSize, parameters, kernelOffset, outSize, out, 0, accumulate, { bias, biasOffset, tanh });
}

/**
 * Backward through one dense layer: gradient[kernel] += inᵀ·δ, gradient[bias] += Σ_b δ, and, when
 * `dInput` is given, dInput = δ·kernelᵀ.
 */
function denseBackward(
  input: Matrix,
  delta: Float64Array,
  batch: number,
  inSize: number,
  outSize: number,
  parameters: Float64Array,
  kernelOffset: number,
  biasOffset: number,
  gradient: Float64Array,
  dInput: Float64Array | null,
): void {
  for (let b = 0; b < batch; b++) {
    const deltaRow = b * outSize;
    for (let n = 0; n < outSize; n++) gradient[biasOffset + n] = (gradient[biasOffset + n] as number) + (delta[deltaRow + n] as number);
  }
  // dKernel[k, n] = Σ_b in[b, k]·δ[b, n] = inᵀ·δ: the input read transposed, δ as it is.
  multiplyAB(input, 0, inSize, batch, delta, 0, outSize, gradient, kernelOffset, true, { aTransposed: true });
  // dInput[b, k] = Σ_n δ[b, n]·kernel[k, n]: already A·Bᵀ with B = the kernel.
  if (dInput !== null) multiplyABt(delta, 0, batch, outSize, parameters, kernelOffset, inSize, dInput, 0, false);
}

/** A tanh-tanh MLP evaluated on batches; holds reusable work arrays, not its parameters (they are passed in). */
export class TanhMlp {
  readonly shape: MlpShape;
  readonly layout: MlpLayout;
  private activations: MlpActivations;
  private dHidden1 = new Float64Array(0);
  private dHidden2 = new Float64Array(0);
  private tangentHidden1 = new Float64Array(0);
  private tangentHidden2 = new Float64Array(0);
  private tangentOutput = new Float64Array(0);

  constructor(shape: MlpShape) {
    this.shape = shape;
    this.layout = mlpLayout(shape);
    this.activations = { batchSize: 0, input: new Float64Array(0), hidden1: new Float64Array(0), hidden2: new Float64Array(0), output: new Float64Array(0) };
  }

  get parameterCount(): number {
    return this.layout.size;
  }

  private ensureCapacity(batch: number): void {
    const { hiddenSize: H, outputSize } = this.shape;
    if (this.activations.hidden1.length >= batch * H) return;
    this.activations.hidden1 = new Float64Array(batch * H);
    this.activations.hidden2 = new Float64Array(batch * H);
    this.activations.output = new Float64Array(batch * outputSize);
    this.dHidden1 = new Float64Array(batch * H);
    this.dHidden2 = new Float64Array(batch * H);
    this.tangentHidden1 = new Float64Array(batch * H);
    this.tangentHidden2 = new Float64Array(batch * H);
    this.tangentOutput = new Float64Array(batch * outputSize);
  }

  /**
   * Forward pass on `batch` rows of `input` (row-major [batch, inputSize]). The returned activations are
   * this object's work arrays: valid until the next forward with a larger batch or another input.
   */
  forward(parameters: Float64Array, input: Float64Array | Float32Array, batch: number): MlpActivations {
    this.ensureCapacity(batch);
    const { inputSize, hiddenSize: H, outputSize } = this.shape;
    const L = this.layout;
    const a = this.activations;
    a.batchSize = batch;
    a.input = input;
    denseForward(input, batch, inputSize, parameters, L.kernel1, L.bias1, H, a.hidden1, false, true);
    denseForward(a.hidden1, batch, H, parameters, L.kernel2, L.bias2, H, a.hidden2, false, true);
    denseForward(a.hidden2, batch, H, parameters, L.kernel3, L.bias3, outputSize, a.output);
    return a;
  }

  /**
   * Adds dLoss/dParameters to `gradient` given dLoss/dOutput [batch, out] for the last forward pass
   * (tanh′ = 1 − h²). The input gradient is not needed by any on-policy loss and is not computed.
   */
  backward(parameters: Float64Array, dOutput: Float64Array, gradient: Float64Array): void {
    const { inputSize, hiddenSize: H, outputSize } = this.shape;
    const L = this.layout;
    const a = this.activations;
    const batch = a.batchSize;
    denseBackward(a.hidden2, dOutput, batch, H, outputSize, parameters, L.kernel3, L.bias3, gradient, this.dHidden2);
    for (let i = 0; i < batch * H; i++) {
      const h = a.hidden2[i] as number;
      this.dHidden2[i] = (this.dHidden2[i] as number) * (1 - h * h);
    }
    denseBackward(a.hidden1, this.dHidden2, batch, H, H, parameters, L.kernel2, L.bias2, gradient, this.dHidden1);
    for (let i = 0; i < batch * H; i++) {
      const h = a.hidden1[i] as number;
      this.dHidden1[i] = (this.dHidden1[i] as number) * (1 - h * h);
    }
    denseBackward(a.input, this.dHidden1, batch, inputSize, H, parameters, L.kernel1, L.bias1, gradient, null);
  }

  /**
   * Forward-mode derivative of the outputs of the last forward pass along a parameter direction
   * (Jacobian-vector product J·direction, [batch, out]): what TRPO's Fisher-vector product needs.
   */
  jacobianVectorProduct(parameters: Float64Array, direction: Float64Array): Float64Array {
    const { inputSize, hiddenSize: H, outputSize } = this.shape;
    const L = this.layout;
    const a = this.activations;
    const batch = a.batchSize;
    // t1 = (x·dW1 + db1) ⊙ (1 − h1²)
    denseForward(a.input, batch, inputSize, direction, L.kernel1, L.bias1, H, this.tangentHidden1);
    for (let i = 0; i < batch * H; i++) {
      const h = a.hidden1[i] as number;
      this.tangentHidden1[i] = (this.tangentHidden1[i] as number) * (1 - h * h);
    }
    // t2 = (h1·dW2 + db2 + t1·W2) ⊙ (1 − h2²)
    denseForward(a.hidden1, batch, H, direction, L.kernel2, L.bias2, H, this.tangentHidden2);
    denseForward(this.tangentHidden1, batch, H, parameters, L.kernel2, -1, H, this.tangentHidden2, true);
    for (let i = 0; i < batch * H; i++) {
      const h = a.hidden2[i] as number;
      this.tangentHidden2[i] = (this.tangentHidden2[i] as number) * (1 - h * h);
    }
    // t3 = h2·dW3 + db3 + t2·W3
    denseForward(a.hidden2, batch, H, direction, L.kernel3, L.bias3, outputSize, this.tangentOutput);
    denseForward(this.tangentHidden2, batch, H, parameters, L.kernel3, -1, outputSize, this.tangentOutput, true);
    return this.tangentOutput;
  }
}
