/**
 * The policy and the separate value net V_ψ(s) of PPO and TRPO (ALGORITHMS.md: "Separate value net"),
 * with all their parameters in one Float64Array: [policy | value]. PPO's one Adam runs over the whole
 * array, TRPO's value Adam over the value view; the views never move.
 */
import type { Rng } from '../rng';
import { GaussianPolicy, type PolicyShape } from './policy';
import { TanhMlp, initMlpParameters } from './mlp';

export class ActorCritic {
  readonly policy: GaussianPolicy;
  readonly valueNetwork: TanhMlp;
  /** [policy | value] parameters. */
  readonly parameters: Float64Array;
  /** View of the policy's parameters (MLP, then log S or log σ). */
  readonly policyParameters: Float64Array;
  /** View of the value net's parameters. */
  readonly valueParameters: Float64Array;

  /** With `rng`, fresh parameters (policy first, then value net); without, zeros for a saved state to fill. */
  constructor(shape: PolicyShape, rng: Rng | null, logStdInit: number) {
    this.policy = new GaussianPolicy(shape);
    this.valueNetwork = new TanhMlp({ inputSize: shape.observationSize, hiddenSize: shape.hiddenSize, outputSize: 1 });
    const policyCount = this.policy.parameterCount;
    this.parameters = new Float64Array(policyCount + this.valueNetwork.parameterCount);
    this.policyParameters = this.parameters.subarray(0, policyCount);
    this.valueParameters = this.parameters.subarray(policyCount);
    if (rng !== null) {
      this.policyParameters.set(this.policy.initParameters(rng, logStdInit));
      this.valueParameters.set(initMlpParameters(rng, this.valueNetwork.shape));
    }
  }

  get shape(): PolicyShape {
    return this.policy.shape;
  }

  /** V(s) for `batch` observations, written to out[0..batch). */
  values(observations: Float64Array | Float32Array, batch: number, out: Float64Array): Float64Array {
    const { output } = this.valueNetwork.forward(this.valueParameters, observations, batch);
    for (let i = 0; i < batch; i++) out[i] = output[i] as number;
    return out;
  }
}
