/**
 * The one matrix kernel of the plain-JS networks: C (+)= A·Bᵀ for row-major A [M×K] and B [N×K].
 * Every product of a dense layer's forward, backward and Jacobian-vector product is written in this
 * form (with a cheap transpose where needed) because each C entry is then a dot product of two
 * contiguous rows, and a 2×2 block of C shares its loads: one load per multiply-add instead of the
 * three of the textbook loop (measured ≈ 2.5× faster at 64×64×64 in Node).
 */

/**
 * C[m, n] = (accumulate ? C[m, n] : 0) + Σ_k A[m, k]·B[n, k]; A at aOffset [M×K], B at bOffset [N×K],
 * C at cOffset [M×N], all row-major.
 */
export function multiplyABt(
  a: ArrayLike<number>,
  aOffset: number,
  M: number,
  K: number,
  b: ArrayLike<number>,
  bOffset: number,
  N: number,
  c: Float64Array,
  cOffset: number,
  accumulate: boolean,
): void {
  const store = (index: number, value: number): void => {
    c[index] = accumulate ? (c[index] as number) + value : value;
  };
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = aOffset + m * K;
    const a1 = a0 + K;
    const c0 = cOffset + m * N;
    const c1 = c0 + N;
    let n = 0;
    for (; n + 1 < N; n += 2) {
      const b0 = bOffset + n * K;
      const b1 = b0 + K;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k] as number;
        const x1 = a[a1 + k] as number;
        const w0 = b[b0 + k] as number;
        const w1 = b[b1 + k] as number;
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
      }
      store(c0 + n, s00);
      store(c0 + n + 1, s01);
      store(c1 + n, s10);
      store(c1 + n + 1, s11);
    }
    if (n < N) {
      const b0 = bOffset + n * K;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[b0 + k] as number;
        s0 += (a[a0 + k] as number) * w;
        s1 += (a[a1 + k] as number) * w;
      }
      store(c0 + n, s0);
      store(c1 + n, s1);
    }
  }
  if (m < M) {
    const a0 = aOffset + m * K;
    const c0 = cOffset + m * N;
    for (let n = 0; n < N; n++) {
      const b0 = bOffset + n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += (a[a0 + k] as number) * (b[b0 + k] as number);
      store(c0 + n, s);
    }
  }
}

/** out [cols×rows] = transpose of the row-major [rows×cols] block of `source` at `offset`. */
export function transpose(source: ArrayLike<number>, offset: number, rows: number, cols: number, out: Float64Array): Float64Array {
  for (let r = 0; r < rows; r++) {
    const row = offset + r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = source[row + c] as number;
  }
  return out;
}
