/**
 * tanh for the on-policy networks, the same bits in the WebAssembly kernel (two lanes at a time,
 * wasmKernelBytes.ts) and here (the plain-JS fallback): Math.tanh is a library call of ≈ 25 ns in V8
 * and was a third of PPO's update time; engines may also differ in its last bit.
 *
 *   tanh x = sign(x)·(1 − e)/(1 + e),  e = exp(−2·min(|x|, 20))
 * (at |x| = 20, e ≈ 4e−18 and the quotient rounds to exactly 1, so the clamp changes no result).
 * exp is fdlibm's e_exp.c (Sun, 1993), error < 1 ulp: y = k·ln 2 + r, |r| ≤ ½ ln 2, k = nearest integer
 * (ties to even, by adding and subtracting 1.5·2⁵²); ln 2 split hi + lo so r is exact;
 *   c = r − r²·(P1 + r²(P2 + r²(P3 + r²(P4 + r²·P5)))),  exp r = 1 − ((lo − r·c/(2 − c)) − hi),
 * times 2^k. The result is within 4e−16 of Math.tanh everywhere (tests/rl/onPolicy-matrix.test.ts).
 */

export const TANH_CONSTANTS = {
  clamp: 20,
  invLn2: 1.44269504088896338700e+00,
  /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
  shifter: 6755399441055744,
  ln2Hi: 6.93147180369123816490e-01,
  ln2Lo: 1.90821492927058770002e-10,
  p1: 1.66666666666666019037e-01,
  p2: -2.77777777770155933842e-03,
  p3: 6.61375632143793436117e-05,
  p4: -1.65339022054652515390e-06,
  p5: 4.13813679705723846039e-08,
  /** Added to the bits of k + 1.5·2⁵² to give the biased exponent of 2^k: 1023 − bits(1.5·2⁵²). */
  exponentBias: 1023n - 0x4338000000000000n,
} as const;

const T = TANH_CONSTANTS;

/** 2^−i for i = 0 … 63 (k ∈ [−58, 0] after the clamp), exact powers of two. */
const POWERS_OF_TWO = Float64Array.from({ length: 64 }, (_, i) => 2 ** -i);

/** One value, by exactly the WebAssembly lanes' operations. */
export function tanh(x: number): number {
  const y = -2 * Math.min(Math.abs(x), T.clamp);
  const kd = y * T.invLn2 + T.shifter;
  const k = kd - T.shifter;
  const hi = y - k * T.ln2Hi;
  const lo = k * T.ln2Lo;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (T.p1 + t * (T.p2 + t * (T.p3 + t * (T.p4 + t * T.p5))));
  const e = (1 - ((lo - (r * c) / (2 - c)) - hi)) * (POWERS_OF_TWO[-k] as number);
  const magnitude = (1 - e) / (1 + e);
  // The sign bit of x, −0 included (the kernel ORs it in).
  return x < 0 || Object.is(x, -0) ? -magnitude : magnitude;
}

/** values[from … from + count) ← tanh, in place. */
export function tanhInPlace(values: Float64Array, from: number, count: number): void {
  for (let i = from; i < from + count; i++) values[i] = tanh(values[i] as number);
}
