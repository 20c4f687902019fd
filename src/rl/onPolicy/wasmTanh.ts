/**
 * The WebAssembly body of tanh(ptr, count): `count` (even) f64 in place, two lanes at a time, by exactly
 * the operations of tanh.ts (which states the formula and is the plain-JS mirror, bit for bit).
 */
import { TANH_CONSTANTS as T } from './tanh';
import { BR_IF, END, F64X2_ABS, F64X2_ADD, F64X2_DIV, F64X2_MIN, F64X2_MUL, F64X2_SUB, I32, I32_ADD, I32_LT_U, I32_MUL, I64X2_ADD, I64X2_SHL, LOOP, V128, V128_AND, V128_LOAD, V128_OR, V128_STORE, VOID_BLOCK, f64x2Constant, get, i32, i64x2Constant, memarg, set, unsigned, vector } from './wasmEncoding';

/** tanh(ptr, count): each step the formula of tanh.ts on two lanes; locals after the 2 parameters. */
export function tanhBody(): number[] {
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
