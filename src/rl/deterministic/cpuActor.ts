/**
 * A CPU copy of the deterministic actor for acting (as sac/cpuPolicy.ts): one env step needs μ(s) for one
 * observation, and a GPU read-back per step would stall WebGL. Refreshed from the actor's variables in
 * one read after actor updates; evaluated here in plain JS. Same layers as actorForward: tanh output.
 */
import { deterministicActorParameterCount } from './networks';

export class CpuDeterministicActor {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly hiddenSize: number;
  /** Flat [kernel1 (O×H) | bias1 (H) | kernel2 (H×H) | bias2 (H) | kernel3 (H×A) | bias3 (A)]. */
  private readonly weights: Float32Array;
  private readonly hidden1: Float64Array;
  private readonly hidden2: Float64Array;

  constructor(observationSize: number, actionSize: number, hiddenSize: number) {
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.hiddenSize = hiddenSize;
    this.weights = new Float32Array(deterministicActorParameterCount(observationSize, actionSize, hiddenSize));
    this.hidden1 = new Float64Array(hiddenSize);
    this.hidden2 = new Float64Array(hiddenSize);
  }

  load(flat: ArrayLike<number>): void {
    if (flat.length !== this.weights.length) throw new Error(`CpuDeterministicActor.load: ${flat.length} values for ${this.weights.length} parameters`);
    this.weights.set(flat);
  }

  getParameters(): Float32Array {
    return this.weights.slice();
  }

  /** Writes μ(s) = tanh(f(s)) ∈ [−1, 1]^A (units of the bound) into `out`. */
  action(observation: ArrayLike<number>, out: Float32Array): Float32Array {
    const O = this.observationSize;
    const H = this.hiddenSize;
    const A = this.actionSize;
    const w = this.weights;
    const bias1 = O * H;
    const kernel2 = bias1 + H;
    const bias2 = kernel2 + H * H;
    const kernel3 = bias2 + H;
    const bias3 = kernel3 + H * A;
    for (let j = 0; j < H; j++) {
      let sum = w[bias1 + j] ?? 0;
      for (let i = 0; i < O; i++) sum += (observation[i] ?? 0) * (w[i * H + j] ?? 0);
      this.hidden1[j] = sum > 0 ? sum : 0;
    }
    for (let j = 0; j < H; j++) {
      let sum = w[bias2 + j] ?? 0;
      for (let i = 0; i < H; i++) sum += (this.hidden1[i] ?? 0) * (w[kernel2 + i * H + j] ?? 0);
      this.hidden2[j] = sum > 0 ? sum : 0;
    }
    for (let k = 0; k < A; k++) {
      let sum = w[bias3 + k] ?? 0;
      for (let i = 0; i < H; i++) sum += (this.hidden2[i] ?? 0) * (w[kernel3 + i * A + k] ?? 0);
      out[k] = Math.tanh(sum);
    }
    return out;
  }
}
