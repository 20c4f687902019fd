/**
 * The bytes of a tiny WebAssembly module (hand-assembled here: no toolchain at build time) with three
 * functions, the f64x2 SIMD kernels of matrix.ts. First:
 *
 *   abt(aPtr, bPtr, cPtr, M, K, N):  C[m, n] = Σ_{k even} A[m, k]·B[n, k]  +  Σ_{k odd} A[m, k]·B[n, k]
 *
 * A [M×K], B [N×K], C [M×N] row-major f64 at byte offsets of the module's own exported memory;
 * M a multiple of 2, N of 4, K of 2 (the caller pads with zeros). Each C entry is one f64x2
 * accumulator: lane 0 sums the even k, lane 1 the odd k, each in increasing k, with a separate multiply
 * and add (no fused multiply-add in WebAssembly SIMD), and the two lanes are added last. That order is
 * fully specified, so matrix.ts's plain-JS fallback reproduces it bit for bit.
 *
 * A 2-row × 4-column block of C per inner loop: 6 vector loads per 16 multiply-adds, 8 accumulators,
 * which fits x64's 16 vector registers without spilling.
 *
 * And a second function, tanh(ptr, count) in place on `count` (even) f64, two at a time, by the
 * operations of tanh.ts (wasmTanh.ts).
 *
 * And a third, ab (below): C = A·B with A read through strides, for the products whose operands are
 * stored that way.
 */
import { BR_IF, END, F64X2_ADD, F64X2_EXTRACT_LANE, F64X2_MUL, F64_ADD, F64_STORE, I32, I32_ADD, I32_LT_U, I32_MUL, LOOP, SIMD, V128, V128_CONST, V128_LOAD, V128_STORE, VOID_BLOCK, get, i32, memarg, name, section, set, unsigned, vector } from './wasmEncoding';
import { tanhBody } from './wasmTanh';

// Parameters 0–5, then the locals below.
const A_PTR = 0;
const B_PTR = 1;
const C_PTR = 2;
const ROWS = 3;
const DEPTH = 4;
const COLS = 5;
const M = 6;
const N = 7;
const KB = 8; // byte offset along k
const ROW_BYTES = 9; // K·8
const A0 = 10;
const A1 = 11;
const B0 = 12;
const B1 = 13;
const B2 = 14;
const B3 = 15;
const C0 = 16;
const C1 = 17;
const I32_LOCALS = 12;
const ACC = 18; // 8 accumulators: ACC + 4·row + column
const X0 = 26;
const X1 = 27;
const W = 28;
const V128_LOCALS = 11;

const load = (pointer: number): number[] => [...get(pointer), ...get(KB), I32_ADD, ...V128_LOAD, ...memarg(0)];
/** acc ← acc + x·w (one f64x2 multiply, then one add). */
const multiplyAdd = (accumulator: number, x: number): number[] => [...get(accumulator), ...get(x), ...get(W), ...F64X2_MUL, ...F64X2_ADD, ...set(accumulator)];
/** C[row pointer + 8·column] = lane 0 + lane 1 of the accumulator. */
const storeSum = (rowPointer: number, accumulator: number, column: number): number[] => [
  ...get(rowPointer),
  ...get(accumulator), ...F64X2_EXTRACT_LANE, 0,
  ...get(accumulator), ...F64X2_EXTRACT_LANE, 1,
  F64_ADD,
  F64_STORE, ...memarg(8 * column),
];

function gemmBody(): number[] {
  const zero = [...V128_CONST, ...new Array<number>(16).fill(0)];
  const bRow = (target: number, previous: number): number[] => [...get(previous), ...get(ROW_BYTES), I32_ADD, ...set(target)];
  const innerLoop = [
    LOOP, VOID_BLOCK,
    ...load(A0), ...set(X0),
    ...load(A1), ...set(X1),
    ...[B0, B1, B2, B3].flatMap((pointer, column) => [...load(pointer), ...set(W), ...multiplyAdd(ACC + column, X0), ...multiplyAdd(ACC + 4 + column, X1)]),
    ...get(KB), ...i32(16), I32_ADD, ...set(KB),
    ...get(KB), ...get(ROW_BYTES), I32_LT_U, BR_IF, 0,
    END,
  ];
  const columnLoop = [
    LOOP, VOID_BLOCK,
    // B0 = bPtr + n·rowBytes, B1..B3 the next rows.
    ...get(B_PTR), ...get(N), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(B0),
    ...bRow(B1, B0), ...bRow(B2, B1), ...bRow(B3, B2),
    ...Array.from({ length: 8 }, (_, index) => [...zero, ...set(ACC + index)]).flat(),
    ...i32(0), ...set(KB),
    ...innerLoop,
    // C0 = cPtr + (m·N + n)·8, C1 = C0 + N·8.
    ...get(C_PTR), ...get(M), ...get(COLS), I32_MUL, ...get(N), I32_ADD, ...i32(8), I32_MUL, I32_ADD, ...set(C0),
    ...get(C0), ...get(COLS), ...i32(8), I32_MUL, I32_ADD, ...set(C1),
    ...[0, 1, 2, 3].flatMap((column) => [...storeSum(C0, ACC + column, column), ...storeSum(C1, ACC + 4 + column, column)]),
    ...get(N), ...i32(4), I32_ADD, ...set(N),
    ...get(N), ...get(COLS), I32_LT_U, BR_IF, 0,
    END,
  ];
  const rowLoop = [
    LOOP, VOID_BLOCK,
    ...get(A_PTR), ...get(M), ...get(ROW_BYTES), I32_MUL, I32_ADD, ...set(A0),
    ...get(A0), ...get(ROW_BYTES), I32_ADD, ...set(A1),
    ...i32(0), ...set(N),
    ...columnLoop,
    ...get(M), ...i32(2), I32_ADD, ...set(M),
    ...get(M), ...get(ROWS), I32_LT_U, BR_IF, 0,
    END,
  ];
  const code = [
    ...get(DEPTH), ...i32(8), I32_MUL, ...set(ROW_BYTES),
    ...i32(0), ...set(M),
    ...rowLoop,
    END,
  ];
  const locals = vector([[...unsigned(I32_LOCALS), I32], [...unsigned(V128_LOCALS), V128]]);
  const functionBody = [...locals, ...code];
  return [...unsigned(functionBody.length), ...functionBody];
}

/**
 * ab(aPtr, aRowStride, aColStride, bPtr, cPtr, M, K, N): C[M×N] = A·B, B [K×N] row-major, A(m, k) at
 * aPtr + m·aRowStride + k·aColStride (bytes), so A may be stored as is or transposed; M and N multiples
 * of 4. Each C entry is one lane summed in increasing k (acc + a·b, from +0): a plain dot product.
 * 4 rows × 4 columns per inner loop: A(m..m+3, k) splatted, B(k, n..n+3) in two vectors.
 */
function abBody(): number[] {
  const [A_PTR, A_ROW, A_COL, B_PTR, C_PTR, ROWS, DEPTH, COLS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [M, N, K, PA, PB, ROW_BYTES, A_ROW2, A_ROW3, C0] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const ACC = 17; // ACC + 2·row + half
  const [W0, W1, X] = [25, 26, 27];
  const LOAD64_SPLAT = [SIMD, ...unsigned(0x0a)];
  const madd = (accumulator: number, w: number): number[] => [...get(accumulator), ...get(X), ...get(w), ...F64X2_MUL, ...F64X2_ADD, ...set(accumulator)];
  const zero = [...V128_CONST, ...new Array<number>(16).fill(0)];
  const rowOffsets = [[] as number[], get(A_ROW), get(A_ROW2), get(A_ROW3)];
  const innerLoop = [
    LOOP, VOID_BLOCK,
    ...get(PB), ...V128_LOAD, ...memarg(0), ...set(W0),
    ...get(PB), ...V128_LOAD, ...memarg(16), ...set(W1),
    ...rowOffsets.flatMap((offset, row) => [
      ...get(PA), ...(offset.length > 0 ? [...offset, I32_ADD] : []), ...LOAD64_SPLAT, ...memarg(0), ...set(X),
      ...madd(ACC + 2 * row, W0), ...madd(ACC + 2 * row + 1, W1),
    ]),
    ...get(PA), ...get(A_COL), I32_ADD, ...set(PA),
    ...get(PB), ...get(ROW_BYTES), I32_ADD, ...set(PB),
    ...get(K), ...i32(1), I32_ADD, ...set(K),
    ...get(K), ...get(DEPTH), I32_LT_U, BR_IF, 0,
    END,
  ];
  const columnLoop = [
    LOOP, VOID_BLOCK,
    ...Array.from({ length: 8 }, (_, index) => [...zero, ...set(ACC + index)]).flat(),
    ...get(A_PTR), ...get(M), ...get(A_ROW), I32_MUL, I32_ADD, ...set(PA),
    ...get(B_PTR), ...get(N), ...i32(8), I32_MUL, I32_ADD, ...set(PB),
    ...i32(0), ...set(K),
    ...innerLoop,
    ...get(C_PTR), ...get(M), ...get(COLS), I32_MUL, ...get(N), I32_ADD, ...i32(8), I32_MUL, I32_ADD, ...set(C0),
    ...[0, 1, 2, 3].flatMap((row) => [
      ...(row > 0 ? [...get(C0), ...get(ROW_BYTES), I32_ADD, ...set(C0)] : []),
      ...get(C0), ...get(ACC + 2 * row), ...V128_STORE, ...memarg(0),
      ...get(C0), ...get(ACC + 2 * row + 1), ...V128_STORE, ...memarg(16),
    ]),
    ...get(N), ...i32(4), I32_ADD, ...set(N),
    ...get(N), ...get(COLS), I32_LT_U, BR_IF, 0,
    END,
  ];
  const code = [
    ...get(COLS), ...i32(8), I32_MUL, ...set(ROW_BYTES),
    ...get(A_ROW), ...i32(2), I32_MUL, ...set(A_ROW2),
    ...get(A_ROW), ...i32(3), I32_MUL, ...set(A_ROW3),
    ...i32(0), ...set(M),
    LOOP, VOID_BLOCK,
    ...i32(0), ...set(N),
    ...columnLoop,
    ...get(M), ...i32(4), I32_ADD, ...set(M),
    ...get(M), ...get(ROWS), I32_LT_U, BR_IF, 0,
    END,
    END,
  ];
  const locals = vector([[...unsigned(9), I32], [...unsigned(11), V128]]);
  const functionBody = [...locals, ...code];
  return [...unsigned(functionBody.length), ...functionBody];
}

/** The module: types (6 × i32) → (), (2 × i32) → (), (8 × i32) → (), three functions, one memory (1 page to start, grown by the caller), both exported. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const functionType = [0x60, ...vector(new Array<number[]>(6).fill([I32])), ...vector([])];
  const tanhType = [0x60, ...vector([[I32], [I32]]), ...vector([])];
  const abType = [0x60, ...vector(new Array<number[]>(8).fill([I32])), ...vector([])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([functionType, tanhType, abType])),
    ...section(3, vector([[0], [1], [2]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...name('abt'), 0x00, 0], [...name('tanh'), 0x00, 1], [...name('ab'), 0x00, 2], [...name('memory'), 0x02, 0]])),
    ...section(10, [...unsigned(3), ...gemmBody(), ...tanhBody(), ...abBody()]),
  ]);
}
