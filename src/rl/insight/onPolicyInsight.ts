/**
 * PPO's and TRPO's phase-space maps (issue 9), in plain JavaScript like their networks: one batched
 * forward of the policy and one of the value net over the grid, with work arrays of their own (the
 * trainer's are not touched):
 *   policyMean = clip(μ(s), −2, 2)   (the deterministic torque, as the trainer clips it)
 *   value      = V(s)                (the separate value net)
 *   spread     = the policy's std at s: gSDE sqrt(Σ_j z_j(s)² S_j²) (state-dependent), plain Gaussian exp(log σ)
 */
import type { ActorCritic } from '../onPolicy/actorCritic';
import { TanhMlp } from '../onPolicy/mlp';
import { GaussianPolicy } from '../onPolicy/policy';
import { clipTorque } from '../onPolicy/trainer';
import { gridObservations, type InsightMapData } from './grid';

/** Evaluates one run's maps; keeps its own networks' work arrays between refreshes. */
export class OnPolicyInsight {
  private readonly policy: GaussianPolicy;
  private readonly valueNetwork: TanhMlp;

  constructor(private readonly model: ActorCritic) {
    this.policy = new GaussianPolicy(model.shape);
    this.valueNetwork = new TanhMlp(model.valueNetwork.shape);
  }

  /** clip(μ(s), −2, 2) for `count` observations [count, 3] (the trainer's deterministicTorque, batched). */
  torques(observations: Float32Array, count: number): Float32Array {
    const evaluation = this.policy.evaluate(this.model.policyParameters, observations, count);
    const A = this.model.shape.actionSize;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = clipTorque(evaluation.mean[i * A] as number);
    return out;
  }

  maps(gridSize: number): InsightMapData[] {
    const { actionSize: A, exploration } = this.model.shape;
    if (A !== 1) throw new RangeError(`the maps need a one-dimensional action, this policy has ${A}`);
    const N = gridSize * gridSize;
    const observations = gridObservations(gridSize);
    const evaluation = this.policy.evaluate(this.model.policyParameters, observations, N);
    const policyMean = new Float32Array(N);
    const spread = new Float32Array(N);
    for (let i = 0; i < N; i++) {
      policyMean[i] = clipTorque(evaluation.mean[i] as number);
      spread[i] = Math.sqrt(evaluation.variance[i] as number);
    }
    const { output } = this.valueNetwork.forward(this.model.valueParameters, observations, N);
    const value = new Float32Array(N);
    for (let i = 0; i < N; i++) value[i] = output[i] as number;
    const gsde = exploration === 'gsde';
    return [
      {
        key: 'policyMean',
        label: 'Mean torque μ(s) (N·m)',
        description: 'The Gaussian policy’s mean μ(s), clipped to ±2 N·m: the deterministic torque.',
        values: policyMean,
      },
      { key: 'value', label: 'State value V(s)', description: 'The separate value network V(s) (the critic of the advantages).', values: value },
      {
        key: 'spread',
        label: 'Policy std σ(s)',
        description: gsde
          ? 'gSDE: the state-dependent std sqrt(Σⱼ zⱼ(s)² Sⱼ²) of the exploration noise, z(s) = the last hidden layer, S = exp(log S).'
          : 'The policy’s std exp(log σ), a learned parameter that does not depend on s (the map is flat).',
        values: spread,
      },
    ];
  }
}
