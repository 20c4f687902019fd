/**
 * The deterministic-actor learner behind DDPG and TD3 (ALGORITHMS.md). TD3 is DDPG with three fixes, and
 * each is a setting here, as in stable-baselines3 (whose DDPG is its TD3 with these settings):
 *   critics: 1 (DDPG) or 2 (TD3, target = min of the twin targets);
 *   policy delay: 1 (DDPG: actor and targets every update) or policy_delay (TD3);
 *   target smoothing: none (DDPG) or clipped Gaussian noise on the target action (TD3).
 * One update: critic step → (every policyDelay-th critic update) actor step against the updated critic,
 * then the Polyak update of the target actor and every target critic. Gradients are hand-written
 * (gradients.ts). Actions are in units of the bound (the buffer stores them; torque = actionScale · a).
 */
import * as tf from '@tensorflow/tfjs';
import type { AlgorithmDescriptor } from '../algorithm';
import type { ActorProvenanceOf, AgentAction, OffPolicyAgent } from '../offPolicyAgent';
import type { Batch } from '../replayBuffer';
import type { Rng } from '../rng';
import { Adam } from '../sac/adam';
import { assignParameters, readParameters, type DenseStack } from '../sac/networks';
import type { ActorFiles } from '../sac/weights';
import { DETERMINISTIC_UPDATE_STATS, type DeterministicAgentState } from './agentState';
import { CpuDeterministicActor } from './cpuActor';
import { actorForward, actorLossAndGradients, criticLossAndGradients, criticsForward } from './gradients';
import { deterministicCriticTarget, smoothedTargetAction } from './losses';
import { asDenseStack, copyVariables, createDenseStack, softUpdateVariables } from './networks';
import { exportDeterministicActor, importDeterministicActor } from './weights';

/** What one update reads from the run's config (live changes apply at the next update). */
export interface DeterministicUpdateSettings {
  gamma: number;
  tau: number;
  actorLr: number;
  criticLr: number;
  /** σ of the exploration noise (units of the bound), used by act() from the next update on. */
  actionNoise: number;
  /** Critic updates per actor (and target) update: DDPG 1. */
  policyDelay: number;
  /** TD3's target policy smoothing (σ and clip in units of the bound), or null (DDPG). */
  smoothing: { noiseStd: number; noiseClip: number } | null;
}

export interface DeterministicAgentOptions<Config> {
  descriptor: AlgorithmDescriptor;
  /** 1: DDPG's critic; 2: TD3's twin critics. */
  criticCount: number;
  /** The update settings of a run config (DDPG fixes delay 1 and no smoothing). */
  settings: (config: Config) => DeterministicUpdateSettings;
  observationSize: number;
  actionSize: number;
  hiddenSize: number;
  /** Torque = actionScale · a. */
  actionScale: number;
}

export class DeterministicAgent<Config> implements OffPolicyAgent<Config, DeterministicAgentState> {
  readonly descriptor: AlgorithmDescriptor;
  readonly updateStatKeys: readonly string[] = DETERMINISTIC_UPDATE_STATS;
  private readonly options: DeterministicAgentOptions<Config>;
  readonly actor: tf.Variable[];
  readonly targetActor: tf.Variable[];
  /** critics[k]: the six variables of Q_{k+1}. */
  readonly critics: tf.Variable[][];
  readonly targetCritics: tf.Variable[][];
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private criticUpdateCount = 0;
  /** Exploration σ in use (the creation config's, then the latest update's). */
  private actionNoise: number;
  private readonly policy: CpuDeterministicActor;
  private actorUpdatesSincePolicySync = 0;
  /** Actor updates between refreshes of the CPU acting copy (1; the trainer raises it on WebGL, as for SAC). */
  policySyncInterval = 1;
  private readonly action: AgentAction;
  private readonly meanAction: Float32Array;
  private packed: Float32Array | null = null;
  private smoothingNoise = new Float32Array(0);

  constructor(rng: Rng, config: Config, options: DeterministicAgentOptions<Config>) {
    this.options = options;
    this.descriptor = options.descriptor;
    const { observationSize: O, actionSize: A, hiddenSize: H, criticCount } = options;
    // Construction order: actor, then Q1 (and Q2); the targets start as copies.
    this.actor = createDenseStack(rng, O, H, A);
    this.critics = Array.from({ length: criticCount }, () => createDenseStack(rng, O + A, H, 1));
    this.targetActor = createDenseStack(null, O, H, A);
    copyVariables(this.targetActor, this.actor);
    this.targetCritics = this.critics.map((critic) => {
      const target = createDenseStack(null, O + A, H, 1);
      copyVariables(target, critic);
      return target;
    });
    this.actorOptimizer = new Adam(this.actor);
    this.criticOptimizer = new Adam(this.critics.flat());
    this.actionNoise = options.settings(config).actionNoise;
    this.policy = new CpuDeterministicActor(O, A, H);
    this.action = { squashed: new Float32Array(A), torque: new Float32Array(A) };
    this.meanAction = new Float32Array(A);
    this.syncPolicy();
  }

  get criticUpdates(): number {
    return this.criticUpdateCount;
  }

  /** Torque = actionScale · a (read by the phase-space maps, rl/insight). */
  get actionScale(): number {
    return this.options.actionScale;
  }
  get observationSize(): number {
    return this.options.observationSize;
  }

  /** Copies the actor into the CPU acting copy (one read-back). */
  syncPolicy(): void {
    this.policy.load(readParameters(this.actor));
    this.actorUpdatesSincePolicySync = 0;
  }

  /**
   * Exploration (ALGORITHMS.md): a = clip(μ(s) + N(0, σ²), −1, 1) in units of the bound, torque = scale·a.
   * (The trainer gives uniform random actions during the learning_starts warm-up instead.)
   */
  act(observation: Float32Array, rng: Rng): AgentAction {
    const mean = this.policy.action(observation, this.meanAction);
    const { squashed, torque } = this.action;
    for (let i = 0; i < squashed.length; i++) {
      const noisy = Math.min(1, Math.max(-1, (mean[i] ?? 0) + this.actionNoise * rng.normal()));
      squashed[i] = noisy;
      torque[i] = this.options.actionScale * noisy;
    }
    return this.action;
  }

  /** The actor's own torque scale · μ(s), from the actor's variables (reads back). */
  deterministicTorque(observation: Float32Array): Float32Array {
    const values = tf.tidy(() => actorForward(asDenseStack(this.actor), tf.tensor2d(observation, [1, this.options.observationSize])).action);
    const action = Float32Array.from(values.dataSync());
    values.dispose();
    return action.map((value) => this.options.actionScale * value);
  }

  /** Every DDPG/TD3 metric is a mean over the episode's updates. */
  episodeEndMetrics(): Record<string, number> {
    return {};
  }

  actorParameters(): Float32Array {
    return readParameters(this.actor);
  }

  exportActor(parameters: Float32Array | null, weightsFileName: string, provenance: ActorProvenanceOf<Config>): Promise<ActorFiles> {
    return exportDeterministicActor(parameters ?? this.actorParameters(), this.exportShape(), weightsFileName, provenance);
  }

  async importActor(files: ActorFiles): Promise<void> {
    const parameters = await importDeterministicActor(files, this.exportShape());
    assignParameters(this.actor, parameters);
    this.syncPolicy();
  }

  private exportShape(): { observationSize: number; actionSize: number; hiddenSize: number; algorithm: string } {
    const { observationSize, actionSize, hiddenSize, descriptor } = this.options;
    return { observationSize, actionSize, hiddenSize, algorithm: descriptor.label };
  }

  getState(): DeterministicAgentState {
    return {
      actor: readParameters(this.actor),
      targetActor: readParameters(this.targetActor),
      critics: readParameters(this.critics.flat()),
      targetCritics: readParameters(this.targetCritics.flat()),
      actorOptimizer: this.actorOptimizer.getState(),
      criticOptimizer: this.criticOptimizer.getState(),
      criticUpdates: this.criticUpdateCount,
      actingPolicy: this.policy.getParameters(),
      actorUpdatesSincePolicySync: this.actorUpdatesSincePolicySync,
      actionNoise: this.actionNoise,
    };
  }

  /** Continues from a state taken by getState (checked by deterministicAgentStateProblem beforehand). */
  setState(state: DeterministicAgentState): void {
    assignParameters(this.actor, state.actor);
    assignParameters(this.targetActor, state.targetActor);
    assignParameters(this.critics.flat(), state.critics);
    assignParameters(this.targetCritics.flat(), state.targetCritics);
    this.actorOptimizer.setState(state.actorOptimizer);
    this.criticOptimizer.setState(state.criticOptimizer);
    this.criticUpdateCount = state.criticUpdates;
    this.policy.load(state.actingPolicy);
    this.actorUpdatesSincePolicySync = state.actorUpdatesSincePolicySync;
    this.actionNoise = state.actionNoise;
  }

  /**
   * One update on a minibatch (ALGORITHMS.md, DDPG / TD3). Returns [critic loss, actor loss, Q mean] on
   * the device (caller disposes). The actor loss −mean Q1(s, μ(s)) is evaluated every update (after the
   * critic step) so the chart has a value per update; its gradient is applied only on actor updates.
   * Q mean = mean Q1(s, a) over the minibatch's stored actions, before the critic step.
   */
  update(batch: Batch, rng: Rng, config: Config): tf.Tensor1D {
    const settings = this.options.settings(config);
    this.actionNoise = settings.actionNoise;
    const B = batch.size;
    const { observationSize: O, actionSize: A } = this.options;
    // One upload: [s | a | r | s' | mask | ε (TD3 only)], ε ~ N(0, 1) from the run's generator.
    const columns = settings.smoothing === null ? [O, A, 1, O, 1] : [O, A, 1, O, 1, A];
    const width = columns.reduce((sum, n) => sum + n, 0);
    if (this.packed?.length !== B * width) {
      this.packed = new Float32Array(B * width);
      this.smoothingNoise = new Float32Array(B * A);
    }
    const packed = this.packed;
    if (settings.smoothing !== null) rng.fillNormal(this.smoothingNoise);
    const sources: Array<[Float32Array, number]> = [
      [batch.observations, O],
      [batch.actions, A],
      [batch.rewards, 1],
      [batch.nextObservations, O],
      [batch.masks, 1],
    ];
    if (settings.smoothing !== null) sources.push([this.smoothingNoise, A]);
    for (let row = 0; row < B; row++) {
      let offset = row * width;
      for (const [source, size] of sources) {
        for (let i = 0; i < size; i++) packed[offset + i] = source[row * size + i] ?? 0;
        offset += size;
      }
    }

    this.criticUpdateCount += 1;
    // SB3's rule: the actor (and the targets) move when the critic update count is a multiple of the delay.
    const actorStep = this.criticUpdateCount % settings.policyDelay === 0;
    const stats = tf.tidy(() => {
      const parts = tf.split(tf.tensor2d(packed, [B, width]), columns, 1) as tf.Tensor2D[];
      const [observations, actions, rewards, nextObservations, masks] = parts as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const critics = this.critics.map(asDenseStack);

      // Target y = r + γ·mask·min_k Q̄_k(s', ã'), ã' = μ̄(s') (DDPG) or its smoothed form (TD3).
      let nextAction = actorForward(asDenseStack(this.targetActor), nextObservations).action;
      if (settings.smoothing !== null) {
        nextAction = smoothedTargetAction(nextAction, parts[5] as tf.Tensor2D, { ...settings.smoothing, bound: 1 });
      }
      const nextTargetQ = criticsForward(this.targetCritics.map(asDenseStack), nextObservations, nextAction).q;
      const target = deterministicCriticTarget(rewards, masks, nextTargetQ, settings.gamma);

      // 1. Critic step (sum of the critics' MSEs).
      const critic = criticLossAndGradients(critics, observations, actions, target);
      const qMean = tf.mean(tf.slice(critic.q, [0, 0, 0], [1, -1, -1]));
      this.criticOptimizer.step(critic.gradients, settings.criticLr);

      // 2. Actor step against the updated critic Q1, then 3. all targets, only on actor updates.
      const actor = actorLossAndGradients(asDenseStack(this.actor), critics[0] as DenseStack, observations, actorStep);
      if (actor.gradients !== null) {
        this.actorOptimizer.step(actor.gradients, settings.actorLr);
        softUpdateVariables(this.targetActor, this.actor, settings.tau);
        this.critics.forEach((source, index) => softUpdateVariables(this.targetCritics[index] ?? [], source, settings.tau));
      }
      return tf.stack([critic.loss, actor.loss, qMean]) as tf.Tensor1D;
    });
    if (actorStep) {
      this.actorUpdatesSincePolicySync += 1;
      if (this.actorUpdatesSincePolicySync >= this.policySyncInterval) this.syncPolicy();
    }
    return stats;
  }

  dispose(): void {
    for (const variable of [...this.actor, ...this.targetActor, ...this.critics.flat(), ...this.targetCritics.flat()]) variable.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}
