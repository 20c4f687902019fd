/**
 * Adam with PyTorch's update rule and defaults (β1 0.9, β2 0.999, ε 1e−8), on a flat Float64Array,
 * the same rule as sac/adam.ts (which works on tfjs variables):
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * The learning rate is passed per step, so live changes apply at the next one.
 */

export interface PlainAdamState {
  firstMoment: Float64Array;
  secondMoment: Float64Array;
  steps: number;
}

export class PlainAdam {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  private firstMoment: Float64Array;
  private secondMoment: Float64Array;
  private stepCount = 0;

  constructor(size: number) {
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
  }

  get size(): number {
    return this.firstMoment.length;
  }

  get steps(): number {
    return this.stepCount;
  }

  /** One step on `parameters` (updated in place) with `gradient` of the same length. */
  step(parameters: Float64Array, gradient: Float64Array, learningRate: number): void {
    this.stepCount += 1;
    const biasCorrection1 = 1 - this.beta1 ** this.stepCount;
    const sqrtBiasCorrection2 = Math.sqrt(1 - this.beta2 ** this.stepCount);
    const stepSize = learningRate / biasCorrection1;
    const m = this.firstMoment;
    const v = this.secondMoment;
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i] as number;
      const mi = this.beta1 * (m[i] as number) + (1 - this.beta1) * g;
      const vi = this.beta2 * (v[i] as number) + (1 - this.beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      parameters[i] = (parameters[i] as number) - (stepSize * mi) / (Math.sqrt(vi) / sqrtBiasCorrection2 + this.epsilon);
    }
  }

  getState(): PlainAdamState {
    return { firstMoment: this.firstMoment.slice(), secondMoment: this.secondMoment.slice(), steps: this.stepCount };
  }

  /** Continues from getState's result; throws RangeError (changing nothing) if the sizes differ. */
  setState(state: PlainAdamState): void {
    if (state.firstMoment.length !== this.size || state.secondMoment.length !== this.size) {
      throw new RangeError(`PlainAdam.setState: moments of ${state.firstMoment.length} and ${state.secondMoment.length} values for ${this.size} parameters`);
    }
    if (!Number.isInteger(state.steps) || state.steps < 0) throw new RangeError(`PlainAdam.setState: step count must be a non-negative integer, got ${state.steps}`);
    this.firstMoment = state.firstMoment.slice();
    this.secondMoment = state.secondMoment.slice();
    this.stepCount = state.steps;
  }
}
