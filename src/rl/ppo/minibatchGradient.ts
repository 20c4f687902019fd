/**
 * PPO's loss on one minibatch and its gradient over [policy | value] parameters (ALGORITHMS.md, PPO):
 *   L = L_clip + c_v·mean(V(s) − R)² − c_e·mean entropy,  log π = log N(a; μ(s), v(s))
 * by the chain rule through log N: ∂/∂μ = (a − μ)/v, ∂/∂log v = ((a − μ)²/v − 1)/2; entropy
 * Σ_j ½ log(2πe v_j) has ∂/∂log v_j = ½. z (gSDE's features) is detached inside v.
 * Checked against central finite differences in tests/rl/ppo-loss.test.ts.
 */
import type { ActorCritic } from '../onPolicy/actorCritic';
import { gaussianEntropy, gaussianLogDensity } from '../onPolicy/policy';
import { clippedSurrogate } from './loss';

export interface PpoMinibatch {
  size: number;
  observations: Float64Array;
  actions: Float64Array;
  /** Already normalised. */
  advantages: Float64Array;
  returns: Float64Array;
  oldLogProbs: Float64Array;
}

export interface PpoLossTerms {
  /** L_clip. */
  policyLoss: number;
  /** mean (V − R)² (before the c_v weight). */
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
  /** L = L_clip + c_v·valueLoss − c_e·entropy. */
  total: number;
}

/** Work arrays reused between minibatches. */
export class PpoMinibatchGradient {
  private newLogProbs = new Float64Array(0);
  private dLogProb = new Float64Array(0);
  private dMean = new Float64Array(0);
  private dLogVariance = new Float64Array(0);
  private dValue = new Float64Array(0);

  /** Loss terms; writes dL/d[policy | value] into `gradient` (overwritten). */
  compute(model: ActorCritic, batch: PpoMinibatch, coefficients: { clipRange: number; vfCoef: number; entCoef: number }, gradient: Float64Array): PpoLossTerms {
    const A = model.shape.actionSize;
    const B = batch.size;
    if (this.newLogProbs.length < B) {
      this.newLogProbs = new Float64Array(B);
      this.dLogProb = new Float64Array(B);
      this.dMean = new Float64Array(B * A);
      this.dLogVariance = new Float64Array(B * A);
      this.dValue = new Float64Array(B);
    }
    gradient.fill(0);
    const policyCount = model.policyParameters.length;
    const { actions } = batch;

    const evaluation = model.policy.evaluate(model.policyParameters, batch.observations, B);
    let entropy = 0;
    for (let b = 0; b < B; b++) {
      this.newLogProbs[b] = gaussianLogDensity(actions, evaluation.mean, evaluation.variance, b * A, A);
      entropy += gaussianEntropy(evaluation.variance, b * A, A);
    }
    entropy /= B;
    const surrogate = clippedSurrogate(this.newLogProbs, batch.oldLogProbs, batch.advantages, B, coefficients.clipRange, this.dLogProb);
    for (let b = 0; b < B; b++) {
      const dLogProb = this.dLogProb[b] as number;
      for (let j = 0; j < A; j++) {
        const i = b * A + j;
        const variance = evaluation.variance[i] as number;
        const difference = (actions[i] as number) - (evaluation.mean[i] as number);
        this.dMean[i] = dLogProb * (difference / variance);
        this.dLogVariance[i] = dLogProb * 0.5 * ((difference * difference) / variance - 1) - (coefficients.entCoef * 0.5) / B;
      }
    }
    model.policy.backward(model.policyParameters, evaluation, this.dMean, this.dLogVariance, gradient.subarray(0, policyCount));

    // c_v·mean(V − R)²: ∂/∂V = 2c_v(V − R)/B.
    const { output: values } = model.valueNetwork.forward(model.valueParameters, batch.observations, B);
    let valueLoss = 0;
    for (let b = 0; b < B; b++) {
      const error = (values[b] as number) - (batch.returns[b] as number);
      valueLoss += error * error;
      this.dValue[b] = (2 * coefficients.vfCoef * error) / B;
    }
    valueLoss /= B;
    model.valueNetwork.backward(model.valueParameters, this.dValue, gradient.subarray(policyCount));
    return {
      policyLoss: surrogate.loss,
      valueLoss,
      entropy,
      approxKl: surrogate.approxKl,
      clipFraction: surrogate.clipFraction,
      total: surrogate.loss + coefficients.vfCoef * valueLoss - coefficients.entCoef * entropy,
    };
  }
}
