/** The seeded generator: reproducible streams and the right distributions (loose statistical bounds). */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/rng';

const N = 100_000;

function draw(rng: Rng, count: number, next: (r: Rng) => number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = next(rng);
  return out;
}

function meanAndVariance(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

describe('Rng', () => {
  it('the same seed gives the same stream (uint32, uniform, normal, integer)', () => {
    const a = new Rng(500);
    const b = new Rng(500);
    const streamOf = (r: Rng): number[] => {
      const out: number[] = [];
      for (let i = 0; i < 1000; i++) out.push(r.nextUint32(), r.random(), r.normal(), r.integer(17));
      return out;
    };
    expect(streamOf(b)).toEqual(streamOf(a));
    expect(Array.from(new Rng(3).fillNormal(new Float32Array(64)))).toEqual(Array.from(new Rng(3).fillNormal(new Float32Array(64))));
  });

  it('different seeds give different streams, also for adjacent seeds', () => {
    for (const [s1, s2] of [
      [0, 1],
      [500, 501],
      [1, 2 ** 31],
    ] as const) {
      const a = draw(new Rng(s1), 100, (r) => r.random());
      const b = draw(new Rng(s2), 100, (r) => r.random());
      let equal = 0;
      for (let i = 0; i < 100; i++) if (a[i] === b[i]) equal++;
      expect(equal).toBe(0);
    }
  });

  it('nextUint32 is an integer in [0, 2^32)', () => {
    const rng = new Rng(8);
    let sawHighBit = false;
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = rng.nextUint32();
      if (!Number.isInteger(x) || x < 0 || x >= 2 ** 32) bad++;
      if (x >= 2 ** 31) sawHighBit = true;
    }
    expect(bad).toBe(0);
    expect(sawHighBit).toBe(true);
  });

  it('random() is uniform in [0, 1): range, mean ≈ 1/2, variance ≈ 1/12, flat histogram', () => {
    const values = draw(new Rng(42), N, (r) => r.random());
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (const v of values) {
      if (!(v >= 0 && v < 1)) outside++;
      const bin = Math.floor(v * 10);
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    const { mean, variance } = meanAndVariance(values);
    // Standard error of the mean: sqrt(1/12 / 1e5) ≈ 0.0009; allow ~5 SE.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    // Each bin expects 10,000 with SD ≈ 95.
    for (const count of bins) expect(Math.abs(count - N / 10)).toBeLessThan(500);
  });

  it('uniform(low, high) stays in [low, high)', () => {
    const rng = new Rng(5);
    const values = draw(rng, 20_000, (r) => r.uniform(-Math.PI, Math.PI));
    expect(values.every((v) => v >= -Math.PI && v < Math.PI)).toBe(true);
    expect(Math.abs(meanAndVariance(values).mean)).toBeLessThan(0.06);
  });

  it('normal() has mean ≈ 0, variance ≈ 1 and Gaussian tail mass', () => {
    const values = draw(new Rng(7), N, (r) => r.normal());
    const { mean, variance } = meanAndVariance(values);
    // SE of the mean 0.0032, of the variance ≈ sqrt(2/1e5) ≈ 0.0045.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
    let beyondOne = 0;
    let beyondTwo = 0;
    let thirdMoment = 0;
    for (const v of values) {
      if (Math.abs(v) > 1) beyondOne++;
      if (Math.abs(v) > 2) beyondTwo++;
      thirdMoment += v ** 3;
    }
    // P(|Z| > 1) = 0.3173, P(|Z| > 2) = 0.0455.
    expect(Math.abs(beyondOne / N - 0.3173)).toBeLessThan(0.01);
    expect(Math.abs(beyondTwo / N - 0.0455)).toBeLessThan(0.004);
    expect(Math.abs(thirdMoment / N)).toBeLessThan(0.05);
  });

  it('fillNormal fills the whole array with normals from the same stream as normal()', () => {
    const out = new Rng(13).fillNormal(new Float32Array(7));
    const reference = new Rng(13);
    for (let i = 0; i < 7; i++) expect(out[i]).toBe(Math.fround(reference.normal()));
  });

  it('integer(n) is in {0, …, n−1} and hits every value about equally', () => {
    const rng = new Rng(21);
    for (const n of [1, 2, 5, 64]) {
      const counts = new Array<number>(n).fill(0);
      const draws = 2000 * n;
      let bad = 0;
      for (let i = 0; i < draws; i++) {
        const k = rng.integer(n);
        if (!Number.isInteger(k) || k < 0 || k >= n) bad++;
        else counts[k] = (counts[k] ?? 0) + 1;
      }
      expect(bad).toBe(0);
      for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(250);
    }
  });
});

/*
 * Known answers (issue 10.8), computed once by an independent C implementation of sfc32 (PractRand
 * 0.95's sfc32::raw32 and seed), of the splitmix32 seeding rng.ts documents, of the 53-bit double and of
 * Box–Muller, and cross-checked for PractRand seed 0 with a three-line Python sfc32:
 *
 *   cc -O0 -o sfc32 sfc32.c -lm && ./sfc32      (the program, 60 lines, is reproduced below)
 *
 *   typedef struct { uint32_t a, b, c, counter; } sfc32;
 *   uint32_t raw32(sfc32 *s) { uint32_t tmp = s->a + s->b + s->counter++; s->a = s->b ^ (s->b >> 9);
 *     s->b = s->c + (s->c << 3); s->c = ((s->c << 21) | (s->c >> 11)) + tmp; return tmp; }
 *   seed_practrand(s, seed): a = 0, b = (uint32_t)seed, c = seed >> 32, counter = 1; 12 × raw32
 *   seed_project(s, seed):   sm = seed; a, b, c, counter = 4 × splitmix32(); 12 × raw32, with
 *     splitmix32: sm += 0x9e3779b9; z = sm; z = (z ^ z >> 16) * 0x85ebca6b; z = (z ^ z >> 13) * 0xc2b2ae35;
 *     return z ^ z >> 16
 *   random53: high = raw32 >> 5, low = raw32 >> 6, (high * 2^26 + low) / 2^53
 *   normal: u = random53 (redrawn while 0), v = random53, r = sqrt(-2 log u): r cos 2πv, then r sin 2πv
 *
 * Output (pasted verbatim):
 *   practrand seed 0: 1363572419 145230303 808754475 4216505632 947923937 2491578854 3964400089 2091952393
 *   practrand seed 1: 2012149540 1872316204 1707632675 1779833415 2026416846 1661539736 2729060721 4156309426
 *   practrand seed 500: 403070038 1777446099 2420419280 3092699132 3892289560 3455077255 3352121094 3456044934
 *   project seed 0: 4205396811 3543653536 1222415357 3047368389 387095348 2506032770 735102004 4023218824
 *   project seed 1: 1828152527 3394835397 2967886022 2251045104 4148684523 4055680838 3224489912 3690843842
 *   project seed 500: 3681022409 273034340 3988576090 3095951374 3388208025 445418799 1285639782 3778602145
 *   project seed 4294967295: 1413747962 91561161 3282502067 2190738929 3748440605 3843617456 1947825614 1766335935
 *   project seed 500 random53: 0.85705481516995097 0.92866273761415741 0.78887865024586867 0.29933634310792656
 *   project seed 500 normal (Box-Muller, cos then sin): 0.50056681781176116 -0.24070658981769119 -0.21008201686997116 0.65585904740068879
 */
describe('Rng known answers (reference sfc32 in C)', () => {
  const PRACTRAND: Array<[number, number[]]> = [
    [0, [1363572419, 145230303, 808754475, 4216505632, 947923937, 2491578854, 3964400089, 2091952393]],
    [1, [2012149540, 1872316204, 1707632675, 1779833415, 2026416846, 1661539736, 2729060721, 4156309426]],
    [500, [403070038, 1777446099, 2420419280, 3092699132, 3892289560, 3455077255, 3352121094, 3456044934]],
  ];
  const PROJECT: Array<[number, number[]]> = [
    [0, [4205396811, 3543653536, 1222415357, 3047368389, 387095348, 2506032770, 735102004, 4023218824]],
    [1, [1828152527, 3394835397, 2967886022, 2251045104, 4148684523, 4055680838, 3224489912, 3690843842]],
    [500, [3681022409, 273034340, 3988576090, 3095951374, 3388208025, 445418799, 1285639782, 3778602145]],
    [4294967295, [1413747962, 91561161, 3282502067, 2190738929, 3748440605, 3843617456, 1947825614, 1766335935]],
  ];

  it.each(PRACTRAND)('the sfc32 core matches PractRand for its seed %d (state a=0, b=seed, c=0, counter=1, 12 dropped)', (seed, expected) => {
    const rng = new Rng(0);
    rng.setState({ words: [0, seed, 0, 1], spareNormal: null });
    for (let i = 0; i < 12; i++) rng.nextUint32();
    expect(Array.from({ length: 8 }, () => rng.nextUint32())).toEqual(expected);
  });

  it.each(PROJECT)('new Rng(%d): splitmix32 seeding + sfc32 give the reference uint32 stream', (seed, expected) => {
    const rng = new Rng(seed);
    expect(Array.from({ length: 8 }, () => rng.nextUint32())).toEqual(expected);
  });

  it('random() is the reference 53-bit double, and normal() the reference Box–Muller pair', () => {
    const uniform = new Rng(500);
    // Exact: both sides build the same double from the same integers.
    expect(Array.from({ length: 4 }, () => uniform.random())).toEqual([0.85705481516995097, 0.92866273761415741, 0.78887865024586867, 0.29933634310792656]);
    const normal = new Rng(500);
    const got = Array.from({ length: 4 }, () => normal.normal());
    const want = [0.50056681781176116, -0.24070658981769119, -0.21008201686997116, 0.65585904740068879];
    // log/cos/sin may differ from glibc's in the last bit: 1e-14 absolute is still a known answer.
    got.forEach((value, index) => expect(Math.abs(value - (want[index] as number))).toBeLessThan(1e-14));
  });
});
