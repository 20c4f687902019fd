/**
 * TRPO's update phase (ALGORITHMS.md, TRPO; Schulman et al. 2015, with sb3-contrib's procedure):
 * 1. Advantages normalised over the whole rollout; surrogate L(θ) = mean(ρÂ), g = ∇L at θ_old.
 * 2. Solve (F + damping·I)x = g by conjugate gradient with Fisher-vector products (fisher.ts).
 * 3. Step β·x, β = √(2δ / xᵀFx); backtracking line search (×shrink, at most `line_search_max_iter`
 *    tries) accepting the first step with mean KL(π_old ‖ π) ≤ δ and L improved; else the old policy stays.
 * 4. Value net: `n_critic_updates` Adam passes over shuffled minibatches on mean(V − R)².
 */
import type { Rng } from '../rng';
import type { ActorCritic } from '../onPolicy/actorCritic';
import { PlainAdam, type PlainAdamState } from '../onPolicy/adam';
import { adamStateProblem } from '../onPolicy/learnerState';
import { gatherRows, normalizeAdvantages, shuffledIndices, type OnPolicyLearner, type RolloutData, type UpdatePhaseResult } from '../onPolicy/learner';
import { GaussianPolicy, gaussianLogDensity } from '../onPolicy/policy';
import type { TrpoConfig } from './config';
import { conjugateGradient, dot } from './conjugateGradient';
import { FisherVectorProduct, meanGaussianKl } from './fisher';

/** TRPO's metrics, in TRPO_DESCRIPTOR's order. */
export const TRPO_METRIC_KEYS = ['klAfterStep', 'lineSearchTries', 'surrogateGain', 'valueLoss'] as const;

export interface TrpoLearnerState {
  valueOptimizer: PlainAdamState;
}

export interface PolicyStepResult {
  accepted: boolean;
  /** Mean KL(π_old ‖ π) of the policy kept (0 when the old one stays). */
  klAfterStep: number;
  /** Line-search candidates evaluated. */
  tries: number;
  /** L(θ_new) − L(θ_old) (0 when the old policy stays). */
  surrogateGain: number;
}

export class TrpoLearner implements OnPolicyLearner<TrpoConfig, TrpoLearnerState> {
  readonly metricKeys: readonly string[] = TRPO_METRIC_KEYS;
  private readonly valueOptimizer: PlainAdam;
  private readonly valueGradient: Float64Array;
  /** A second policy evaluator for line-search candidates (the first keeps the old activations). */
  private candidatePolicy: GaussianPolicy | null = null;
  private indices = new Uint32Array(0);

  constructor(valueParameterCount: number) {
    this.valueOptimizer = new PlainAdam(valueParameterCount);
    this.valueGradient = new Float64Array(valueParameterCount);
  }

  learn(model: ActorCritic, data: RolloutData, rng: Rng, config: TrpoConfig): UpdatePhaseResult {
    const step = this.policyStep(model, data, config);
    const value = this.fitValue(model, data, rng, config);
    return {
      metrics: { klAfterStep: step.klAfterStep, lineSearchTries: step.tries, surrogateGain: step.surrogateGain, valueLoss: value.loss },
      // The policy step counts as one update, plus the value net's Adam steps.
      gradientSteps: 1 + value.steps,
    };
  }

  /** Steps 1–3: the natural-gradient step with the KL line search. Changes model.policyParameters. */
  policyStep(model: ActorCritic, data: RolloutData, config: Pick<TrpoConfig, 'targetKl' | 'cgMaxSteps' | 'cgDamping' | 'lineSearchShrinkingFactor' | 'lineSearchMaxIter'>): PolicyStepResult {
    const { actionSize: A } = model.shape;
    const M = data.size;
    const policy = model.policy;
    const parameters = model.policyParameters;
    const advantages = data.advantages.slice(0, M);
    normalizeAdvantages(advantages, M);

    const old = policy.evaluate(parameters, data.observations, M);
    const oldMean = old.mean.slice(0, M * A);
    const oldVariance = old.variance.slice(0, M * A);
    // At θ_old, ρ = 1: L = mean(Â), ∇L = mean(Â ∇log π).
    let oldObjective = 0;
    for (let b = 0; b < M; b++) oldObjective += advantages[b] as number;
    oldObjective /= M;
    const dMean = new Float64Array(M * A);
    const dLogVariance = new Float64Array(M * A);
    for (let b = 0; b < M; b++) {
      const weight = (advantages[b] as number) / M;
      for (let j = 0; j < A; j++) {
        const i = b * A + j;
        const difference = (data.actions[i] as number) - (oldMean[i] as number);
        const variance = oldVariance[i] as number;
        dMean[i] = weight * (difference / variance);
        dLogVariance[i] = weight * 0.5 * ((difference * difference) / variance - 1);
      }
    }
    const gradient = new Float64Array(parameters.length);
    policy.backward(parameters, old, dMean, dLogVariance, gradient);

    const fisher = new FisherVectorProduct(policy, parameters, old);
    const damped = (vector: Float64Array): Float64Array => {
      const product = fisher.multiply(vector);
      for (let i = 0; i < product.length; i++) product[i] = (product[i] as number) + config.cgDamping * (vector[i] as number);
      return product;
    };
    const direction = conjugateGradient(damped, gradient, config.cgMaxSteps);
    const curvature = dot(direction, fisher.multiply(direction));
    const unchanged: PolicyStepResult = { accepted: false, klAfterStep: 0, tries: 0, surrogateGain: 0 };
    if (!(curvature > 0) || !Number.isFinite(curvature)) return unchanged;
    const maxStep = Math.sqrt((2 * config.targetKl) / curvature);

    const oldParameters = parameters.slice();
    this.candidatePolicy ??= new GaussianPolicy(policy.shape);
    const candidate = this.candidatePolicy;
    let stepSize = maxStep;
    for (let tries = 1; tries <= config.lineSearchMaxIter; tries++) {
      for (let i = 0; i < parameters.length; i++) parameters[i] = (oldParameters[i] as number) + stepSize * (direction[i] as number);
      const evaluation = candidate.evaluate(parameters, data.observations, M);
      let objective = 0;
      for (let b = 0; b < M; b++) {
        const ratio = Math.exp(gaussianLogDensity(data.actions, evaluation.mean, evaluation.variance, b * A, A) - (data.oldLogProbs[b] as number));
        objective += ratio * (advantages[b] as number);
      }
      objective /= M;
      const kl = meanGaussianKl(oldMean, oldVariance, evaluation.mean, evaluation.variance, M, A);
      if (kl <= config.targetKl && objective > oldObjective) {
        return { accepted: true, klAfterStep: kl, tries, surrogateGain: objective - oldObjective };
      }
      stepSize *= config.lineSearchShrinkingFactor;
    }
    parameters.set(oldParameters);
    return { ...unchanged, tries: config.lineSearchMaxIter };
  }

  /** Step 4: the value net's Adam passes. Returns the mean minibatch loss and the number of steps. */
  private fitValue(model: ActorCritic, data: RolloutData, rng: Rng, config: TrpoConfig): { loss: number; steps: number } {
    const O = model.shape.observationSize;
    const M = data.size;
    const batchSize = Math.min(config.batchSize, M);
    if (this.indices.length !== M) this.indices = new Uint32Array(M);
    const observations = new Float64Array(batchSize * O);
    const returns = new Float64Array(batchSize);
    const dValue = new Float64Array(batchSize);
    let lossSum = 0;
    let steps = 0;
    for (let pass = 0; pass < config.nCriticUpdates; pass++) {
      const indices = shuffledIndices(rng, M, this.indices);
      for (let start = 0; start < M; start += batchSize) {
        const B = Math.min(batchSize, M - start);
        gatherRows(data.observations, O, indices, start, B, observations);
        gatherRows(data.returns, 1, indices, start, B, returns);
        const { output: values } = model.valueNetwork.forward(model.valueParameters, observations, B);
        let loss = 0;
        for (let b = 0; b < B; b++) {
          const error = (values[b] as number) - (returns[b] as number);
          loss += error * error;
          dValue[b] = (2 * error) / B;
        }
        this.valueGradient.fill(0);
        model.valueNetwork.backward(model.valueParameters, dValue, this.valueGradient);
        this.valueOptimizer.step(model.valueParameters, this.valueGradient, config.learningRate);
        lossSum += loss / B;
        steps += 1;
      }
    }
    return { loss: lossSum / steps, steps };
  }

  getState(): TrpoLearnerState {
    return { valueOptimizer: this.valueOptimizer.getState() };
  }

  setState(state: TrpoLearnerState): void {
    this.valueOptimizer.setState(state.valueOptimizer);
  }

  stateProblem(value: unknown): string | null {
    if (typeof value !== 'object' || value === null) return 'the TRPO optimiser state must be an object';
    return adamStateProblem((value as { valueOptimizer?: unknown }).valueOptimizer, this.valueOptimizer.size, 'the value-net optimiser');
  }
}
