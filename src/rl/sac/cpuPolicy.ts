/**
 * A CPU copy of the actor for acting: one env step needs μ and log σ for a single observation, and on
 * WebGL reading a result back from the GPU stalls the pipeline every step. The copy is refreshed from the
 * actor variables in one read (agent.syncPolicy) and evaluated here in plain JS (~4k multiply-adds at
 * hidden 64). Same layer order and clamp as ActorNetwork.forward.
 */
import type { AgentAction } from '../offPolicyAgent';
import type { Rng } from '../rng';
import { LOG_STD_MAX, LOG_STD_MIN } from './networks';

/**
 * The exploration action of the lecture's get_action from μ and log σ (meanAndLogStd's output):
 * z = μ + σ·ε with one rng.normal() per action dimension, squashed a = tanh(z), torque actionScale·a.
 * Writes into `action` (reused by the agents: no allocation per step) and returns it.
 */
export function sampleSquashedAction(meanAndLogStd: Float32Array, actionScale: number, rng: Rng, action: AgentAction): AgentAction {
  const A = action.squashed.length;
  for (let i = 0; i < A; i++) {
    const z = (meanAndLogStd[i] ?? 0) + Math.exp(meanAndLogStd[A + i] ?? 0) * rng.normal();
    action.squashed[i] = Math.tanh(z);
    action.torque[i] = actionScale * Math.tanh(z);
  }
  return action;
}

export class CpuPolicy {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly hiddenSize: number;
  /** Flat [kernel1 (O×H) | bias1 (H) | kernel2 (H×H) | bias2 (H) | headKernel (H×2A) | headBias (2A)]. */
  private readonly weights: Float32Array;
  private readonly hidden1: Float64Array;
  private readonly hidden2: Float64Array;

  constructor(observationSize: number, actionSize: number, hiddenSize: number) {
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.hiddenSize = hiddenSize;
    const H = hiddenSize;
    this.weights = new Float32Array(observationSize * H + H + H * H + H + H * 2 * actionSize + 2 * actionSize);
    this.hidden1 = new Float64Array(H);
    this.hidden2 = new Float64Array(H);
  }

  /** Replaces the copy with the actor's flattened variables (ActorNetwork.variables order). */
  load(flat: ArrayLike<number>): void {
    if (flat.length !== this.weights.length) throw new Error(`CpuPolicy.load: ${flat.length} values for ${this.weights.length} parameters`);
    this.weights.set(flat);
  }

  /** A copy of the weights it acts with (a checkpoint keeps them: on WebGL they may lag the actor). */
  getParameters(): Float32Array {
    return this.weights.slice();
  }

  /** Writes μ (first A values) and clamped log σ (last A) for one observation into `out` (length 2A). */
  meanAndLogStd(observation: ArrayLike<number>, out: Float32Array): Float32Array {
    const O = this.observationSize;
    const H = this.hiddenSize;
    const A2 = 2 * this.actionSize;
    const w = this.weights;
    const bias1 = O * H;
    const kernel2 = bias1 + H;
    const bias2 = kernel2 + H * H;
    const head = bias2 + H;
    const headBias = head + H * A2;
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
    for (let k = 0; k < A2; k++) {
      let sum = w[headBias + k] ?? 0;
      for (let i = 0; i < H; i++) sum += (this.hidden2[i] ?? 0) * (w[head + i * A2 + k] ?? 0);
      out[k] = k < this.actionSize ? sum : Math.min(Math.max(sum, LOG_STD_MIN), LOG_STD_MAX);
    }
    return out;
  }
}
