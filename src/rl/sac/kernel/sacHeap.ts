/**
 * The kernel SAC agent's heap: the gemm kernels of src/rl/onPolicy/gemmKernel.ts (`ab`, `abt`, used as
 * they are) plus the elementwise passes of elementwiseKernels.ts on the same memory. Two
 * implementations that give the same bits: WebAssembly SIMD (gemmKernel's heap, whose memory the
 * elementwise module imports) and plain JS (gemmKernel's JS heap and the
 * JS mirrors below).
 */
import { createJsGemmHeap, createWasmGemmHeapWithMemory, type GemmHeap } from '../../onPolicy/gemmKernel';
import { BETA1, BETA2, EPSILON } from './adam';
import { instantiateElementwise, type ElementwiseExports } from './elementwiseKernels';

/** Offsets and counts in doubles; widths and counts even. */
export interface SacHeap extends GemmHeap {
  /** out[r, c] ← out[r, c] + bias[c], then (relu) x > 0 ? x : 0, for `rows` rows of `width`. */
  addBias(out: number, bias: number, rows: number, width: number, relu: boolean): void;
  /** delta ← act > 0 ? delta : 0 over `count` values. */
  reluMask(delta: number, act: number, count: number): void;
  /** The mask over rows × width, and bias[c] = Σ_rows masked delta (from +0, increasing row). */
  reluMaskSum(delta: number, act: number, rows: number, width: number, bias: number): void;
  /** adam.ts's step over `count` values. */
  adam(params: number, grads: number, m: number, v: number, count: number, stepSize: number, inverseRootCorrection2: number): void;
  /** target ← fround(τ·source + (1 − τ)·target) over `count` values. */
  softUpdate(target: number, source: number, count: number, tau: number): void;
}

/** The gemm half of both heaps: gemmKernel's heap, used as it is. */
abstract class GemmBackedHeap {
  abstract readonly kind: 'wasm-simd' | 'js';
  constructor(protected readonly gemm: GemmHeap) {}

  get values(): Float64Array {
    return this.gemm.values;
  }
  ensure(doubles: number): void {
    this.gemm.ensure(doubles);
  }
  abt(aOffset: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    this.gemm.abt(aOffset, bOffset, cOffset, M, K, N);
  }
  ab(aOffset: number, aRowStride: number, aColStride: number, bOffset: number, cOffset: number, M: number, K: number, N: number): void {
    this.gemm.ab(aOffset, aRowStride, aColStride, bOffset, cOffset, M, K, N);
  }
  tanh(offset: number, count: number): void {
    this.gemm.tanh(offset, count);
  }
}

class WasmSacHeap extends GemmBackedHeap implements SacHeap {
  readonly kind = 'wasm-simd';

  constructor(gemm: GemmHeap, private readonly elementwise: ElementwiseExports) {
    super(gemm);
  }

  addBias(out: number, bias: number, rows: number, width: number, relu: boolean): void {
    if (rows === 0) return;
    if (relu) this.elementwise.addBiasRelu(out * 8, bias * 8, rows, width);
    else this.elementwise.addBias(out * 8, bias * 8, rows, width);
  }
  reluMask(delta: number, act: number, count: number): void {
    if (count > 0) this.elementwise.reluMask(delta * 8, act * 8, count);
  }
  reluMaskSum(delta: number, act: number, rows: number, width: number, bias: number): void {
    if (rows === 0) this.values.fill(0, bias, bias + width);
    else this.elementwise.reluMaskSum(delta * 8, act * 8, rows, width, bias * 8);
  }
  adam(params: number, grads: number, m: number, v: number, count: number, stepSize: number, inverseRootCorrection2: number): void {
    if (count > 0) this.elementwise.adam(params * 8, grads * 8, m * 8, v * 8, count, stepSize, inverseRootCorrection2);
  }
  softUpdate(target: number, source: number, count: number, tau: number): void {
    if (count > 0) this.elementwise.softUpdate(target * 8, source * 8, count, tau, 1 - tau);
  }
}

/** The same passes in plain JS, operation for operation. */
class JsSacHeap extends GemmBackedHeap implements SacHeap {
  readonly kind = 'js';

  constructor() {
    super(createJsGemmHeap());
  }

  /** gemmKernel's JS heap starts a fresh array when it grows; the agent's state lives here, so it is copied over. */
  override ensure(doubles: number): void {
    const before = this.gemm.values;
    if (before.length >= doubles) return;
    this.gemm.ensure(doubles);
    this.gemm.values.set(before);
  }
  addBias(out: number, bias: number, rows: number, width: number, relu: boolean): void {
    const v = this.values;
    const end = out + rows * width;
    for (let row = out; row < end; row += width) {
      for (let c = 0; c < width; c++) {
        const x = (v[row + c] as number) + (v[bias + c] as number);
        v[row + c] = relu ? (x > 0 ? x : 0) : x;
      }
    }
  }
  reluMask(delta: number, act: number, count: number): void {
    const v = this.values;
    for (let i = 0; i < count; i++) if (!((v[act + i] as number) > 0)) v[delta + i] = 0;
  }
  reluMaskSum(delta: number, act: number, rows: number, width: number, bias: number): void {
    const v = this.values;
    v.fill(0, bias, bias + width);
    for (let row = 0; row < rows * width; row += width) {
      for (let c = 0; c < width; c++) {
        const masked = (v[act + row + c] as number) > 0 ? (v[delta + row + c] as number) : 0;
        v[delta + row + c] = masked;
        v[bias + c] = (v[bias + c] as number) + masked;
      }
    }
  }
  adam(params: number, grads: number, m: number, v: number, count: number, stepSize: number, inverseRootCorrection2: number): void {
    const h = this.values;
    for (let i = 0; i < count; i++) {
      const g = h[grads + i] as number;
      const first = Math.fround(BETA1 * (h[m + i] as number) + (1 - BETA1) * g);
      const second = Math.fround(BETA2 * (h[v + i] as number) + (1 - BETA2) * g * g);
      h[m + i] = first;
      h[v + i] = second;
      h[params + i] = Math.fround((h[params + i] as number) - (first / (Math.sqrt(second) * inverseRootCorrection2 + EPSILON)) * stepSize);
    }
  }
  softUpdate(target: number, source: number, count: number, tau: number): void {
    const v = this.values;
    const keep = 1 - tau;
    for (let i = 0; i < count; i++) v[target + i] = Math.fround(tau * (v[source + i] as number) + keep * (v[target + i] as number));
  }
}

/** A fresh heap: WebAssembly SIMD where the platform has it, else plain JS. */
export function createSacHeap(): SacHeap {
  return createWasmSacHeap() ?? createJsSacHeap();
}

/** A fresh WebAssembly SIMD heap, or null where the platform lacks it. */
export function createWasmSacHeap(): SacHeap | null {
  try {
    const gemm = createWasmGemmHeapWithMemory();
    if (gemm === null) return null;
    const elementwise = instantiateElementwise(gemm.memory);
    return elementwise === null ? null : new WasmSacHeap(gemm.heap, elementwise);
  } catch {
    return null;
  }
}

/** A plain-JS heap (tests check it gives the WebAssembly heap's bits). */
export function createJsSacHeap(): SacHeap {
  return new JsSacHeap();
}
