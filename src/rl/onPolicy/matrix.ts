/**
 * The two matrix products of the plain-JS networks, each reading its operands in the layout the
 * network already holds them (no transposed copies):
 *   multiplyAB:  C (+)= A·B,  B [K×N] row-major, A [M×K] or stored transposed [K×M]
 *                (dense forward x·W; kernel gradient dW = xᵀ·δ with x read transposed);
 *   multiplyABt: C (+)= A·Bᵀ, A [M×K], B [N×K], either may be stored transposed
 *                (input gradient dx = δ·Wᵀ with W as stored).
 * The operands are copied into the kernel's heap (gemmKernel.ts), zero- or garbage-padded to its
 * blocks: padding only ever reaches rows and columns of C that are never read, or adds exact zeros to
 * sums that start at +0. Summation order, identical on the WebAssembly and JS paths:
 *   multiplyAB:  C[m, n] = Σ_k A[m, k]·B[k, n] in increasing k;
 *   multiplyABt: C[m, n] = Σ_{k even} A[m, k]·B[n, k] + Σ_{k odd} A[m, k]·B[n, k].
 * Optionally + bias[n], then tanh (tanh.ts), both still in the heap, before the one copy out.
 */
import { COLUMN_MULTIPLE, DEPTH_MULTIPLE, ROW_MULTIPLE, gemmHeap, roundUp, type GemmHeap } from './gemmKernel';

export type Matrix = Float64Array | Float32Array;

export interface MultiplyOptions {
  /** `a` holds Aᵀ, row-major [K×M]. */
  aTransposed?: boolean;
  /** multiplyABt only: `b` holds Bᵀ, row-major [K×N]. */
  bTransposed?: boolean;
  /** Adds bias[biasOffset + n] to every row (after the product; needs accumulate = false). */
  bias?: Float64Array;
  biasOffset?: number;
  /** Then tanh (tanh.ts) of every entry, still in the kernel's heap (needs accumulate = false). */
  tanh?: boolean;
  /** The heap to compute on (tests compare the WebAssembly and JS heaps); default: the shared one. */
  heap?: GemmHeap;
}

/** ab's blocks: 4 rows of A, 4 columns of B. */
const AB_MULTIPLE = 4;

/**
 * Copies the [rows×depth] matrix at `offset` of `source` (or its transpose, stored [depth×rows]) into
 * heap[at …] as [paddedRows×paddedDepth], zero in the padded column. Padded rows are left as they
 * are: their products land in padded rows of C, which are never read.
 */
function stageRows(heap: Float64Array, at: number, source: Matrix, offset: number, rows: number, depth: number, paddedDepth: number, transposed: boolean): void {
  if (transposed) {
    for (let k = 0; k < depth; k++) {
      const from = offset + k * rows;
      for (let r = 0; r < rows; r++) heap[at + r * paddedDepth + k] = source[from + r] as number;
    }
  } else if (paddedDepth === depth) {
    heap.set(source.subarray(offset, offset + rows * depth), at);
    return;
  } else {
    for (let r = 0; r < rows; r++) {
      const from = offset + r * depth;
      const to = at + r * paddedDepth;
      for (let k = 0; k < depth; k++) heap[to + k] = source[from + k] as number;
    }
  }
  for (let k = depth; k < paddedDepth; k++) for (let r = 0; r < rows; r++) heap[at + r * paddedDepth + k] = 0;
}

/** Copies [rows×cols] at `offset` into heap[at …] with row stride `stride` ≥ cols (the rest of each row left as is). */
function stageStrided(heap: Float64Array, at: number, source: Matrix, offset: number, rows: number, cols: number, stride: number): void {
  if (stride === cols) {
    heap.set(source.subarray(offset, offset + rows * cols), at);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = offset + r * cols;
    const to = at + r * stride;
    for (let c = 0; c < cols; c++) heap[to + c] = source[from + c] as number;
  }
}

/** Bias and tanh in the heap, then C [M×N] (+)= heap [M×stride]. */
function finish(heap: GemmHeap, cAt: number, M: number, N: number, stride: number, rowsInHeap: number, c: Float64Array, cOffset: number, accumulate: boolean, options: MultiplyOptions): void {
  const { bias, tanh = false } = options;
  if ((bias !== undefined || tanh) && accumulate) throw new RangeError('matrix product: bias and tanh apply only to a fresh product');
  const values = heap.values;
  if (bias !== undefined) {
    const biasOffset = options.biasOffset ?? 0;
    for (let m = 0; m < M; m++) {
      const row = cAt + m * stride;
      for (let n = 0; n < N; n++) values[row + n] = (values[row + n] as number) + (bias[biasOffset + n] as number);
    }
  }
  // Padded rows and columns go through tanh too (an even count); nothing reads them.
  if (tanh) heap.tanh(cAt, roundUp(rowsInHeap * stride, 2));
  if (!accumulate && stride === N) {
    c.set(values.subarray(cAt, cAt + M * N), cOffset);
    return;
  }
  for (let m = 0; m < M; m++) {
    const from = cAt + m * stride;
    const to = cOffset + m * N;
    if (accumulate) for (let n = 0; n < N; n++) c[to + n] = (c[to + n] as number) + (values[from + n] as number);
    else for (let n = 0; n < N; n++) c[to + n] = values[from + n] as number;
  }
}

/**
 * C[m, n] = (accumulate ? C[m, n] : 0) + Σ_k A[m, k]·B[k, n] (then + bias[n], then tanh, when asked);
 * A [M×K] at aOffset of `a` (or Aᵀ [K×M] with aTransposed), B [K×N] at bOffset, C [M×N] at cOffset.
 */
export function multiplyAB(a: Matrix, aOffset: number, M: number, K: number, b: Matrix, bOffset: number, N: number, c: Float64Array, cOffset: number, accumulate: boolean, options: MultiplyOptions = {}): void {
  if (M === 0 || N === 0) return;
  if (K === 0) throw new RangeError('multiplyAB: empty inner dimension');
  const heap = options.heap ?? gemmHeap();
  const Mp = roundUp(M, AB_MULTIPLE);
  const Np = roundUp(N, AB_MULTIPLE);
  const transposed = options.aTransposed ?? false;
  // A as stored; the kernel reads rows up to Mp − 1, i.e. at most AB_MULTIPLE values past A's end.
  const aAt = 0;
  const bAt = Mp * K + AB_MULTIPLE;
  const cAt = bAt + K * Np;
  heap.ensure(cAt + Mp * Np);
  stageStrided(heap.values, aAt, a, aOffset, 1, M * K, M * K);
  stageStrided(heap.values, bAt, b, bOffset, K, N, Np);
  heap.ab(aAt, transposed ? 1 : K, transposed ? M : 1, bAt, cAt, Mp, K, Np);
  finish(heap, cAt, M, N, Np, Mp, c, cOffset, accumulate, options);
}

/**
 * C[m, n] = (accumulate ? C[m, n] : 0) + Σ_k A[m, k]·B[n, k] (then + bias[n], then tanh, when asked);
 * A [M×K] at aOffset of `a` (or Aᵀ [K×M] with aTransposed), B [N×K] at bOffset (or Bᵀ [K×N]),
 * C [M×N] at cOffset, all row-major.
 */
export function multiplyABt(
  a: Matrix,
  aOffset: number,
  M: number,
  K: number,
  b: Matrix,
  bOffset: number,
  N: number,
  c: Float64Array,
  cOffset: number,
  accumulate: boolean,
  options: MultiplyOptions = {},
): void {
  if (M === 0 || N === 0) return;
  const heap = options.heap ?? gemmHeap();
  const Mp = roundUp(M, ROW_MULTIPLE);
  const Np = roundUp(N, COLUMN_MULTIPLE);
  const Kp = Math.max(roundUp(K, DEPTH_MULTIPLE), DEPTH_MULTIPLE);
  const aAt = 0;
  const bAt = Mp * Kp;
  const cAt = bAt + Np * Kp;
  heap.ensure(cAt + Mp * Np);
  stageRows(heap.values, aAt, a, aOffset, M, K, Kp, options.aTransposed ?? false);
  stageRows(heap.values, bAt, b, bOffset, N, K, Kp, options.bTransposed ?? false);
  heap.abt(aAt, bAt, cAt, Mp, Kp, Np);
  finish(heap, cAt, M, N, Np, Mp, c, cOffset, accumulate, options);
}
