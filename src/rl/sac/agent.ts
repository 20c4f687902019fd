/**
 * The SAC agent: networks, optimisers, temperature, acting and one gradient step in the order of the
 * lecture's train_model (critic, then actor against the updated critic, then α, then the soft target
 * update), with the two bugs of SAC-SPEC.md fixed by configuration (action scale, target entropy).
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../replayBuffer';
import type { Rng } from '../rng';
import { Adam } from './adam';
import { actorLoss, alphaLoss, criticLoss, criticTarget, minOfTwin } from './losses';
import { ActorNetwork, LOG_STD_MAX, LOG_STD_MIN, TwinCriticNetwork, makeVariable } from './networks';
import { sampleSquashedGaussian } from './squashedGaussian';

export interface AgentShape {
  observationSize: number;
  actionSize: number;
  hiddenSize: number;
  /** α at the start (log α = ln initialAlpha). */
  initialAlpha: number;
  /** Env torque = actionScale · tanh(z). */
  actionScale: number;
}

/** Hyperparameters read at every update, so live changes apply at the next one. */
export interface UpdateHyperparameters {
  gamma: number;
  tau: number;
  actorLr: number;
  criticLr: number;
  alphaLr: number;
  targetEntropy: number;
}

/** Order of the values in the stats tensor returned by update(). */
export const UPDATE_STATS = ['criticLoss', 'actorLoss', 'alphaLoss', 'entropy', 'qMean'] as const;
export type UpdateStatName = (typeof UPDATE_STATS)[number];

export interface Action {
  /** Squashed action a = tanh(z) ∈ (−1, 1): what the critic sees and the buffer stores. */
  squashed: Float32Array;
  /** What the env receives: actionScale · a. */
  torque: Float32Array;
}

export class SacAgent {
  readonly shape: AgentShape;
  readonly actor: ActorNetwork;
  readonly critic: TwinCriticNetwork;
  readonly targetCritic: TwinCriticNetwork;
  readonly logAlpha: tf.Variable;
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private readonly alphaOptimizer: Adam;

  constructor(rng: Rng, shape: AgentShape) {
    this.shape = shape;
    const { observationSize, actionSize, hiddenSize } = shape;
    // Same construction order as the lecture: actor, critic, target critic.
    this.actor = new ActorNetwork(rng, observationSize, actionSize, hiddenSize);
    this.critic = new TwinCriticNetwork(rng, observationSize, actionSize, hiddenSize);
    this.targetCritic = new TwinCriticNetwork(null, observationSize, actionSize, hiddenSize);
    this.targetCritic.copyFrom(this.critic); // hard_target_update at start
    this.logAlpha = makeVariable(Math.log(shape.initialAlpha), []);
    this.actorOptimizer = new Adam(this.actor.variables);
    this.criticOptimizer = new Adam(this.critic.variables);
    this.alphaOptimizer = new Adam([this.logAlpha]);
  }

  /** μ and clamped log σ for one observation, read back to the CPU (one small read). */
  policyParameters(observation: Float32Array): { mean: Float32Array; logStd: Float32Array } {
    const A = this.shape.actionSize;
    const values = tf.tidy(() => {
      const { mean, logStd } = this.actor.forward(tf.tensor2d(observation, [1, this.shape.observationSize]));
      return tf.concat([mean, logStd], 1);
    });
    const data = values.dataSync() as Float32Array;
    values.dispose();
    return { mean: data.slice(0, A), logStd: data.slice(A, 2 * A) };
  }

  /** Stochastic action for exploration: z = μ + σ·ε, a = tanh(z) (the lecture's get_action, scaled). */
  act(observation: Float32Array, rng: Rng): Action {
    const { mean, logStd } = this.policyParameters(observation);
    const A = this.shape.actionSize;
    const squashed = new Float32Array(A);
    const torque = new Float32Array(A);
    for (let i = 0; i < A; i++) {
      const clampedLogStd = Math.min(Math.max(logStd[i] ?? 0, LOG_STD_MIN), LOG_STD_MAX);
      const z = (mean[i] ?? 0) + Math.exp(clampedLogStd) * rng.normal();
      squashed[i] = Math.tanh(z);
      torque[i] = this.shape.actionScale * Math.tanh(z);
    }
    return { squashed, torque };
  }

  /** Deterministic torque actionScale · tanh(μ): the lecture's test.py action. */
  deterministicTorque(observation: Float32Array): Float32Array {
    const { mean } = this.policyParameters(observation);
    return mean.map((value) => this.shape.actionScale * Math.tanh(value));
  }

  /** Current temperature α = exp(log α) (reads back one number). */
  alpha(): number {
    return Math.exp(this.logAlpha.dataSync()[0] ?? Number.NaN);
  }

  /**
   * One SAC gradient step on a minibatch. Returns the step's statistics as a 1-D tensor in the order
   * of UPDATE_STATS, left on the device so the caller decides when to read it (caller disposes).
   */
  update(batch: Batch, rng: Rng, hp: UpdateHyperparameters): tf.Tensor1D {
    const B = batch.size;
    const O = this.shape.observationSize;
    const A = this.shape.actionSize;
    // Exploration noise for a' ~ π(·|s') and ã ~ π(·|s), from the run's generator (determinism).
    const nextNoise = rng.fillNormal(new Float32Array(B * A));
    const currentNoise = rng.fillNormal(new Float32Array(B * A));

    return tf.tidy(() => {
      const observations = tf.tensor2d(batch.observations, [B, O]);
      const actions = tf.tensor2d(batch.actions, [B, A]);
      const rewards = tf.tensor2d(batch.rewards, [B, 1]);
      const nextObservations = tf.tensor2d(batch.nextObservations, [B, O]);
      const masks = tf.tensor2d(batch.masks, [B, 1]);
      const alpha = tf.exp(this.logAlpha) as tf.Scalar; // α before this step's temperature update

      // Critic target from the target critic and the current actor; a plain tensor: no gradient through y.
      const next = this.actor.forward(nextObservations);
      const nextSample = sampleSquashedGaussian(next.mean, next.logStd, tf.tensor2d(nextNoise, [B, A]));
      const target = criticTarget({
        rewards,
        masks,
        nextTargetQ: this.targetCritic.forward(nextObservations, nextSample.action),
        nextLogProb: nextSample.logProb,
        alpha,
        gamma: hp.gamma,
      });

      // 1. Critic step: MSE(Q1, y) + MSE(Q2, y).
      const critic = tf.variableGrads(() => criticLoss(this.critic.forward(observations, actions), target), this.critic.variables);
      this.criticOptimizer.step(this.critic.variables.map((v) => critic.grads[v.name] as tf.Tensor), hp.criticLr);

      // 2. Actor step against the just-updated critic: mean(α log π(ã|s) − min Q(s, ã)).
      const noise = tf.tensor2d(currentNoise, [B, A]);
      let logProb: tf.Tensor2D | null = null;
      let minQ: tf.Tensor2D | null = null;
      const actor = tf.variableGrads(() => {
        const { mean, logStd } = this.actor.forward(observations);
        const sample = sampleSquashedGaussian(mean, logStd, noise);
        const q = this.critic.forward(observations, sample.action);
        logProb = tf.keep(sample.logProb);
        minQ = tf.keep(minOfTwin(q));
        return actorLoss(alpha, sample.logProb, q);
      }, this.actor.variables);
      this.actorOptimizer.step(this.actor.variables.map((v) => actor.grads[v.name] as tf.Tensor), hp.actorLr);
      const keptLogProb = logProb as unknown as tf.Tensor2D;
      const keptMinQ = minQ as unknown as tf.Tensor2D;

      // 3. Temperature step on log α with log π detached (it is a constant here).
      const temperature = tf.variableGrads(() => alphaLoss(this.logAlpha, keptLogProb, hp.targetEntropy), [this.logAlpha]);
      this.alphaOptimizer.step([temperature.grads[this.logAlpha.name] as tf.Tensor], hp.alphaLr);

      // 4. Soft target update θ̄ ← τθ + (1 − τ)θ̄.
      this.targetCritic.softUpdateFrom(this.critic, hp.tau);

      const stats = tf.stack([
        critic.value,
        actor.value,
        temperature.value,
        tf.neg(tf.mean(keptLogProb)), // entropy estimate −E[log π]
        tf.mean(keptMinQ),
      ]) as tf.Tensor1D;
      keptLogProb.dispose();
      keptMinQ.dispose();
      return stats;
    });
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.targetCritic.dispose();
    this.logAlpha.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer.dispose();
  }
}
