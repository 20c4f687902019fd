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
