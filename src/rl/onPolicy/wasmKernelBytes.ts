/**
 * The bytes of a tiny WebAssembly module (hand-assembled here: no toolchain at build time) with one
 * function, the f64x2 SIMD form of matrix.ts's kernel:
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
 * operations of tanh.ts (which states the formula and is the plain-JS mirror, bit for bit).
 */
import { TANH_CONSTANTS as T } from './tanh';

/** Unsigned LEB128 (sizes, indices, alignments, offsets). */
function unsigned(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 (i32.const immediates). */
function signed(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function name(text: string): number[] {
  return vector([...text].map((character) => [character.charCodeAt(0)]));
}

// Opcodes (WebAssembly core 2.0 and its SIMD proposal, now standard).
const I32 = 0x7f;
const V128 = 0x7b;
const LOOP = 0x03;
const VOID_BLOCK = 0x40;
const END = 0x0b;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_LT_U = 0x49;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const F64_ADD = 0xa0;
const F64_STORE = 0x39;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, ...unsigned(0x00)];
const V128_CONST = [SIMD, ...unsigned(0x0c)];
const F64X2_EXTRACT_LANE = [SIMD, ...unsigned(0x21)];
const F64X2_ADD = [SIMD, ...unsigned(0xf0)];
const F64X2_MUL = [SIMD, ...unsigned(0xf2)];
const F64X2_SUB = [SIMD, ...unsigned(0xf1)];
const F64X2_DIV = [SIMD, ...unsigned(0xf3)];
const F64X2_MIN = [SIMD, ...unsigned(0xf4)];
const F64X2_ABS = [SIMD, ...unsigned(0xec)];
const V128_STORE = [SIMD, ...unsigned(0x0b)];
const V128_AND = [SIMD, ...unsigned(0x4e)];
const V128_OR = [SIMD, ...unsigned(0x50)];
const I64X2_ADD = [SIMD, ...unsigned(0xce)];
const I64X2_SHL = [SIMD, ...unsigned(0xcb)];

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

const get = (local: number): number[] => [LOCAL_GET, ...unsigned(local)];
const set = (local: number): number[] => [LOCAL_SET, ...unsigned(local)];
const i32 = (value: number): number[] => [I32_CONST, ...signed(value)];
/** memarg: log2 alignment hint 3 (8 bytes: the caller's f64 offsets guarantee it), static offset. */
const memarg = (offset: number): number[] => [3, ...unsigned(offset)];
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

/** v128.const of two equal f64 lanes. */
function f64x2Constant(value: number): number[] {
  const lane = new Uint8Array(new Float64Array([value]).buffer);
  return [...V128_CONST, ...lane, ...lane];
}

/** v128.const of two equal i64 lanes (little-endian two's complement). */
function i64x2Constant(value: bigint): number[] {
  const lane = new Uint8Array(new BigInt64Array([value]).buffer);
  return [...V128_CONST, ...lane, ...lane];
}

/** tanh(ptr, count): each step the formula of tanh.ts on two lanes; locals after the 2 parameters. */
function tanhBody(): number[] {
  const PTR = 0;
  const COUNT = 1;
  const END_PTR = 2;
  const X = 3;
  const Y = 4;
  const KD = 5;
  const K = 6;
  const HI = 7;
  const LO = 8;
  const R = 9;
  const Q = 10; // r², then c
  const E = 11;
  const constant = f64x2Constant;
  const binary = (op: number[], left: number[], right: number[]): number[] => [...left, ...right, ...op];
  const local = get;
  // P1 + t(P2 + t(P3 + t(P4 + t·P5))), built from the inside out.
  let inner = binary(F64X2_MUL, local(Q), constant(T.p5));
  for (const coefficient of [T.p4, T.p3, T.p2]) inner = binary(F64X2_MUL, local(Q), binary(F64X2_ADD, constant(coefficient), inner));
  const series = binary(F64X2_ADD, constant(T.p1), inner);
  const code = [
    ...get(PTR), ...get(COUNT), ...i32(8), I32_MUL, I32_ADD, ...set(END_PTR),
    LOOP, VOID_BLOCK,
    ...get(PTR), ...V128_LOAD, ...memarg(0), ...set(X),
    // y = −2·min(|x|, 20)
    ...binary(F64X2_MUL, constant(-2), binary(F64X2_MIN, [...local(X), ...F64X2_ABS], constant(T.clamp))), ...set(Y),
    // kd = y·(1/ln 2) + 1.5·2⁵²: k = round-to-nearest-even(y/ln 2) in kd's low bits; k = kd − 1.5·2⁵².
    ...binary(F64X2_ADD, binary(F64X2_MUL, local(Y), constant(T.invLn2)), constant(T.shifter)), ...set(KD),
    ...binary(F64X2_SUB, local(KD), constant(T.shifter)), ...set(K),
    ...binary(F64X2_SUB, local(Y), binary(F64X2_MUL, local(K), constant(T.ln2Hi))), ...set(HI),
    ...binary(F64X2_MUL, local(K), constant(T.ln2Lo)), ...set(LO),
    ...binary(F64X2_SUB, local(HI), local(LO)), ...set(R),
    ...binary(F64X2_MUL, local(R), local(R)), ...set(Q),
    // c = r − r²·(P1 + …)
    ...binary(F64X2_SUB, local(R), binary(F64X2_MUL, local(Q), series)), ...set(Q),
    // e = (1 − ((lo − r·c/(2 − c)) − hi)) · 2^k, 2^k from k's bits: (kd bits − 1.5·2⁵² bits + 1023) << 52.
    ...binary(
      F64X2_MUL,
      binary(F64X2_SUB, constant(1), binary(F64X2_SUB, binary(F64X2_SUB, local(LO), binary(F64X2_DIV, binary(F64X2_MUL, local(R), local(Q)), binary(F64X2_SUB, constant(2), local(Q)))), local(HI))),
      [...binary(I64X2_ADD, local(KD), i64x2Constant(T.exponentBias)), ...i32(52), ...I64X2_SHL],
    ),
    ...set(E),
    // tanh = sign(x)·(1 − e)/(1 + e)
    ...get(PTR),
    ...binary(V128_OR, binary(F64X2_DIV, binary(F64X2_SUB, constant(1), local(E)), binary(F64X2_ADD, constant(1), local(E))), binary(V128_AND, local(X), i64x2Constant(-0x8000000000000000n))),
    ...V128_STORE, ...memarg(0),
    ...get(PTR), ...i32(16), I32_ADD, ...set(PTR),
    ...get(PTR), ...get(END_PTR), I32_LT_U, BR_IF, 0,
    END,
    END,
  ];
  const locals = vector([[1, I32], [...unsigned(9), V128]]);
  const functionBody = [...locals, ...code];
  return [...unsigned(functionBody.length), ...functionBody];
}

/** The module: types (6 × i32) → () and (2 × i32) → (), two functions, one memory (1 page to start, grown by the caller), both exported. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  const functionType = [0x60, ...vector(new Array<number[]>(6).fill([I32])), ...vector([])];
  const tanhType = [0x60, ...vector([[I32], [I32]]), ...vector([])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([functionType, tanhType])),
    ...section(3, vector([[0], [1]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector([[...name('abt'), 0x00, 0], [...name('tanh'), 0x00, 1], [...name('memory'), 0x02, 0]])),
    ...section(10, [...unsigned(2), ...gemmBody(), ...tanhBody()]),
  ]);
}
