/**
 * The arithmetic core of matrix.ts: C = A·Bᵀ on padded row-major f64 blocks of one heap, by the
 * WebAssembly SIMD module of wasmKernelBytes.ts where the platform has it (Node ≥ 16.4, Chrome ≥ 91,
 * Firefox ≥ 89, Safari ≥ 16.4), else by a plain-JS loop that sums in the same order: lane 0 = Σ over
 * even k, lane 1 = Σ over odd k, each in increasing k, then lane 0 + lane 1. Both paths give the same
 * bits (tests/rl/onPolicy-matrix.test.ts), so a seed gives the same run with or without WebAssembly.
 *
 * Why WebAssembly: V8 neither vectorises nor keeps more than a few scalars in registers for JS loops,
 * so the best blocked JS product measures ≈ 1.3 G multiply-adds/s on this 2-core machine while the
 * f64x2 kernel measures ≈ 8 G; the on-policy update phases were ~60 % matrix products and ~15–30 %
 * Math.tanh (now tanh.ts, two lanes at a time in the same module).
 */
import { tanhInPlace } from './tanh';
import { gemmModuleBytes } from './wasmKernelBytes';

/** Pads: rows of A to a multiple of 2, rows of B to 4, the shared depth K to 2 (the kernel's blocks). */
export const ROW_MULTIPLE = 2;
export const COLUMN_MULTIPLE = 4;
export const DEPTH_MULTIPLE = 2;

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** A heap of f64 the kernel reads and writes; `ensure` may replace `values` (re-read it after). */
export interface GemmHeap {
  values: Float64Array;
  ensure(doubles: number): void;
  /** C[M×N] = A[M×K]·B[N×K]ᵀ at double offsets of `values`; M, N, K already padded. */
  abt(aOffset: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void;
  /**
   * C[M×N] = A·B, B [K×N] row-major, A(m, k) at aOffset + m·aRowStride + k·aColStride (doubles);
   * M and N multiples of 4; each entry summed in increasing k.
   */
  ab(aOffset: number, aRowStride: number, aColStride: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void;
  /** values[offset … offset + count) ← tanh (tanh.ts), in place; count even. */
  tanh(offset: number, count: number): void;
  readonly kind: 'wasm-simd' | 'js';
}

const PAGE_DOUBLES = 65536 / 8;

class WasmHeap implements GemmHeap {
  readonly kind = 'wasm-simd';
  values: Float64Array;
  /** The module's own memory (KernelSacAgent's elementwise module imports it: sac/kernel/sacHeap.ts). */
  readonly memory: WebAssembly.Memory;
  private readonly kernel: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  private readonly tanhKernel: (pointer: number, count: number) => void;
  private readonly abKernel: (a: number, aRow: number, aCol: number, b: number, c: number, m: number, k: number, n: number) => void;

  constructor(instance: WebAssembly.Instance) {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.kernel = instance.exports.abt as (a: number, b: number, c: number, m: number, k: number, n: number) => void;
    this.tanhKernel = instance.exports.tanh as (pointer: number, count: number) => void;
    this.abKernel = instance.exports.ab as (a: number, aRow: number, aCol: number, b: number, c: number, m: number, k: number, n: number) => void;
    this.values = new Float64Array(this.memory.buffer);
  }

  ensure(doubles: number): void {
    if (this.values.length >= doubles) return;
    this.memory.grow(Math.ceil((doubles - this.values.length) / PAGE_DOUBLES));
    this.values = new Float64Array(this.memory.buffer);
  }

  abt(aOffset: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    this.kernel(aOffset * 8, bOffset * 8, cOffset * 8, M, K, N);
  }

  ab(aOffset: number, aRowStride: number, aColStride: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    this.abKernel(aOffset * 8, aRowStride * 8, aColStride * 8, bOffset * 8, cOffset * 8, M, K, N);
  }

  tanh(offset: number, count: number): void {
    if (count > 0) this.tanhKernel(offset * 8, count);
  }
}

class JsHeap implements GemmHeap {
  readonly kind = 'js';
  values = new Float64Array(0);

  ensure(doubles: number): void {
    if (this.values.length < doubles) this.values = new Float64Array(roundUp(doubles, PAGE_DOUBLES));
  }

  /** The WebAssembly kernel's order, written out: two partial sums per entry (even k, odd k). */
  abt(aOffset: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    const h = this.values;
    for (let m = 0; m < M; m++) {
      const a = aOffset + m * K;
      for (let n = 0; n < N; n++) {
        const b = bOffset + n * K;
        let even = 0;
        let odd = 0;
        for (let k = 0; k < K; k += 2) {
          even += (h[a + k] as number) * (h[b + k] as number);
          odd += (h[a + k + 1] as number) * (h[b + k + 1] as number);
        }
        h[cOffset + m * N + n] = even + odd;
      }
    }
  }

  /** The WebAssembly kernel's order: one sum per entry in increasing k, from +0. */
  ab(aOffset: number, aRowStride: number, aColStride: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    const h = this.values;
    for (let m = 0; m < M; m++) {
      const a = aOffset + m * aRowStride;
      for (let n = 0; n < N; n++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += (h[a + k * aColStride] as number) * (h[bOffset + k * N + n] as number);
        h[cOffset + m * N + n] = sum;
      }
    }
  }

  tanh(offset: number, count: number): void {
    tanhInPlace(this.values, offset, count);
  }
}

function instantiateWasm(): WasmHeap | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = gemmModuleBytes();
    // validate() is false where SIMD is missing; a CSP without 'wasm-unsafe-eval' throws below.
    if (!WebAssembly.validate(bytes)) return null;
    return new WasmHeap(new WebAssembly.Instance(new WebAssembly.Module(bytes)));
  } catch {
    return null;
  }
}

let heap: GemmHeap | null = null;

/** The process's (or worker's) heap: WebAssembly SIMD when available, else plain JS. */
export function gemmHeap(): GemmHeap {
  heap ??= instantiateWasm() ?? new JsHeap();
  return heap;
}

/** A plain-JS heap, for tests that check both paths agree bit for bit. */
export function createJsGemmHeap(): GemmHeap {
  return new JsHeap();
}

/** A fresh WebAssembly heap, or null where the platform lacks WebAssembly SIMD. */
export function createWasmGemmHeap(): GemmHeap | null {
  return instantiateWasm();
}

/** A fresh WebAssembly heap with its memory, for a module that works on the same memory; null without WebAssembly SIMD. */
export function createWasmGemmHeapWithMemory(): { heap: GemmHeap; memory: WebAssembly.Memory } | null {
  const heap = instantiateWasm();
  return heap === null ? null : { heap, memory: heap.memory };
}
