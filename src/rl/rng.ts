/**
 * Seedable pseudo-random generator for everything random in a run (env reset, weight init,
 * exploration noise, minibatch indices), passed in explicitly: `Math.random` is never used in rl/,
 * so the same seed and backend give the same run.
 *
 * Core: sfc32 (Small Fast Counter, Chris Doty-Humphrey; passes PractRand), seeded from a 32-bit
 * integer through splitmix32 so nearby seeds give unrelated streams. Normals by Box–Muller.
 */
/**
 * Everything a generator's future output depends on, as plain data (a checkpoint stores it): the four
 * sfc32 words as unsigned 32-bit integers and the Box–Muller variate kept for the next normal().
 */
export interface RngState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second Box–Muller variate, kept for the next normal() call. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // Discard the first outputs, as the sfc32 reference does, to mix the seed fully.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A copy of the generator's state: restoring it with setState replays the same numbers from here on. */
  getState(): RngState {
    return { words: [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0], spareNormal: this.spareNormal };
  }

  /** Continues from a state taken by getState. Throws RangeError (changing nothing) if it is not one. */
  setState(state: RngState): void {
    const problem = rngStateProblem(state);
    if (problem !== null) throw new RangeError(`Rng.setState: ${problem}`);
    // `| 0` puts the words back in the signed form the arithmetic above keeps them in.
    [this.a, this.b, this.c, this.d] = state.words.map((word) => word | 0) as [number, number, number, number];
    this.spareNormal = state.spareNormal;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform double in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal N(0, 1) by Box–Muller. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.random(); // log(0) guard
    const v = this.random();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with N(0, 1) samples and returns it. */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

/** Why `value` is not an RngState, or null when it is one. */
export function rngStateProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the generator state must be an object';
  const { words, spareNormal } = value as Partial<Record<keyof RngState, unknown>>;
  if (!Array.isArray(words) || words.length !== 4) return 'the generator state needs 4 words';
  if (!words.every((word) => Number.isInteger(word) && (word as number) >= 0 && (word as number) <= 0xffffffff)) {
    return 'the generator words must be integers in [0, 2^32)';
  }
  if (spareNormal !== null && !(typeof spareNormal === 'number' && Number.isFinite(spareNormal))) {
    return 'the spare normal variate must be a finite number or null';
  }
  return null;
}
