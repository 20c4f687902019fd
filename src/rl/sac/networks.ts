/**
 * Actor and twin critic as plain tfjs tensors (no tf.layers at training time). Each network's parameters
 * live in ONE packed 2-D variable (PackedLayout below: each layer's kernel with its bias as the row under
 * it, so a layer is one or two slices and its gradient one matmul), so Adam and the soft target update
 * touch one tensor per network. The per-layer variables of earlier versions (kernel1 … headBias, q1, q2,
 * `variables`) are still offered as views for tests, weight files and autodiff checks: reading them copies
 * the packed values out, and the next training use copies them back in (see PackedNetwork).
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

/** Float32Array of `count` draws from U(−1/√fanIn, 1/√fanIn): PyTorch's nn.Linear default. */
export function linearInit(rng: Rng, count: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}

/** One parameter tensor of the flat `variables` order placed as a block of the packed matrix. */
interface Piece {
  /** Shape in the flat order: [rows, cols] (a bias [n] is [1, n]). */
  rows: number;
  cols: number;
  /** Top-left corner of its block in the packed matrix. */
  row: number;
  col: number;
  /** Stored transposed: a [cols, rows] block (output kernels, whose rows then span the matrix's width). */
  transposed?: boolean;
}

/**
 * Where each parameter of the flat `variables` order (checkpoints, weight files, CpuPolicy) sits in a
 * network's packed [rows, cols] matrix; positions no parameter covers are zeros and get zero gradients.
 * Pure JS: converts flat values (weights or Adam moments) to the packed layout and back, exactly.
 */
export class PackedLayout {
  readonly rows: number;
  readonly cols: number;
  readonly pieces: readonly Piece[];
  /** Values in the flat order. */
  readonly size: number;

  constructor(rows: number, cols: number, pieces: Piece[]) {
    this.rows = rows;
    this.cols = cols;
    this.pieces = pieces;
    this.size = pieces.reduce((sum, piece) => sum + piece.rows * piece.cols, 0);
  }

  /** Flat (`variables` order) → packed [rows · cols], zeros elsewhere. */
  pack(flat: ArrayLike<number>): Float32Array {
    if (flat.length !== this.size) throw new RangeError(`${flat.length} values for ${this.size} parameters`);
    const packed = new Float32Array(this.rows * this.cols);
    let offset = 0;
    for (const piece of this.pieces) {
      for (let r = 0; r < piece.rows; r++) {
        for (let c = 0; c < piece.cols; c++) packed[this.position(piece, r, c)] = flat[offset + r * piece.cols + c] ?? 0;
      }
      offset += piece.rows * piece.cols;
    }
    return packed;
  }

  /** Packed [rows · cols] → flat (`variables` order). */
  unpack(packed: ArrayLike<number>): Float32Array {
    const flat = new Float32Array(this.size);
    let offset = 0;
    for (const piece of this.pieces) {
      for (let r = 0; r < piece.rows; r++) {
        for (let c = 0; c < piece.cols; c++) flat[offset + r * piece.cols + c] = packed[this.position(piece, r, c)] ?? 0;
      }
      offset += piece.rows * piece.cols;
    }
    return flat;
  }

  /** Index in the packed values of element (r, c) of a piece. */
  private position(piece: Piece, r: number, c: number): number {
    return piece.transposed ? (piece.row + c) * this.cols + piece.col + r : (piece.row + r) * this.cols + piece.col + c;
  }

  /** 1 where a parameter sits, 0 in the padding (for tests of the zero-padding invariant). */
  occupancy(): Float32Array {
    const ones = new Float32Array(this.size).fill(1);
    return this.pack(ones);
  }
}

/**
 * Actor packed [O + H + 2A + 3, H]: rows [0, O) kernel1 and row O bias1 (so rows [0, O + 1) are the
 * augmented kernel for inputs with a ones column), then kernel2 and bias2, then the head kernel stored
 * transposed ([2A, H]: row i is output i, μ rows first, then log σ) and the head bias, left-aligned.
 */
export function actorLayout(observationSize: number, actionSize: number, hiddenSize: number): PackedLayout {
  const O = observationSize;
  const H = hiddenSize;
  const A2 = 2 * actionSize;
  const r2 = O + 1;
  const r3 = r2 + H + 1;
  if (A2 > H) throw new RangeError(`the packed actor needs 2·actions ≤ hidden size, got ${A2} > ${H}`);
  return new PackedLayout(r3 + A2 + 1, H, [
    { rows: O, cols: H, row: 0, col: 0 },
    { rows: 1, cols: H, row: O, col: 0 },
    { rows: H, cols: H, row: r2, col: 0 },
    { rows: 1, cols: H, row: r2 + H, col: 0 },
    { rows: H, cols: A2, row: r3, col: 0, transposed: true },
    { rows: 1, cols: A2, row: r3 + A2, col: 0 },
  ]);
}

/**
 * Twin critic packed [in + H + 5, 2H] (in = O + A), Q1 in the left H columns and Q2 in the right:
 * rows [0, in) both first kernels side by side and row in both first biases (one matmul computes both
 * twins' first layer); then both second kernels side by side and their biases; then the output kernels
 * stored transposed as two rows [w3₁ᵀ | 0] and [0 | w3₂ᵀ] (a block-diagonal [2, 2H]: one matmul gives
 * [Q1 | Q2]) and the row [b3₁, b3₂, 0, …].
 */
export function twinCriticLayout(observationSize: number, actionSize: number, hiddenSize: number): PackedLayout {
  const I = observationSize + actionSize;
  const H = hiddenSize;
  const r2 = I + 1;
  const r3 = r2 + H + 1;
  const pieces: Piece[] = [];
  for (let twin = 0; twin < 2; twin++) {
    pieces.push(
      { rows: I, cols: H, row: 0, col: twin * H },
      { rows: 1, cols: H, row: I, col: twin * H },
      { rows: H, cols: H, row: r2, col: twin * H },
      { rows: 1, cols: H, row: r2 + H, col: twin * H },
      { rows: H, cols: 1, row: r3 + twin, col: twin * H, transposed: true },
      { rows: 1, cols: 1, row: r3 + 2, col: twin },
    );
  }
  return new PackedLayout(r3 + 3, 2 * H, pieces);
}

/**
 * A network whose parameters live in one packed variable, with per-layer views made on demand.
 * Exactly one side is authoritative: the packed variable (training) or the views (after anyone read
 * them: they may have been assigned). Reading the views copies packed → views; the next training use
 * (packedParameters) copies views → packed. The hot path never touches the views.
 */
abstract class PackedNetwork {
  readonly layout: PackedLayout;
  protected readonly packed: tf.Variable;
  private views: tf.Variable[] | null = null;
  private viewsAuthoritative = false;
  private readonly viewShapes: number[][];
  private readonly trainableViews: boolean;

  protected constructor(layout: PackedLayout, flat: Float32Array | null, viewShapes: number[][], trainableViews: boolean) {
    this.layout = layout;
    this.viewShapes = viewShapes;
    this.trainableViews = trainableViews;
    this.packed = makeVariable(flat ? layout.pack(flat) : new Float32Array(layout.rows * layout.cols), [1, layout.rows, layout.cols], false);
  }

  /** The packed parameters, current (folds assigned views back in first). For the training path. */
  packedParameters(): tf.Variable {
    if (this.viewsAuthoritative && this.views) {
      const flat = readParameters(this.views);
      this.viewsAuthoritative = false;
      tf.tidy(() => this.packed.assign(tf.tensor3d(this.layout.pack(flat), [1, this.layout.rows, this.layout.cols])));
    }
    return this.packed;
  }

  /** Writes new packed values (same shape); the views become stale. */
  assignPacked(values: tf.Tensor): void {
    this.packedParameters();
    this.packed.assign(values);
  }

  /** True while the views hold the current values (someone read them since the last training use). */
  protected get usesViews(): boolean {
    return this.viewsAuthoritative;
  }

  /** The per-layer variables, current (copied out of the packed variable when needed). */
  protected layerVariables(): tf.Variable[] {
    if (!this.views) {
      this.views = this.viewShapes.map((shape) => makeVariable(0, shape, this.trainableViews));
    }
    if (!this.viewsAuthoritative) {
      assignParameters(this.views, this.layout.unpack(this.packed.dataSync()));
      this.viewsAuthoritative = true;
    }
    return this.views;
  }

  /** Flat weights in `variables` order. One read-back. */
  getParameters(): Float32Array {
    if (this.viewsAuthoritative && this.views) return readParameters(this.views);
    return this.layout.unpack(this.packed.dataSync());
  }

  /** Replaces the weights with flat values from getParameters. Throws, changing nothing, if the length differs. */
  setParameters(flat: Float32Array): void {
    const packed = this.layout.pack(flat);
    this.viewsAuthoritative = false;
    tf.tidy(() => this.packed.assign(tf.tensor3d(packed, [1, this.layout.rows, this.layout.cols])));
  }

  dispose(): void {
    this.packed.dispose();
    if (this.views) for (const view of this.views) view.dispose();
    this.views = null;
  }
}

/**
 * A fresh actor's flat weights in ActorNetwork's layout [kernel1 | bias1 | kernel2 | bias2 | head | μ bias
 * | log σ bias], PyTorch-style: fc1, fc2, then fc3 (μ) and fc4 (log σ) drawn one after the other from
 * `rng` (the lecture's draw order) and laid side by side in the head. Also the population's members'.
 */
export function initialActorParameters(rng: Rng, observationSize: number, actionSize: number, hiddenSize: number): Float32Array {
  const [O, A, H] = [observationSize, actionSize, hiddenSize];
  const kernel1 = linearInit(rng, O * H, O);
  const bias1 = linearInit(rng, H, O);
  const kernel2 = linearInit(rng, H * H, H);
  const bias2 = linearInit(rng, H, H);
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
  const flat = new Float32Array(actorParameterCount(O, A, H));
  let offset = 0;
  for (const part of [kernel1, bias1, kernel2, bias2, head, muBias, logStdBias]) {
    flat.set(part, offset);
    offset += part.length;
  }
  return flat;
}

/**
 * Actor: obs → Dense(H, relu) → Dense(H, relu) → head Dense(2·A) whose first A columns are the mean μ
 * and last A columns log σ (the lecture's fc3 and fc4, stored side by side to save a matmul).
 */
export class ActorNetwork extends PackedNetwork {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly hiddenSize: number;

  /** Parameters of an actor of these sizes (the length of its flat weights). */
  static parameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
    return actorParameterCount(observationSize, actionSize, hiddenSize);
  }

  /** With `rng`, fresh PyTorch-style weights; without, zeros (for saved weights to be loaded into). */
  constructor(rng: Rng | null, observationSize: number, actionSize: number, hiddenSize: number) {
    const H = hiddenSize;
    const A = actionSize;
    const O = observationSize;
    const flat = rng === null ? null : initialActorParameters(rng, O, A, H);
    super(actorLayout(O, A, H), flat, [[O, H], [H], [H, H], [H], [H, 2 * A], [2 * A]], true);
    this.observationSize = O;
    this.actionSize = A;
    this.hiddenSize = H;
  }

  get kernel1(): tf.Variable {
    return this.layerVariables()[0] as tf.Variable;
  }
  get bias1(): tf.Variable {
    return this.layerVariables()[1] as tf.Variable;
  }
  get kernel2(): tf.Variable {
    return this.layerVariables()[2] as tf.Variable;
  }
  get bias2(): tf.Variable {
    return this.layerVariables()[3] as tf.Variable;
  }
  /** [H, 2A]: columns [μ | log σ]. */
  get headKernel(): tf.Variable {
    return this.layerVariables()[4] as tf.Variable;
  }
  get headBias(): tf.Variable {
    return this.layerVariables()[5] as tf.Variable;
  }

  /** [kernel1, bias1, kernel2, bias2, headKernel, headBias] as variables (views of the packed parameters). */
  get variables(): tf.Variable[] {
    return this.layerVariables();
  }

  /**
   * The six parameters as tensors: the views when someone holds them, else slices of the packed
   * variable (same values; the head kernel transposed back). Differentiable either way.
   */
  private stack(): DenseStack {
    if (this.usesViews) return this.variables as unknown as DenseStack;
    const O = this.observationSize;
    const H = this.hiddenSize;
    const A2 = 2 * this.actionSize;
    return stackFromPacked(this.packedParameters(), [
      [0, 0, O, H],
      [O, 0, 1, H],
      [O + 1, 0, H, H],
      [O + 1 + H, 0, 1, H],
      [O + 2 + H, 0, A2, H, 1],
      [O + 2 + H + A2, 0, 1, A2],
    ]);
  }

  /**
   * μ and clamped log σ for a batch of observations [B, obs]. Caller disposes (or runs inside tidy).
   * Through the views when someone holds them (autodiff checks), else the fused packed path.
   */
  forward(observations: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const A = this.actionSize;
    return tf.tidy(() => {
      const head = denseStackForward(this.stack(), observations).output;
      const [mean, rawLogStd] = tf.split(head, [A, A], 1) as [tf.Tensor2D, tf.Tensor2D];
      // log σ clamped to [−20, 2] (SAC-SPEC.md, Networks).
      return { mean, logStd: tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX) };
    });
  }
}

/**
 * Two independent Q networks [obs, action] → Dense(H, relu) → Dense(H, relu) → Dense(1) (Q1 and Q2),
 * packed side by side (twinCriticLayout): the first layers of both run as one matmul, the second as two
 * plain [H, H] matmuls (not one batched or block-diagonal matmul: tfjs-wasm runs only unbatched,
 * untransposed matmuls through XNNPACK, and a block-diagonal one doubles the arithmetic), the outputs as
 * one small block-diagonal matmul.
 */
export class TwinCriticNetwork extends PackedNetwork {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly inputSize: number;
  readonly hiddenSize: number;

  /** Parameters of a twin critic of these sizes (both Q networks). */
  static parameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
    return twinCriticParameterCount(observationSize, actionSize, hiddenSize);
  }

  /** With `rng`, fresh PyTorch-style weights (Q1's layers drawn before Q2's); without, zeros (for a target to copy into). */
  constructor(rng: Rng | null, observationSize: number, actionSize: number, hiddenSize: number) {
    const inputSize = observationSize + actionSize;
    const H = hiddenSize;
    const layers: Array<{ shape: number[]; fanIn: number }> = [
      { shape: [inputSize, H], fanIn: inputSize },
      { shape: [H], fanIn: inputSize },
      { shape: [H, H], fanIn: H },
      { shape: [H], fanIn: H },
      { shape: [H, 1], fanIn: H },
      { shape: [1], fanIn: H },
    ];
    let flat: Float32Array | null = null;
    if (rng) {
      flat = new Float32Array(twinCriticParameterCount(observationSize, actionSize, H));
      let offset = 0;
      for (let twin = 0; twin < 2; twin++) {
        for (const { shape, fanIn } of layers) {
          const values = linearInit(rng, shape.reduce((a, b) => a * b, 1), fanIn);
          flat.set(values, offset);
          offset += values.length;
        }
      }
    }
    const shapes = layers.map((layer) => layer.shape);
    super(twinCriticLayout(observationSize, actionSize, H), flat, [...shapes, ...shapes], rng !== null);
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.inputSize = inputSize;
    this.hiddenSize = H;
  }

  /** Q1's [kernel1, bias1, kernel2, bias2, kernel3, bias3] (views of the packed parameters). */
  get q1(): tf.Variable[] {
    return this.layerVariables().slice(0, 6);
  }

  get q2(): tf.Variable[] {
    return this.layerVariables().slice(6, 12);
  }

  /** Q1's six parameters, then Q2's. */
  get variables(): tf.Variable[] {
    return this.layerVariables().slice();
  }

  /** Both twins' parameters as tensors: the views when someone holds them, else slices of the packed variable. */
  private stacks(): [DenseStack, DenseStack] {
    if (this.usesViews) return [this.q1 as unknown as DenseStack, this.q2 as unknown as DenseStack];
    const I = this.inputSize;
    const H = this.hiddenSize;
    const r2 = I + 1;
    const r3 = r2 + H + 1;
    const packed = this.packedParameters();
    const twin = (t: number): DenseStack =>
      stackFromPacked(packed, [
        [0, t * H, I, H],
        [I, t * H, 1, H],
        [r2, t * H, H, H],
        [r2 + H, t * H, 1, H],
        [r3 + t, t * H, 1, H, 1],
        [r3 + 2, t, 1, 1],
      ]);
    return [twin(0), twin(1)];
  }

  /** Q values of both critics, [2, B, 1] (index 0 = Q1, 1 = Q2). Caller disposes. */
  forward(observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const inputs = tf.concat([observations, actions], 1);
      const q = (params: DenseStack): tf.Tensor => denseStackForward(params, inputs).output;
      const [q1, q2] = this.stacks();
      return tf.stack([q(q1), q(q2)]) as tf.Tensor3D;
    });
  }

  /** Sets this network's weights to `source`'s (the lecture's hard_target_update). */
  copyFrom(source: TwinCriticNetwork): void {
    this.assignPacked(source.packedParameters());
  }

  /** Soft target update θ̄ ← τ·θ + (1 − τ)·θ̄ (SAC-SPEC.md, after each gradient step): three kernels on the packed tensors. */
  softUpdateFrom(source: TwinCriticNetwork, tau: number): void {
    const target = this.packedParameters();
    const values = tf.tidy(() => tf.add(tf.mul(source.packedParameters(), tau), tf.mul(target, 1 - tau)));
    target.assign(values);
    values.dispose();
  }
}

/**
 * Six [row, col, rows, cols, transposed?] blocks of a packed [1, R, C] variable as a DenseStack (biases
 * 1-D, a transposed block turned back). For forward() off the hot path: plain, differentiable ops.
 */
function stackFromPacked(packed: tf.Tensor, blocks: Array<[number, number, number, number, number?]>): DenseStack {
  return blocks.map(([row, col, rows, cols, transposed], index) => {
    const block = tf.reshape(tf.slice(packed, [0, row, col], [1, rows, cols]), [rows, cols]);
    if (transposed) return tf.transpose(block);
    return index % 2 === 1 ? tf.reshape(block, [cols]) : block;
  }) as unknown as DenseStack;
}

/** [x | 1]: a ones column appended (the packed layers take their bias from that row). */
export function withOnes(x: tf.Tensor2D): tf.Tensor2D {
  return tf.concat([x, tf.ones([x.shape[0], 1])], 1) as tf.Tensor2D;
}

/** [N, K] → [1, N, K]: the fused path keeps every tensor rank 3 (see fusedMatMul). */
export function batchOf(x: tf.Tensor2D): tf.Tensor3D {
  return tf.reshape(x, [1, x.shape[0], x.shape[1]]) as tf.Tensor3D;
}

/**
 * relu?(a·b + bias) as ONE kernel: the _FusedMatMul kernel called directly on rank-3 [1, N, K] tensors.
 * tf.fused.matMul would add an op wrapper and three reshapes (to rank 3 and back) around it, four more
 * kernels per layer; XNNPACK runs it on wasm (untransposed, batch 1), with the bias in the accumulator.
 */
export function fusedMatMul(a: tf.Tensor3D, b: tf.Tensor3D, bias: tf.Tensor1D | null, relu: boolean): tf.Tensor3D {
  const inputs: Record<string, tf.Tensor> = { a, b };
  if (bias) inputs.bias = bias;
  return tf.engine().runKernel('_FusedMatMul', inputs, {
    transposeA: false,
    transposeB: false,
    activation: relu ? 'relu' : 'linear',
    leakyreluAlpha: 0,
  }) as tf.Tensor3D;
}

/** [1, r, c] → [1, c, r]. */
export function transposeRows(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

/** The actor's layers as slices of its packed [1, R, C] variable: one reshape and five slices. */
export interface ActorLayers {
  /** [1, O + 1, H]: kernel1 with bias1 as its last row (inputs carry a ones column). */
  kernel1: tf.Tensor3D;
  kernel2: tf.Tensor3D; // [1, H, H]
  bias2: tf.Tensor1D; // [H]
  /** [1, 2A, H]: the head kernel transposed (row i = output i). */
  kernel3Rows: tf.Tensor3D;
  bias3: tf.Tensor1D; // [2A]
}

export function actorLayers(packed: tf.Tensor, observationSize: number, hiddenSize: number, actionSize: number): ActorLayers {
  const O = observationSize;
  const H = hiddenSize;
  const A2 = 2 * actionSize;
  const r2 = O + 1;
  const r3 = r2 + H + 1;
  // The fused kernel takes a rank-1 bias: a bias row is a contiguous run of the flattened matrix.
  const flat = tf.reshape(packed, [-1]);
  return {
    kernel1: tf.slice(packed, [0, 0, 0], [1, O + 1, H]) as tf.Tensor3D,
    kernel2: tf.slice(packed, [0, r2, 0], [1, H, H]) as tf.Tensor3D,
    bias2: tf.slice(flat, [(r2 + H) * H], [H]) as tf.Tensor1D,
    kernel3Rows: tf.slice(packed, [0, r3, 0], [1, A2, H]) as tf.Tensor3D,
    bias3: tf.slice(flat, [(r3 + A2) * H], [A2]) as tf.Tensor1D,
  };
}

export interface ActorActivations {
  hidden1: tf.Tensor3D;
  hidden2: tf.Tensor3D;
  /** [1, N, 2A]: raw [μ | log σ] before the clamp. */
  head: tf.Tensor3D;
}

/** Actor forward on [x | 1] [1, N, O + 1]: three fused matmul + bias + relu kernels. */
export function packedActorForward(layers: ActorLayers, inputWithOnes: tf.Tensor3D): ActorActivations {
  const hidden1 = fusedMatMul(inputWithOnes, layers.kernel1, null, true);
  const hidden2 = fusedMatMul(hidden1, layers.kernel2, layers.bias2, true);
  const head = fusedMatMul(hidden2, transposeRows(layers.kernel3Rows), layers.bias3, false);
  return { hidden1, hidden2, head };
}

/** The twin critic's layers as slices of its packed [1, R, 2H] variable: one reshape and seven slices. */
export interface TwinCriticLayers {
  /** [1, in + 1, 2H]: both first kernels side by side, both first biases as the last row. */
  kernel1: tf.Tensor3D;
  kernel2: [tf.Tensor3D, tf.Tensor3D]; // [1, H, H] each
  bias2: [tf.Tensor1D, tf.Tensor1D]; // [H] each
  /** [1, 2, 2H]: the block-diagonal output kernel transposed, rows [w3₁ᵀ | 0] and [0 | w3₂ᵀ]. */
  kernel3Rows: tf.Tensor3D;
  bias3: tf.Tensor1D; // [2]
  /** Memos filled on first use (SacAgent keeps the updated critic's layers for the next update). */
  kernel3?: tf.Tensor3D; // kernel3Rows transposed, [1, 2H, 2]
  kernel2Transposed?: [tf.Tensor3D, tf.Tensor3D];
}

export function twinCriticLayers(packed: tf.Tensor, inputSize: number, hiddenSize: number): TwinCriticLayers {
  const I = inputSize;
  const H = hiddenSize;
  const r2 = I + 1;
  const r3 = r2 + H + 1;
  const cols = 2 * H;
  const flat = tf.reshape(packed, [-1]);
  return {
    kernel1: tf.slice(packed, [0, 0, 0], [1, I + 1, 2 * H]) as tf.Tensor3D,
    kernel2: [tf.slice(packed, [0, r2, 0], [1, H, H]) as tf.Tensor3D, tf.slice(packed, [0, r2, H], [1, H, H]) as tf.Tensor3D],
    bias2: [tf.slice(flat, [(r2 + H) * cols], [H]) as tf.Tensor1D, tf.slice(flat, [(r2 + H) * cols + H], [H]) as tf.Tensor1D],
    kernel3Rows: tf.slice(packed, [0, r3, 0], [1, 2, 2 * H]) as tf.Tensor3D,
    bias3: tf.slice(flat, [(r3 + 2) * cols], [2]) as tf.Tensor1D,
  };
}

export interface TwinActivations {
  /** [1, N, 2H]: both twins' first hidden layers side by side. */
  hidden1: tf.Tensor3D;
  hidden1Twins: [tf.Tensor3D, tf.Tensor3D];
  /** [1, N, 2H]: both twins' second hidden layers side by side. */
  hidden2: tf.Tensor3D;
  /** [1, N, 2]: [Q1 | Q2]. */
  q: tf.Tensor3D;
}

/** The layers' tensors, memos included (to keep or dispose them together). */
export function twinCriticLayerTensors(layers: TwinCriticLayers): tf.Tensor[] {
  return [layers.kernel1, ...layers.kernel2, ...layers.bias2, layers.kernel3Rows, layers.bias3, ...(layers.kernel3 ? [layers.kernel3] : []), ...(layers.kernel2Transposed ?? [])];
}

/** Both critics on [s, a, 1] [1, N, in + 1]: six kernels (fused first layer, split, two fused second layers, concat, fused output). */
export function packedTwinForward(layers: TwinCriticLayers, inputWithOnes: tf.Tensor3D): TwinActivations {
  const hidden1 = fusedMatMul(inputWithOnes, layers.kernel1, null, true);
  const hidden1Twins = tf.split(hidden1, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
  const second = hidden1Twins.map((h, twin) => fusedMatMul(h, layers.kernel2[twin] as tf.Tensor3D, layers.bias2[twin] as tf.Tensor1D, true));
  const hidden2 = tf.concat(second, 2) as tf.Tensor3D;
  layers.kernel3 ??= transposeRows(layers.kernel3Rows);
  const q = fusedMatMul(hidden2, layers.kernel3, layers.bias3, false);
  return { hidden1, hidden1Twins, hidden2, q };
}
