/**
 * PPO's update phase (ALGORITHMS.md, PPO): `n_epochs` passes over the rollout in shuffled minibatches
 * of `batch_size`; per minibatch, advantages normalised, then
 *   L = L_clip + c_v·mean(V(s) − R)² − c_e·mean entropy,
 * the whole gradient clipped to a global L2 norm of `max_grad_norm`, and one Adam step over policy and
 * value net together (SB3's single optimiser).
 */
import type { Rng } from '../rng';
import type { ActorCritic } from '../onPolicy/actorCritic';
import { PlainAdam, type PlainAdamState } from '../onPolicy/adam';
import { adamStateProblem } from '../onPolicy/learnerState';
import {
  explainedVariance,
  gatherRows,
  normalizeAdvantages,
  shuffledIndices,
  type OnPolicyLearner,
  type RolloutData,
  type UpdatePhaseResult,
} from '../onPolicy/learner';
import type { PpoConfig } from './config';
import { PpoMinibatchGradient } from './minibatchGradient';

/** PPO's metrics, in PPO_DESCRIPTOR's order. */
export const PPO_METRIC_KEYS = ['policyLoss', 'valueLoss', 'approxKl', 'clipFraction', 'entropy', 'explainedVariance'] as const;

export interface PpoLearnerState {
  optimizer: PlainAdamState;
}

/**
 * Scales `gradient` in place so its L2 norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_:
 * factor maxNorm/(norm + 1e−6) when below 1). Returns the norm before clipping.
 */
export function clipGradientNorm(gradient: Float64Array, maxNorm: number): number {
  let squares = 0;
  for (let i = 0; i < gradient.length; i++) squares += (gradient[i] as number) ** 2;
  const norm = Math.sqrt(squares);
  const factor = maxNorm / (norm + 1e-6);
  if (factor < 1) for (let i = 0; i < gradient.length; i++) gradient[i] = (gradient[i] as number) * factor;
  return norm;
}

export class PpoLearner implements OnPolicyLearner<PpoConfig, PpoLearnerState> {
  readonly metricKeys: readonly string[] = PPO_METRIC_KEYS;
  private readonly optimizer: PlainAdam;
  private readonly gradient: Float64Array;
  private indices = new Uint32Array(0);
  private readonly minibatchGradient = new PpoMinibatchGradient();
  private batchObservations = new Float64Array(0);
  private batchActions = new Float64Array(0);
  private batchAdvantages = new Float64Array(0);
  private batchReturns = new Float64Array(0);
  private batchOldLogProbs = new Float64Array(0);

  constructor(parameterCount: number) {
    this.optimizer = new PlainAdam(parameterCount);
    this.gradient = new Float64Array(parameterCount);
  }

  private ensureCapacity(rows: number, batch: number, observationSize: number, actionSize: number): void {
    if (this.indices.length !== rows) this.indices = new Uint32Array(rows);
    if (this.batchAdvantages.length >= batch) return;
    this.batchObservations = new Float64Array(batch * observationSize);
    this.batchActions = new Float64Array(batch * actionSize);
    this.batchAdvantages = new Float64Array(batch);
    this.batchReturns = new Float64Array(batch);
    this.batchOldLogProbs = new Float64Array(batch);
  }

  learn(model: ActorCritic, data: RolloutData, rng: Rng, config: PpoConfig): UpdatePhaseResult {
    const { observationSize: O, actionSize: A } = model.shape;
    const M = data.size;
    const batchSize = Math.min(config.batchSize, M);
    this.ensureCapacity(M, batchSize, O, A);
    const sums = { policyLoss: 0, valueLoss: 0, approxKl: 0, clipFraction: 0, entropy: 0 };
    let steps = 0;
    for (let epoch = 0; epoch < config.nEpochs; epoch++) {
      const indices = shuffledIndices(rng, M, this.indices);
      // SB3's minibatches: indices[start … start + batch_size), the last one possibly shorter.
      for (let start = 0; start < M; start += batchSize) {
        const B = Math.min(batchSize, M - start);
        const observations = gatherRows(data.observations, O, indices, start, B, this.batchObservations);
        const actions = gatherRows(data.actions, A, indices, start, B, this.batchActions);
        gatherRows(data.advantages, 1, indices, start, B, this.batchAdvantages);
        gatherRows(data.returns, 1, indices, start, B, this.batchReturns);
        gatherRows(data.oldLogProbs, 1, indices, start, B, this.batchOldLogProbs);
        normalizeAdvantages(this.batchAdvantages, B);
        const terms = this.minibatchGradient.compute(
          model,
          { size: B, observations, actions, advantages: this.batchAdvantages, returns: this.batchReturns, oldLogProbs: this.batchOldLogProbs },
          config,
          this.gradient,
        );
        clipGradientNorm(this.gradient, config.maxGradNorm);
        this.optimizer.step(model.parameters, this.gradient, config.learningRate);
        steps += 1;
        sums.policyLoss += terms.policyLoss;
        sums.valueLoss += terms.valueLoss;
        sums.approxKl += terms.approxKl;
        sums.clipFraction += terms.clipFraction;
        sums.entropy += terms.entropy;
      }
    }
    return {
      metrics: {
        policyLoss: sums.policyLoss / steps,
        valueLoss: sums.valueLoss / steps,
        approxKl: sums.approxKl / steps,
        clipFraction: sums.clipFraction / steps,
        entropy: sums.entropy / steps,
        // Of the value net that collected the rollout (SB3 logs it the same way).
        explainedVariance: explainedVariance(data.values, data.returns, M),
      },
      gradientSteps: steps,
    };
  }

  getState(): PpoLearnerState {
    return { optimizer: this.optimizer.getState() };
  }

  setState(state: PpoLearnerState): void {
    this.optimizer.setState(state.optimizer);
  }

  stateProblem(value: unknown): string | null {
    if (typeof value !== 'object' || value === null) return 'the PPO optimiser state must be an object';
    return adamStateProblem((value as { optimizer?: unknown }).optimizer, this.optimizer.size, 'the PPO optimiser');
  }
}
