/**
 * The SAC agent: networks, optimisers, temperature, acting and one gradient step in the order of the
 * lecture's train_model (critic, then actor against the updated critic, then α, then the soft target
 * update), with the two bugs of SAC-SPEC.md fixed by configuration (action scale, target entropy).
 */
import * as tf from '@tensorflow/tfjs';
import { SAC_DESCRIPTOR, type AlgorithmDescriptor } from '../algorithm';
import type { AgentAction, OffPolicyAgent } from '../offPolicyAgent';
import type { Batch } from '../replayBuffer';
import type { Rng } from '../rng';
import { Adam } from './adam';
import { UPDATE_STATS, type SacAgentState } from './agentState';
import {
  actorLossAndGradients,
  alphaLossAndGradient,
  criticLossAndGradients,
  squashedPolicyForward,
  twinForward,
  twinStacks,
} from './gradients';
import { criticTarget } from './losses';
import { CpuPolicy } from './cpuPolicy';
import { ActorNetwork, TwinCriticNetwork, assignParameters, makeVariable, readParameters, type DenseStack } from './networks';
import { exportActorFiles, importActorFiles, type ActorFiles, type ActorProvenance } from './weights';

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

export { UPDATE_STATS, type UpdateStatName } from './agentState';

/** Squashed action a = tanh(z) ∈ (−1, 1) (what the critic sees and the buffer stores) and torque actionScale · a. */
export type Action = AgentAction;

export class SacAgent implements OffPolicyAgent<UpdateHyperparameters, SacAgentState> {
  readonly descriptor: AlgorithmDescriptor = SAC_DESCRIPTOR;
  readonly updateStatKeys: readonly string[] = UPDATE_STATS;
  readonly shape: AgentShape;
  readonly actor: ActorNetwork;
  readonly critic: TwinCriticNetwork;
  readonly targetCritic: TwinCriticNetwork;
  readonly logAlpha: tf.Variable;
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private readonly alphaOptimizer: Adam;
  /** Reused buffers of update(): the upload [B, width] and the two noise draws [B, A]. */
  private packed: Float32Array | null = null;
  private nextNoise = new Float32Array(0);
  private currentNoise = new Float32Array(0);
  /** Reused result of act() (valid until the next call). */
  private readonly action: Action;
  /** The CPU copy of the actor that act() evaluates (no per-step read-back). */
  private readonly policy: CpuPolicy;
  private readonly policyOutput: Float32Array;
  private updatesSincePolicySync = 0;
  /**
   * Updates between refreshes of the CPU policy copy. 1 (default): act() always uses the current actor,
   * exactly as the lecture's loop. On WebGL the trainer raises it, trading a lag of at most N − 1 updates
   * in the behaviour policy (harmless for off-policy SAC, still deterministic) for one GPU read per N steps.
   */
  policySyncInterval = 1;

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
    this.policy = new CpuPolicy(observationSize, actionSize, hiddenSize);
    this.policyOutput = new Float32Array(2 * actionSize);
    this.action = { squashed: new Float32Array(actionSize), torque: new Float32Array(actionSize) };
    this.syncPolicy();
  }

  /** Copies the actor's current weights into the CPU policy (one read-back). Call after changing the actor. */
  syncPolicy(): void {
    const flat = tf.tidy(() => tf.concat(this.actor.variables.map((variable) => tf.reshape(variable, [-1]))));
    this.policy.load(flat.dataSync());
    flat.dispose();
    this.updatesSincePolicySync = 0;
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

  /**
   * Stochastic action for exploration: z = μ + σ·ε, a = tanh(z) (the lecture's get_action, scaled), from
   * the CPU policy copy. The returned arrays are reused: valid until the next call (no allocation per step).
   */
  act(observation: Float32Array, rng: Rng): Action {
    const A = this.shape.actionSize;
    const meanAndLogStd = this.policy.meanAndLogStd(observation, this.policyOutput);
    const { squashed, torque } = this.action;
    for (let i = 0; i < A; i++) {
      const z = (meanAndLogStd[i] ?? 0) + Math.exp(meanAndLogStd[A + i] ?? 0) * rng.normal();
      squashed[i] = Math.tanh(z);
      torque[i] = this.shape.actionScale * Math.tanh(z);
    }
    return this.action;
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

  /** α is the one SAC metric that is a value at the episode's end rather than a mean over its updates. */
  episodeEndMetrics(): Record<string, number> {
    return { alpha: this.alpha() };
  }

  actorParameters(): Float32Array {
    return this.actor.getParameters();
  }

  /** This actor, or one with `parameters` (e.g. the best actor's) in a temporary network, as LayersModel files. */
  async exportActor(parameters: Float32Array | null, weightsFileName: string, provenance: ActorProvenance): Promise<ActorFiles> {
    if (parameters === null) return exportActorFiles(this.actor, weightsFileName, provenance);
    const { observationSize, actionSize, hiddenSize } = this.shape;
    const actor = new ActorNetwork(null, observationSize, actionSize, hiddenSize);
    try {
      actor.setParameters(parameters);
      return await exportActorFiles(actor, weightsFileName, provenance);
    } finally {
      actor.dispose();
    }
  }

  /** Loads exported actor files into the actor (changing nothing if they do not fit) and refreshes the acting copy. */
  async importActor(files: ActorFiles): Promise<void> {
    await importActorFiles(this.actor, files);
    this.syncPolicy();
  }

  /** Networks, log α, the three optimisers and the acting copy, read back as plain data. */
  getState(): SacAgentState {
    return {
      actor: this.actor.getParameters(),
      critic: this.critic.getParameters(),
      targetCritic: this.targetCritic.getParameters(),
      logAlpha: readParameters([this.logAlpha]),
      actorOptimizer: this.actorOptimizer.getState(),
      criticOptimizer: this.criticOptimizer.getState(),
      alphaOptimizer: this.alphaOptimizer.getState(),
      actingPolicy: this.policy.getParameters(),
      updatesSincePolicySync: this.updatesSincePolicySync,
    };
  }

  /** Continues from a state taken by getState (checked by sacAgentStateProblem beforehand). */
  setState(state: SacAgentState): void {
    this.actor.setParameters(state.actor);
    this.critic.setParameters(state.critic);
    this.targetCritic.setParameters(state.targetCritic);
    assignParameters([this.logAlpha], state.logAlpha);
    this.actorOptimizer.setState(state.actorOptimizer);
    this.criticOptimizer.setState(state.criticOptimizer);
    this.alphaOptimizer.setState(state.alphaOptimizer);
    this.policy.load(state.actingPolicy);
    this.updatesSincePolicySync = state.updatesSincePolicySync;
  }

  /**
   * One SAC gradient step on a minibatch, in the lecture's order: critic, actor (against the updated
   * critic), temperature, soft target update. Gradients are hand-derived (gradients.ts) from the losses
   * of SAC-SPEC.md. Returns the step's statistics as a 1-D tensor in the order of UPDATE_STATS, left on
   * the device so the caller decides when to read it (caller disposes).
   */
  update(batch: Batch, rng: Rng, hp: UpdateHyperparameters): tf.Tensor1D {
    const B = batch.size;
    const O = this.shape.observationSize;
    const A = this.shape.actionSize;
    // One upload per minibatch: [s | a | r | s' | mask | ε' | ε], ε' and ε ~ N(0, 1) from the run's
    // generator (next-state noise first, then current-state noise) so a seed fixes the run.
    const columns = [O, A, 1, O, 1, A, A];
    const width = columns.reduce((sum, n) => sum + n, 0);
    if (!this.packed || this.packed.length !== B * width) {
      this.packed = new Float32Array(B * width);
      this.nextNoise = new Float32Array(B * A);
      this.currentNoise = new Float32Array(B * A);
    }
    const packed = this.packed;
    const nextNoise = rng.fillNormal(this.nextNoise);
    const currentNoise = rng.fillNormal(this.currentNoise);
    for (let row = 0; row < B; row++) {
      let offset = row * width;
      const put = (source: Float32Array, size: number): void => {
        for (let i = 0; i < size; i++) packed[offset + i] = source[row * size + i] ?? 0;
        offset += size;
      };
      put(batch.observations, O);
      put(batch.actions, A);
      put(batch.rewards, 1);
      put(batch.nextObservations, O);
      put(batch.masks, 1);
      put(nextNoise, A);
      put(currentNoise, A);
    }

    const stats = tf.tidy(() => {
      const [observations, actions, rewards, nextObservations, masks, nextEpsilon, epsilon] = tf.split(
        tf.tensor2d(packed, [B, width]),
        columns,
        1,
      ) as tf.Tensor2D[] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const actorParams = this.actor.variables as unknown as DenseStack;
      const criticParams = twinStacks(this.critic.variables);
      const alpha = tf.exp(this.logAlpha) as tf.Scalar; // α before this step's temperature update

      // Critic target y = r + γ·mask·(min Q̄(s', a') − α log π(a'|s')), a' ~ π(·|s'): a plain tensor, no gradient.
      const next = squashedPolicyForward(actorParams, nextObservations, nextEpsilon);
      const target = criticTarget({
        rewards,
        masks,
        nextTargetQ: twinForward(twinStacks(this.targetCritic.variables), nextObservations, next.action).q,
        nextLogProb: next.logProb,
        alpha,
        gamma: hp.gamma,
      });

      // 1. Critic step: MSE(Q1, y) + MSE(Q2, y).
      const critic = criticLossAndGradients(criticParams, observations, actions, target);
      this.criticOptimizer.step(critic.gradients, hp.criticLr);

      // 2. Actor step against the just-updated critic: mean(α log π(ã|s) − min Q(s, ã)).
      const actor = actorLossAndGradients(actorParams, criticParams, observations, epsilon, alpha);
      this.actorOptimizer.step(actor.gradients, hp.actorLr);

      // 3. Temperature step on log α with log π detached.
      const temperature = alphaLossAndGradient(this.logAlpha, actor.logProb, hp.targetEntropy);
      this.alphaOptimizer.step([temperature.gradient], hp.alphaLr);

      // 4. Soft target update θ̄ ← τθ + (1 − τ)θ̄.
      this.targetCritic.softUpdateFrom(this.critic, hp.tau);

      return tf.stack([
        critic.loss,
        actor.loss,
        temperature.loss,
        tf.neg(tf.mean(actor.logProb)), // entropy estimate −E[log π]
        tf.mean(actor.minQ),
      ]) as tf.Tensor1D;
    });
    this.updatesSincePolicySync += 1;
    if (this.updatesSincePolicySync >= this.policySyncInterval) this.syncPolicy();
    return stats;
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
