/**
 * The tanh-squashed Gaussian head of the actor on plain arrays (SAC-SPEC.md, "Sampling and
 * log-probability"), the same terms in the same order as packedGradients.ts's packedSample and
 * actorHeadGradient:
 *   log σ = clamp(raw, −20, 2), σ = exp(log σ), z = μ + σ·ε, a = tanh(z),
 *   log π = Σ_i [ (−ε²/2 − ½ log 2π) − log σ − log(1 − a² + 1e−6) ]
 * ((z − μ)/σ = ε exactly, so log N(z; μ, σ) = −ε²/2 − log σ − ½ log 2π).
 */
import { LOG_STD_MAX, LOG_STD_MIN } from '../networks';
import { TANH_LOG_EPSILON } from '../squashedGaussian';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Per sample and action dimension (index sample·A + i) what the backward pass reuses; log π per sample. */
export class SampleBuffers {
  readonly action: Float64Array;
  readonly stdTimesEpsilon: Float64Array;
  /** 1 − a². */
  readonly oneMinusActionSquared: Float64Array;
  /** 1 − a² + 1e−6. */
  readonly tanhDenominator: Float64Array;
  /** 1 where the raw log σ was inside [−20, 2] (the clamp passes gradient), else 0. */
  readonly notClamped: Float64Array;
  readonly logProb: Float64Array;

  constructor(samples: number, actionSize: number) {
    const n = samples * actionSize;
    this.action = new Float64Array(n);
    this.stdTimesEpsilon = new Float64Array(n);
    this.oneMinusActionSquared = new Float64Array(n);
    this.tanhDenominator = new Float64Array(n);
    this.notClamped = new Float64Array(n);
    this.logProb = new Float64Array(samples);
  }
}

/**
 * Samples `count` rows of the head [μ | raw log σ] (heap rows from `head`, row width `width`) with noise
 * ε (count × A, as drawn) into samples firstSample … firstSample + count − 1 of `out`.
 */
export function sampleHead(values: Float64Array, head: number, width: number, count: number, actionSize: number, epsilon: Float32Array, out: SampleBuffers, firstSample: number): void {
  const A = actionSize;
  for (let b = 0; b < count; b++) {
    const row = head + b * width;
    const sample = firstSample + b;
    let logProb = 0;
    for (let i = 0; i < A; i++) {
      const mean = values[row + i] as number;
      const raw = values[row + A + i] as number;
      const logStd = raw < LOG_STD_MIN ? LOG_STD_MIN : raw > LOG_STD_MAX ? LOG_STD_MAX : raw;
      const e = epsilon[b * A + i] as number;
      const stdTimesEpsilon = Math.exp(logStd) * e;
      const action = Math.tanh(mean + stdTimesEpsilon);
      const oneMinusActionSquared = 1 - action * action;
      const tanhDenominator = oneMinusActionSquared + TANH_LOG_EPSILON;
      const k = sample * A + i;
      out.action[k] = action;
      out.stdTimesEpsilon[k] = stdTimesEpsilon;
      out.oneMinusActionSquared[k] = oneMinusActionSquared;
      out.tanhDenominator[k] = tanhDenominator;
      out.notClamped[k] = raw === logStd ? 1 : 0;
      logProb += -0.5 * e * e - HALF_LOG_TWO_PI - logStd - Math.log(tanhDenominator);
    }
    out.logProb[sample] = logProb;
  }
}

/**
 * dLoss/d[μ | raw log σ] of the actor loss mean(α log π(ã|s) − min Q(s, ã)) for `count` samples from
 * `firstSample`, given dLoss/dã from the critics (count × A), into heap rows from `dHead` (width `width`;
 * its padding columns are left as they are: zero):
 *   dL/da = dL/da|_Q + (α/B)·2a/(1 − a² + 1e−6)        (the tanh correction's −log(1 − a² + 1e−6))
 *   dL/dμ = dL/dz = dL/da·(1 − a²)
 *   dL/draw log σ = (dL/dz·σε − α/B)·[not clamped]      (z = μ + σε; log π has −log σ)
 */
export function headGradient(samples: SampleBuffers, firstSample: number, count: number, actionSize: number, dActionFromQ: Float64Array, alphaOverBatch: number, values: Float64Array, dHead: number, width: number): void {
  const A = actionSize;
  for (let b = 0; b < count; b++) {
    const row = dHead + b * width;
    for (let i = 0; i < A; i++) {
      const k = (firstSample + b) * A + i;
      const action = samples.action[k] as number;
      const dAction = (dActionFromQ[b * A + i] as number) + alphaOverBatch * ((action * 2) / (samples.tanhDenominator[k] as number));
      const dZ = dAction * (samples.oneMinusActionSquared[k] as number);
      values[row + i] = dZ;
      values[row + A + i] = (dZ * (samples.stdTimesEpsilon[k] as number) - alphaOverBatch) * (samples.notClamped[k] as number);
    }
  }
}
