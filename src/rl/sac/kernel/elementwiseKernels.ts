/**
 * The elementwise passes of the kernel SAC update as a second tiny hand-assembled WebAssembly SIMD module
 * (f64x2), sharing the gemm module's memory (imported), with a plain-JS mirror that gives the same bits.
 *
 * Why: profiling the all-JS version (bench/kernelSac.ts, node --cpu-prof) put ~40 % of an update in these
 * loops: relu after each dense layer and the relu mask of each backward step branch on the sign of
 * their data, which is random, so V8's compiled loops mispredict about every other element; Adam and
 * the soft update are long scalar loops with a sqrt and a division per parameter. Two lanes at a time,
 * branch-free (pmax, a compare mask), they cost a fraction of that.
 *
 * Each function does exactly its JS mirror's IEEE operations in the same order (no fused multiply-add
 * in WebAssembly SIMD; Math.fround = f32x4.demote_f64x2_zero then f64x2.promote_low_f32x4, both
 * round-to-nearest-even), so a seed gives the same run with or without WebAssembly SIMD. Pointers are
 * byte offsets, counts and widths in doubles, all even (layout.ts pads to 4).
 */
import { BETA1, BETA2, EPSILON } from './adam';
import {
  BR_IF,
  END,
  F64X2_ADD,
  F64X2_DIV,
  F64X2_MUL,
  F64X2_SUB,
  I32,
  I32_ADD,
  I32_LT_U,
  I32_MUL,
  LOOP,
  SIMD,
  V128,
  V128_AND,
  V128_LOAD,
  V128_STORE,
  VOID_BLOCK,
  f64x2Constant,
  get,
  i32,
  memarg,
  name,
  section,
  set,
  unsigned,
  vector,
} from '../../onPolicy/wasmEncoding';

const F64 = 0x7c;
const F64X2_SPLAT = [SIMD, ...unsigned(0x14)];
const F64X2_GT = [SIMD, ...unsigned(0x4a)];
const F64X2_SQRT = [SIMD, ...unsigned(0xef)];
const F64X2_PMAX = [SIMD, ...unsigned(0xf7)];
const F32X4_DEMOTE_F64X2_ZERO = [SIMD, ...unsigned(0x5e)];
const F64X2_PROMOTE_LOW_F32X4 = [SIMD, ...unsigned(0x5f)];

const ZERO = f64x2Constant(0);
const load = (pointer: number, offset: number[] = []): number[] => [...get(pointer), ...offset, ...(offset.length > 0 ? [I32_ADD] : []), ...V128_LOAD, ...memarg(0)];
const store = (pointer: number, offset: number[], value: number[]): number[] => [...get(pointer), ...offset, ...(offset.length > 0 ? [I32_ADD] : []), ...value, ...V128_STORE, ...memarg(0)];
const binary = (op: number[], left: number[], right: number[]): number[] => [...left, ...right, ...op];
const fround = (value: number[]): number[] => [...value, ...F32X4_DEMOTE_F64X2_ZERO, ...F64X2_PROMOTE_LOW_F32X4];
const advance = (pointer: number, bytes: number[]): number[] => [...get(pointer), ...bytes, I32_ADD, ...set(pointer)];
/** do { body } while (pointer < end) */
const doWhile = (body: number[], pointer: number, end: number): number[] => [LOOP, VOID_BLOCK, ...body, ...get(pointer), ...get(end), I32_LT_U, BR_IF, 0, END];

function functionBody(locals: Array<[number, number]>, code: number[]): number[] {
  const body = [...vector(locals.map(([count, type]) => [...unsigned(count), type])), ...code, END];
  return [...unsigned(body.length), ...body];
}

/** addBias(out, bias, rows, width) / addBiasRelu: out[r, c] ← out[r, c] + bias[c] (then pmax(0, ·) = x > 0 ? x : 0). */
function addBiasBody(relu: boolean): number[] {
  const [OUT, BIAS, ROWS, WIDTH, ROW_END, C, ROW_BYTES] = [0, 1, 2, 3, 4, 5, 6];
  const sum = binary(F64X2_ADD, load(OUT, get(C)), load(BIAS, get(C)));
  const value = relu ? [...ZERO, ...sum, ...F64X2_PMAX] : sum;
  return functionBody([[3, I32]], [
    ...get(WIDTH), ...i32(8), I32_MUL, ...set(ROW_BYTES),
    ...get(OUT), ...get(ROWS), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(ROW_END),
    ...doWhile([
      ...i32(0), ...set(C),
      ...doWhile([...store(OUT, get(C), value), ...advance(C, i32(16))], C, ROW_BYTES),
      ...advance(OUT, get(ROW_BYTES)),
    ], OUT, ROW_END),
  ]);
}

/** reluMask(delta, act, count): delta ← act > 0 ? delta : 0 (an AND with the compare mask). */
function reluMaskBody(): number[] {
  const [DELTA, ACT, COUNT, STOP] = [0, 1, 2, 3];
  return functionBody([[1, I32]], [
    ...get(DELTA), ...get(COUNT), ...i32(8), I32_MUL, I32_ADD, ...set(STOP),
    ...doWhile([
      ...store(DELTA, [], binary(V128_AND, load(DELTA), binary(F64X2_GT, load(ACT), ZERO))),
      ...advance(DELTA, i32(16)), ...advance(ACT, i32(16)),
    ], DELTA, STOP),
  ]);
}

/** reluMaskSum(delta, act, rows, width, bias): the mask, and bias[c] = Σ_rows masked δ (from +0, increasing row). */
function reluMaskSumBody(): number[] {
  const [DELTA, ACT, ROWS, WIDTH, BIAS, ROW_END, C, ROW_BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
  const D = 8;
  return functionBody([[3, I32], [1, V128]], [
    ...get(WIDTH), ...i32(8), I32_MUL, ...set(ROW_BYTES),
    ...get(DELTA), ...get(ROWS), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(ROW_END),
    ...i32(0), ...set(C),
    ...doWhile([...store(BIAS, get(C), ZERO), ...advance(C, i32(16))], C, ROW_BYTES),
    ...doWhile([
      ...i32(0), ...set(C),
      ...doWhile([
        ...binary(V128_AND, load(DELTA, get(C)), binary(F64X2_GT, load(ACT, get(C)), ZERO)), ...set(D),
        ...store(DELTA, get(C), get(D)),
        ...store(BIAS, get(C), binary(F64X2_ADD, load(BIAS, get(C)), get(D))),
        ...advance(C, i32(16)),
      ], C, ROW_BYTES),
      ...advance(DELTA, get(ROW_BYTES)), ...advance(ACT, get(ROW_BYTES)),
    ], DELTA, ROW_END),
  ]);
}

/** adam(params, grads, m, v, count, stepSize, inverseRootCorrection2): adam.ts's adamStep, two lanes at a time. */
function adamBody(): number[] {
  const [P, G, M, V, COUNT, STEP, INV] = [0, 1, 2, 3, 4, 5, 6];
  const STOP = 7;
  const [SS, IR, GV, MV, VV] = [8, 9, 10, 11, 12];
  const c = f64x2Constant;
  return functionBody([[1, I32], [5, V128]], [
    ...get(P), ...get(COUNT), ...i32(8), I32_MUL, I32_ADD, ...set(STOP),
    ...get(STEP), ...F64X2_SPLAT, ...set(SS),
    ...get(INV), ...F64X2_SPLAT, ...set(IR),
    ...doWhile([
      ...load(G), ...set(GV),
      // m = fround(β1·m + (1 − β1)·g)
      ...fround(binary(F64X2_ADD, binary(F64X2_MUL, c(BETA1), load(M)), binary(F64X2_MUL, c(1 - BETA1), get(GV)))), ...set(MV),
      ...store(M, [], get(MV)),
      // v = fround(β2·v + (1 − β2)·g·g)
      ...fround(binary(F64X2_ADD, binary(F64X2_MUL, c(BETA2), load(V)), binary(F64X2_MUL, binary(F64X2_MUL, c(1 - BETA2), get(GV)), get(GV)))), ...set(VV),
      ...store(V, [], get(VV)),
      // θ = fround(θ − (m / (√v·invRoot + ε))·stepSize)
      ...store(P, [], fround(binary(F64X2_SUB, load(P), binary(F64X2_MUL, binary(F64X2_DIV, get(MV), binary(F64X2_ADD, binary(F64X2_MUL, [...get(VV), ...F64X2_SQRT], get(IR)), c(EPSILON))), get(SS))))),
      ...advance(P, i32(16)), ...advance(G, i32(16)), ...advance(M, i32(16)), ...advance(V, i32(16)),
    ], P, STOP),
  ]);
}

/** softUpdate(target, source, count, tau, keep): target ← fround(τ·source + keep·target), keep = 1 − τ. */
function softUpdateBody(): number[] {
  const [T, S, COUNT, TAU, KEEP] = [0, 1, 2, 3, 4];
  const STOP = 5;
  const [TV, KV] = [6, 7];
  return functionBody([[1, I32], [2, V128]], [
    ...get(T), ...get(COUNT), ...i32(8), I32_MUL, I32_ADD, ...set(STOP),
    ...get(TAU), ...F64X2_SPLAT, ...set(TV),
    ...get(KEEP), ...F64X2_SPLAT, ...set(KV),
    ...doWhile([
      ...store(T, [], fround(binary(F64X2_ADD, binary(F64X2_MUL, get(TV), load(S)), binary(F64X2_MUL, get(KV), load(T))))),
      ...advance(T, i32(16)), ...advance(S, i32(16)),
    ], T, STOP),
  ]);
}

const FUNCTIONS = ['addBias', 'addBiasRelu', 'reluMask', 'reluMaskSum', 'adam', 'softUpdate'] as const;

/** The module: imports env.memory, exports the six functions above. */
export function elementwiseModuleBytes(): Uint8Array<ArrayBuffer> {
  const type = (i32s: number, f64s: number): number[] => [0x60, ...vector([...new Array<number[]>(i32s).fill([I32]), ...new Array<number[]>(f64s).fill([F64])]), ...vector([])];
  const types = [type(4, 0), type(3, 0), type(5, 0), type(5, 2), type(3, 2)];
  const functionTypes = [0, 0, 1, 2, 3, 4];
  const bodies = [addBiasBody(false), addBiasBody(true), reluMaskBody(), reluMaskSumBody(), adamBody(), softUpdateBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...unsigned(1)]])),
    ...section(3, vector(functionTypes.map((index) => [index]))),
    ...section(7, vector(FUNCTIONS.map((fn, index) => [...name(fn), 0x00, index]))),
    ...section(10, [...unsigned(bodies.length), ...bodies.flat()]),
  ]);
}

export interface ElementwiseExports {
  addBias(out: number, bias: number, rows: number, width: number): void;
  addBiasRelu(out: number, bias: number, rows: number, width: number): void;
  reluMask(delta: number, act: number, count: number): void;
  reluMaskSum(delta: number, act: number, rows: number, width: number, bias: number): void;
  adam(params: number, grads: number, m: number, v: number, count: number, stepSize: number, inverseRootCorrection2: number): void;
  softUpdate(target: number, source: number, count: number, tau: number, keep: number): void;
}

/** The module instantiated on `memory` (the gemm module's), or null where WebAssembly SIMD is missing. */
export function instantiateElementwise(memory: WebAssembly.Memory): ElementwiseExports | null {
  try {
    const bytes = elementwiseModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as ElementwiseExports;
  } catch {
    return null;
  }
}
