/**
 * TRPO's trust-region quantities for the Gaussian policy N(μ(s), diag v(s)) (ALGORITHMS.md, TRPO):
 *
 * Mean KL(π_old ‖ π) = mean_s Σ_j ½ [log(v_j/v_old,j) + (v_old,j + (μ_old,j − μ_j)²)/v_j − 1].
 *
 * Fisher-vector product F·u, F = the Hessian of that mean KL at the old parameters. At π = π_old the
 * Hessian of one sample's KL in (μ_j, log v_j) is diag(1/v_j, ½) (the cross terms vanish there), so
 *   F·u = (1/M) Σ_s J_sᵀ · diag(1/v, ½) · J_s·u,
 * J_s the Jacobian of (μ(s), log v(s)) in the parameters: one forward-mode pass (policy.tangents) and
 * one backward pass (policy.backward) per product, never the matrix. z (gSDE's features) is detached,
 * so log v depends only on log S, as in SB3's graph. Checked against finite differences of ∇KL in
 * tests/rl/trpo-fisher.test.ts.
 */
import type { GaussianPolicy, PolicyEvaluation } from '../onPolicy/policy';

/** Mean over the M states of KL(N(μ_old, v_old) ‖ N(μ, v)). */
export function meanGaussianKl(oldMean: ArrayLike<number>, oldVariance: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, rows: number, actionSize: number): number {
  let sum = 0;
  for (let i = 0; i < rows * actionSize; i++) {
    const v = variance[i] as number;
    const vOld = oldVariance[i] as number;
    const d = (oldMean[i] as number) - (mean[i] as number);
    sum += 0.5 * (Math.log(v / vOld) + (vOld + d * d) / v - 1);
  }
  return sum / rows;
}

/**
 * F·u at the policy's last evaluate (which must be the old parameters on the whole rollout). Work
 * arrays are kept between calls; the result is a fresh array.
 */
export class FisherVectorProduct {
  private readonly policy: GaussianPolicy;
  private readonly parameters: Float64Array;
  private readonly evaluation: PolicyEvaluation;
  private readonly weightedMean: Float64Array;
  private readonly weightedLogVariance: Float64Array;

  constructor(policy: GaussianPolicy, parameters: Float64Array, evaluation: PolicyEvaluation) {
    this.policy = policy;
    this.parameters = parameters;
    this.evaluation = evaluation;
    const size = evaluation.batchSize * policy.shape.actionSize;
    this.weightedMean = new Float64Array(size);
    this.weightedLogVariance = new Float64Array(size);
  }

  multiply(direction: Float64Array): Float64Array {
    const rows = this.evaluation.batchSize;
    const { dMean, dLogVariance } = this.policy.tangents(this.parameters, this.evaluation, direction);
    for (let i = 0; i < this.weightedMean.length; i++) {
      this.weightedMean[i] = (dMean[i] as number) / (this.evaluation.variance[i] as number) / rows;
      this.weightedLogVariance[i] = (0.5 * (dLogVariance[i] as number)) / rows;
    }
    const product = new Float64Array(direction.length);
    this.policy.backward(this.parameters, this.evaluation, this.weightedMean, this.weightedLogVariance, product);
    return product;
  }
}
