/**
 * The one matrix product of the plain-JS networks: C (+)= A·Bᵀ for row-major A [M×K] and B [N×K],
 * where either source may be stored transposed. Every product of a dense layer's forward, backward and
 * Jacobian-vector product has this form: forward x·W = x·(Wᵀ)ᵀ (B = the kernel, stored transposed),
 * dW = xᵀ·δ (A = x and B = δ, both stored transposed), dx = δ·Wᵀ (B = the kernel as stored).
 *
 * The operands are staged into the kernel's heap (gemmKernel.ts) with the transposes done by the copy
 * and the shapes zero-padded to the kernel's blocks; the padding adds exact zeros (0·0) to sums that
 * start at +0, so it changes no bit of the result. Summation order, identical on both paths:
 *   C[m, n] = Σ_{k even} A[m, k]·B[n, k] + Σ_{k odd} A[m, k]·B[n, k]   (each partial sum in increasing k).
 */
import { COLUMN_MULTIPLE, DEPTH_MULTIPLE, ROW_MULTIPLE, gemmHeap, roundUp, type GemmHeap } from './gemmKernel';

export type Matrix = Float64Array | Float32Array;

export interface MultiplyOptions {
  /** `a` holds Aᵀ, row-major [K×M]. */
  aTransposed?: boolean;
  /** `b` holds Bᵀ, row-major [K×N]. */
  bTransposed?: boolean;
  /** Adds bias[biasOffset + n] to every row (after the product; needs accumulate = false). */
  bias?: Float64Array;
  biasOffset?: number;
  /** Then tanh (tanh.ts) of every entry, still in the kernel's heap (needs accumulate = false). */
  tanh?: boolean;
  /** The heap to compute on (tests compare the WebAssembly and JS heaps); default: the shared one. */
  heap?: GemmHeap;
}

/**
 * Copies the [rows×depth] matrix at `offset` of `source` (or its transpose, stored [depth×rows]) into
 * heap[at …] as [paddedRows×paddedDepth], zero in the padded column. Padded rows are left as they
 * are: their products land in padded rows of C, which are never read.
 */
function stage(heap: Float64Array, at: number, source: Matrix, offset: number, rows: number, depth: number, paddedDepth: number, transposed: boolean): void {
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

/**
 * C[m, n] = (accumulate ? C[m, n] : 0) + Σ_k A[m, k]·B[n, k] (then + bias[n], then tanh, when asked); A [M×K] at aOffset of `a` (or Aᵀ
 * [K×M] with aTransposed), B [N×K] at bOffset (or Bᵀ [K×N]), C [M×N] at cOffset, all row-major.
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
  const values = heap.values;
  stage(values, aAt, a, aOffset, M, K, Kp, options.aTransposed ?? false);
  stage(values, bAt, b, bOffset, N, K, Kp, options.bTransposed ?? false);
  heap.abt(aAt, bAt, cAt, Mp, Kp, Np);
  const { bias, tanh = false } = options;
  if ((bias !== undefined || tanh) && accumulate) throw new RangeError('multiplyABt: bias and tanh apply only to a fresh product');
  if (bias !== undefined) {
    const biasOffset = options.biasOffset ?? 0;
    for (let m = 0; m < M; m++) {
      const row = cAt + m * Np;
      for (let n = 0; n < N; n++) values[row + n] = (values[row + n] as number) + (bias[biasOffset + n] as number);
    }
  }
  // Padded rows and columns go through tanh too (Mp·Np is even); nothing reads them.
  if (tanh) heap.tanh(cAt, Mp * Np);
  if (!accumulate && Np === N) {
    c.set(values.subarray(cAt, cAt + M * N), cOffset);
    return;
  }
  for (let m = 0; m < M; m++) {
    const from = cAt + m * Np;
    const to = cOffset + m * N;
    if (accumulate) for (let n = 0; n < N; n++) c[to + n] = (c[to + n] as number) + (values[from + n] as number);
    else for (let n = 0; n < N; n++) c[to + n] = values[from + n] as number;
  }
}
