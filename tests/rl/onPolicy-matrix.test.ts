/**
 * The on-policy networks' matrix products (onPolicy/matrix.ts) and tanh (onPolicy/tanh.ts): the
 * WebAssembly SIMD heap and the plain-JS heap give the same bits (so a seed gives the same run with or
 * without WebAssembly), both equal the textbook product, and tanh is within 4e−16 of Math.tanh.
 */
import { describe, expect, it } from 'vitest';
import { createJsGemmHeap, createWasmGemmHeap } from '../../src/rl/onPolicy/gemmKernel';
import { multiplyAB, multiplyABt } from '../../src/rl/onPolicy/matrix';
import { tanh } from '../../src/rl/onPolicy/tanh';
import { Rng } from '../../src/rl/rng';

function randomArray(rng: Rng, length: number, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => scale * rng.normal());
}

/** A·Bᵀ the textbook way, A [M×K] (or Aᵀ stored), B [N×K] (or Bᵀ stored). */
function reference(a: Float64Array, M: number, K: number, b: Float64Array, N: number, aT: boolean, bT: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (a[aT ? k * M + m : m * K + k] as number) * (b[bT ? k * N + n : n * K + k] as number);
      c[m * N + n] = sum;
    }
  }
  return c;
}

const wasmHeap = createWasmGemmHeap();
const shapes: Array<[number, number, number]> = [[1, 1, 1], [1, 3, 1], [5, 3, 7], [4, 64, 64], [64, 64, 64], [7, 129, 3], [64, 3, 64], [130, 17, 65]];

describe('multiplyABt', () => {
  it('WebAssembly SIMD is available in Node (the fast path the bench measures)', () => {
    expect(wasmHeap?.kind).toBe('wasm-simd');
  });

  it.each(shapes)('M %i, K %i, N %i: JS and WebAssembly give the same bits, both the textbook product', (M, K, N) => {
    const rng = new Rng(M * 1000 + K * 10 + N);
    for (const [aT, bT] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = randomArray(rng, M * K);
      const b = randomArray(rng, N * K);
      const start = randomArray(rng, M * N);
      const expected = reference(a, M, K, b, N, aT, bT);
      const results = [createJsGemmHeap(), wasmHeap].map((heap) => {
        if (heap === null) return null;
        const fresh = new Float64Array(M * N);
        multiplyABt(a, 0, M, K, b, 0, N, fresh, 0, false, { aTransposed: aT, bTransposed: bT, heap });
        const accumulated = start.slice();
        multiplyABt(a, 0, M, K, b, 0, N, accumulated, 0, true, { aTransposed: aT, bTransposed: bT, heap });
        return { fresh, accumulated };
      });
      const js = results[0];
      const wasm = results[1];
      if (js === null || js === undefined) throw new Error('no JS result');
      for (let i = 0; i < M * N; i++) {
        expect(js.fresh[i]).toBeCloseTo(expected[i] as number, 10);
        expect(js.accumulated[i]).toBeCloseTo((start[i] as number) + (expected[i] as number), 10);
      }
      if (wasm) {
        expect(Array.from(wasm.fresh)).toEqual(Array.from(js.fresh));
        expect(Array.from(wasm.accumulated)).toEqual(Array.from(js.accumulated));
      }
    }
  });

  it('bias then tanh: the same bits on both heaps, tanh(A·Bᵀ + bias) to 1e−12', () => {
    const rng = new Rng(9);
    const [M, K, N] = [9, 5, 6];
    const a = randomArray(rng, M * K);
    const b = randomArray(rng, N * K, 0.7);
    const bias = randomArray(rng, N + 2);
    const expected = reference(a, M, K, b, N, false, false);
    const outputs = [createJsGemmHeap(), wasmHeap].flatMap((heap) => {
      if (heap === null) return [];
      const out = new Float64Array(M * N);
      multiplyABt(a, 0, M, K, b, 0, N, out, 0, false, { bias, biasOffset: 2, tanh: true, heap });
      return [out];
    });
    for (let i = 0; i < M * N; i++) expect(outputs[0]?.[i]).toBeCloseTo(Math.tanh((expected[i] as number) + (bias[2 + (i % N)] as number)), 12);
    if (outputs.length === 2) expect(Array.from(outputs[1] as Float64Array)).toEqual(Array.from(outputs[0] as Float64Array));
  });
});

/** A·B the textbook way, A [M×K] (or Aᵀ stored), B [K×N]. */
function referenceAB(a: Float64Array, M: number, K: number, b: Float64Array, N: number, aT: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += (a[aT ? k * M + m : m * K + k] as number) * (b[k * N + n] as number);
      c[m * N + n] = sum;
    }
  }
  return c;
}

describe('multiplyAB', () => {
  it.each(shapes)('M %i, K %i, N %i: JS and WebAssembly give the same bits, both the textbook product (A as stored or transposed)', (M, K, N) => {
    const rng = new Rng(M * 999 + K * 7 + N);
    for (const aT of [false, true]) {
      const a = randomArray(rng, M * K);
      const b = randomArray(rng, K * N);
      const start = randomArray(rng, M * N);
      const bias = randomArray(rng, N);
      const expected = referenceAB(a, M, K, b, N, aT);
      const results = [createJsGemmHeap(), wasmHeap].flatMap((heap) => {
        if (heap === null) return [];
        const accumulated = start.slice();
        multiplyAB(a, 0, M, K, b, 0, N, accumulated, 0, true, { aTransposed: aT, heap });
        const activated = new Float64Array(M * N);
        multiplyAB(a, 0, M, K, b, 0, N, activated, 0, false, { aTransposed: aT, bias, tanh: true, heap });
        return [{ accumulated, activated }];
      });
      const js = results[0];
      if (js === undefined) throw new Error('no JS result');
      for (let i = 0; i < M * N; i++) {
        expect(js.accumulated[i]).toBeCloseTo((start[i] as number) + (expected[i] as number), 10);
        expect(js.activated[i]).toBeCloseTo(Math.tanh((expected[i] as number) + (bias[i % N] as number)), 12);
      }
      const wasm = results[1];
      if (wasm) {
        expect(Array.from(wasm.accumulated)).toEqual(Array.from(js.accumulated));
        expect(Array.from(wasm.activated)).toEqual(Array.from(js.activated));
      }
    }
  });
});

describe('tanh', () => {
  it('is within 4e−16 of Math.tanh and odd, with exact ±1 far out and NaN through', () => {
    const rng = new Rng(3);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng.normal() * (i % 3 === 0 ? 0.01 : i % 3 === 1 ? 1 : 8);
      worst = Math.max(worst, Math.abs(tanh(x) - Math.tanh(x)));
      expect(tanh(-x)).toBe(-tanh(x));
    }
    expect(worst).toBeLessThan(4e-16);
    expect(tanh(0)).toBe(0);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(25)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(tanh(Number.NaN)).toBeNaN();
  });

  it('the WebAssembly lanes give the same bits as the JS function', () => {
    if (wasmHeap === null) return;
    const rng = new Rng(4);
    const count = 4096;
    const inputs = Float64Array.from({ length: count }, (_, i) => rng.normal() * (i % 2 === 0 ? 0.05 : 6));
    inputs[0] = -0;
    inputs[1] = 40;
    inputs[2] = Number.NaN;
    wasmHeap.ensure(count);
    wasmHeap.values.set(inputs, 0);
    wasmHeap.tanh(0, count);
    const lanes = wasmHeap.values.slice(0, count);
    for (let i = 0; i < count; i++) expect(Object.is(lanes[i], tanh(inputs[i] as number)) || (Number.isNaN(lanes[i]) && Number.isNaN(tanh(inputs[i] as number)))).toBe(true);
  });
});
