/**
 * Just enough of the WebAssembly binary format to hand-assemble the on-policy kernels
 * (wasmKernelBytes.ts, wasmTanh.ts): LEB128 numbers, sections, the opcodes they use, and small
 * instruction builders. Opcode values: WebAssembly core 2.0 with the (standard) fixed-width SIMD set.
 */

/** Unsigned LEB128 (sizes, indices, alignments, offsets). */
export function unsigned(value: number): number[] {
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
export function signed(value: number): number[] {
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

export function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

export function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

export function name(text: string): number[] {
  return vector([...text].map((character) => [character.charCodeAt(0)]));
}

// Opcodes (WebAssembly core 2.0 and its SIMD proposal, now standard).
export const I32 = 0x7f;
export const V128 = 0x7b;
export const LOOP = 0x03;
export const VOID_BLOCK = 0x40;
export const END = 0x0b;
export const BR_IF = 0x0d;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const I32_CONST = 0x41;
export const I32_LT_U = 0x49;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const F64_ADD = 0xa0;
export const F64_STORE = 0x39;
export const SIMD = 0xfd;
export const V128_LOAD = [SIMD, ...unsigned(0x00)];
export const V128_CONST = [SIMD, ...unsigned(0x0c)];
export const F64X2_EXTRACT_LANE = [SIMD, ...unsigned(0x21)];
export const F64X2_ADD = [SIMD, ...unsigned(0xf0)];
export const F64X2_MUL = [SIMD, ...unsigned(0xf2)];
export const F64X2_SUB = [SIMD, ...unsigned(0xf1)];
export const F64X2_DIV = [SIMD, ...unsigned(0xf3)];
export const F64X2_MIN = [SIMD, ...unsigned(0xf4)];
export const F64X2_ABS = [SIMD, ...unsigned(0xec)];
export const V128_STORE = [SIMD, ...unsigned(0x0b)];
export const V128_AND = [SIMD, ...unsigned(0x4e)];
export const V128_OR = [SIMD, ...unsigned(0x50)];
export const I64X2_ADD = [SIMD, ...unsigned(0xce)];
export const I64X2_SHL = [SIMD, ...unsigned(0xcb)];

export const get = (local: number): number[] => [LOCAL_GET, ...unsigned(local)];
export const set = (local: number): number[] => [LOCAL_SET, ...unsigned(local)];
export const i32 = (value: number): number[] => [I32_CONST, ...signed(value)];
/** memarg: log2 alignment hint 3 (8 bytes: the caller's f64 offsets guarantee it), static offset. */
export const memarg = (offset: number): number[] => [3, ...unsigned(offset)];
/** v128.const of two equal f64 lanes. */
export function f64x2Constant(value: number): number[] {
  const lane = new Uint8Array(new Float64Array([value]).buffer);
  return [...V128_CONST, ...lane, ...lane];
}

/** v128.const of two equal i64 lanes (little-endian two's complement). */
export function i64x2Constant(value: bigint): number[] {
  const lane = new Uint8Array(new BigInt64Array([value]).buffer);
  return [...V128_CONST, ...lane, ...lane];
}
