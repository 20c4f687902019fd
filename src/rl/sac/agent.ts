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
import { Adam, type AdamState } from './adam';
import { UPDATE_STATS, type SacAgentState } from './agentState';
import { CpuPolicy, sampleSquashedAction } from './cpuPolicy';
import {
  ActorNetwork,
  TwinCriticNetwork,
  actorLayers,
  assignParameters,
  makeVariable,
  packedActorForward,
  packedTwinForward,
  readParameters,
  twinCriticLayerTensors,
  twinCriticLayers,
  type PackedLayout,
  type TwinCriticLayers,
} from './networks';
import { actorHeadGradient, packedActorGradient, packedSample, packedTwinActionGradient, packedTwinGradient } from './packedGradients';
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
  /** Reused buffers of update() (the minibatch uploads) and the two noise draws [B, A]. */
  private uploads: UpdateUploads | null = null;
  private nextNoise = new Float32Array(0);
  private currentNoise = new Float32Array(0);
  /**
   * The critic's layers as the actor step used them (after the critic's Adam step): the critic does not
   * change again before the next update's critic step, which reuses them (no re-extraction, and XNNPACK
   * finds its packed weights for these very tensors), as long as the packed variable is the same tensor.
   */
  private criticLayers: { dataId: object; layers: TwinCriticLayers } | null = null;
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
    // One Adam per packed network: its moments have the packed shape, a step is 13 kernels.
    this.actorOptimizer = new Adam([this.actor.packedParameters()]);
    this.criticOptimizer = new Adam([this.critic.packedParameters()]);
    this.alphaOptimizer = new Adam([this.logAlpha]);
    this.policy = new CpuPolicy(observationSize, actionSize, hiddenSize);
    this.policyOutput = new Float32Array(2 * actionSize);
    this.action = { squashed: new Float32Array(actionSize), torque: new Float32Array(actionSize) };
    this.syncPolicy();
  }

  /** Copies the actor's current weights into the CPU policy (one read-back). Call after changing the actor. */
  syncPolicy(): void {
    // The packed variable itself is read: no kernel, one read-back.
    this.policy.load(this.actor.layout.unpack(this.actor.packedParameters().dataSync()));
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
    return sampleSquashedAction(this.policy.meanAndLogStd(observation, this.policyOutput), this.shape.actionScale, rng, this.action);
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
      // Moments in the flat `variables` order of the weights (the checkpoint layout), not the packed one.
      actorOptimizer: unpackAdamState(this.actorOptimizer.getState(), this.actor.layout),
      criticOptimizer: unpackAdamState(this.criticOptimizer.getState(), this.critic.layout),
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
    this.actorOptimizer.setState(packAdamState(state.actorOptimizer, this.actor.layout));
    this.criticOptimizer.setState(packAdamState(state.criticOptimizer, this.critic.layout));
    this.alphaOptimizer.setState(state.alphaOptimizer);
    this.policy.load(state.actingPolicy);
    this.updatesSincePolicySync = state.updatesSincePolicySync;
  }

  /**
   * One SAC gradient step on a minibatch, in the lecture's order: critic, actor (against the updated
   * critic), temperature, soft target update. Gradients are hand-derived from the losses of SAC-SPEC.md
   * (packedGradients.ts, the same formulas as gradients.ts; both checked against autodiff). Returns the
   * step's statistics as a 1-D tensor in the order of UPDATE_STATS, left on the device so the caller
   * decides when to read it (caller disposes).
   *
   * Fused (issue 11): each network is one packed variable, each layer one fused matmul + bias + relu, a
   * layer's kernel-and-bias gradient one matmul; the actor runs once on [s'; s] (2B rows: the target's
   * a' ~ π(·|s') and the actor step's ã ~ π(·|s) come from the same actor); the minibatch arrives as
   * separate uploads already in the layouts the kernels take (no split, no transposes of inputs).
   */
  update(batch: Batch, rng: Rng, hp: UpdateHyperparameters): tf.Tensor1D {
    const B = batch.size;
    const O = this.shape.observationSize;
    const A = this.shape.actionSize;
    // ε' (next state) then ε (current state) ~ N(0, 1) from the run's generator, as before.
    if (this.nextNoise.length !== B * A) {
      this.nextNoise = new Float32Array(B * A);
      this.currentNoise = new Float32Array(B * A);
    }
    const nextNoise = rng.fillNormal(this.nextNoise);
    const currentNoise = rng.fillNormal(this.currentNoise);
    if (!this.uploads || this.uploads.batchSize !== B) this.uploads = allocateUploads(B, O, A);
    fillUploads(this.uploads, batch, nextNoise, currentNoise, hp.gamma, O, A);
    const u = this.uploads;
    const H = this.shape.hiddenSize;
    const I = O + A;

    const previousCriticLayers = this.criticLayers;
    const stats = tf.tidy(() => {
      const alpha = tf.exp(this.logAlpha) as tf.Scalar; // α before this step's temperature update
      const observationsBoth = tf.tensor3d(u.observationsBoth, [1, 2 * B, O + 1]); // [s', 1; s, 1]
      const epsilonBoth = tf.tensor3d(u.epsilonBoth, [1, 2 * B, A]); // [ε'; ε]
      const gaussianBoth = tf.tensor3d(u.gaussianBoth, [1, 2 * B, A]); // −ε²/2 − ½ log 2π

      // The actor on [s'; s] once: a' and log π(a'|s') for the target, ã and log π(ã|s) for the actor step.
      const actorPacked = this.actor.packedParameters();
      const actorL = actorLayers(actorPacked, O, H, A);
      const actorActs = packedActorForward(actorL, observationsBoth);
      const sample = packedSample(actorActs.head, epsilonBoth, gaussianBoth);
      const [nextAction, action] = tf.split(sample.action, 2, 1) as [tf.Tensor3D, tf.Tensor3D];
      const [nextLogProb, logProb] = tf.split(sample.logProb, 2, 1) as [tf.Tensor3D, tf.Tensor3D];

      // Critic target y = r + γ·mask·(min Q̄(s', a') − α log π(a'|s')): a plain tensor, no gradient.
      const targetL = twinCriticLayers(this.targetCritic.packedParameters(), I, H);
      const ones = tf.ones([1, B, 1]);
      const nextQ = packedTwinForward(targetL, tf.concat([tf.tensor3d(u.nextObservations, [1, B, O]), nextAction, ones], 2) as tf.Tensor3D).q;
      const softValue = tf.sub(tf.min(nextQ, 2, true), tf.mul(alpha, nextLogProb));
      const target = tf.add(tf.tensor3d(u.rewards, [1, B, 1]), tf.mul(tf.tensor3d(u.gammaMasks, [1, B, 1]), softValue)) as tf.Tensor3D;

      // 1. Critic step: L = MSE(Q1, y) + MSE(Q2, y), dL/dQ = 2(Q − y)/B.
      const criticPacked = this.critic.packedParameters();
      const kept = this.criticLayers;
      const criticL = kept && kept.dataId === criticPacked.dataId ? kept.layers : twinCriticLayers(criticPacked, I, H);
      const criticActs = packedTwinForward(criticL, tf.tensor3d(u.criticInput, [1, B, I + 1]));
      const error = tf.sub(criticActs.q, target) as tf.Tensor3D;
      const criticLoss = tf.div(tf.sum(tf.square(error)), B);
      const criticGradient = packedTwinGradient(criticL, criticActs, tf.tensor3d(u.criticInputTransposed, [1, I + 1, B]), tf.mul(error, 2 / B) as tf.Tensor3D);
      this.criticOptimizer.step([criticGradient], hp.criticLr);

      // 2. Actor step against the just-updated critic: mean(α log π(ã|s) − min Q(s, ã)).
      const updatedPacked = this.critic.packedParameters();
      const updatedL = twinCriticLayers(updatedPacked, I, H);
      const actorActsQ = packedTwinForward(updatedL, tf.concat([tf.tensor3d(u.observations, [1, B, O]), action, ones], 2) as tf.Tensor3D);
      const minQ = tf.min(actorActsQ.q, 2, true) as tf.Tensor3D;
      const actorLoss = tf.mean(tf.sub(tf.mul(alpha, logProb), minQ));
      // d minQ/dQ_twin = [Q_twin == min] (ties: both, as tf.min's gradient does), times dL/dminQ = −1/B.
      // (A mask times a constant: tf.where would add a Fill and three broadcasting Identity kernels.)
      const dQ = tf.mul(tf.cast(tf.equal(actorActsQ.q, minQ), 'float32'), -1 / B) as tf.Tensor3D;
      const dActionFromQ = packedTwinActionGradient(updatedL, actorActsQ, dQ, O, A);
      // The head gradient on all 2B rows (the s' rows get zero from the critic and are dropped), then the s rows.
      const dHeadBoth = actorHeadGradient(sample, tf.concat([tf.zeros([1, B, A]), dActionFromQ], 1) as tf.Tensor3D, tf.div(alpha, B));
      const dHead = tf.slice(dHeadBoth, [0, B, 0], [1, B, 2 * A]) as tf.Tensor3D;
      const hidden1 = tf.slice(actorActs.hidden1, [0, B, 0], [1, B, H]) as tf.Tensor3D;
      const hidden2 = tf.slice(actorActs.hidden2, [0, B, 0], [1, B, H]) as tf.Tensor3D;
      const actorGradient = packedActorGradient(actorL, hidden1, hidden2, tf.tensor3d(u.observationsTransposed, [1, O + 1, B]), dHead);
      this.actorOptimizer.step([actorGradient], hp.actorLr);

      // 3. Temperature step on log α with log π detached: dJ/dlog α = −mean(log π + H̄), J = log α · that.
      const alphaGradient = tf.neg(tf.mean(tf.add(logProb, hp.targetEntropy))) as tf.Scalar;
      const alphaLoss = tf.mul(this.logAlpha, alphaGradient);
      this.alphaOptimizer.step([alphaGradient], hp.alphaLr);

      // 4. Soft target update θ̄ ← τθ + (1 − τ)θ̄.
      this.targetCritic.softUpdateFrom(this.critic, hp.tau);

      // The updated critic's layers (with their transposes) serve the next update's critic step.
      for (const tensor of twinCriticLayerTensors(updatedL)) tf.keep(tensor);
      this.criticLayers = { dataId: updatedPacked.dataId, layers: updatedL };

      return tf.stack([
        criticLoss,
        actorLoss,
        alphaLoss,
        tf.neg(tf.mean(logProb)), // entropy estimate −E[log π]
        tf.mean(minQ),
      ]) as tf.Tensor1D;
    });
    if (previousCriticLayers) tf.dispose(twinCriticLayerTensors(previousCriticLayers.layers));
    this.updatesSincePolicySync += 1;
    if (this.updatesSincePolicySync >= this.policySyncInterval) this.syncPolicy();
    return stats;
  }

  dispose(): void {
    if (this.criticLayers) tf.dispose(twinCriticLayerTensors(this.criticLayers.layers));
    this.criticLayers = null;
    this.actor.dispose();
    this.critic.dispose();
    this.targetCritic.dispose();
    this.logAlpha.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer.dispose();
  }
}

/** The minibatch as update() uploads it: each input already in the layout its kernel takes. */
interface UpdateUploads {
  batchSize: number;
  /** [s', 1; s, 1] [2B, O + 1]: the actor's input, both states at once. */
  observationsBoth: Float32Array;
  /** [ε'; ε] [2B, A]. */
  epsilonBoth: Float32Array;
  /** −ε²/2 − ½ log 2π per entry of epsilonBoth (the ε-only part of log N). */
  gaussianBoth: Float32Array;
  /** s [B, O] and s' [B, O]. */
  observations: Float32Array;
  nextObservations: Float32Array;
  /** [s, a, 1] [B, O + A + 1] and its transpose [O + A + 1, B]. */
  criticInput: Float32Array;
  criticInputTransposed: Float32Array;
  /** [sᵀ; 1ᵀ] [O + 1, B]. */
  observationsTransposed: Float32Array;
  rewards: Float32Array;
  /** γ·mask (float32 γ times 0 or 1: what tf.mul(mask, γ) gave). */
  gammaMasks: Float32Array;
}

function allocateUploads(B: number, O: number, A: number): UpdateUploads {
  return {
    batchSize: B,
    observationsBoth: new Float32Array(2 * B * (O + 1)),
    epsilonBoth: new Float32Array(2 * B * A),
    gaussianBoth: new Float32Array(2 * B * A),
    observations: new Float32Array(B * O),
    nextObservations: new Float32Array(B * O),
    criticInput: new Float32Array(B * (O + A + 1)),
    criticInputTransposed: new Float32Array(B * (O + A + 1)),
    observationsTransposed: new Float32Array(B * (O + 1)),
    rewards: new Float32Array(B),
    gammaMasks: new Float32Array(B),
  };
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function fillUploads(u: UpdateUploads, batch: Batch, nextNoise: Float32Array, currentNoise: Float32Array, gamma: number, O: number, A: number): void {
  const B = batch.size;
  const I = O + A;
  const gamma32 = Math.fround(gamma);
  u.observations.set(batch.observations);
  u.nextObservations.set(batch.nextObservations);
  u.rewards.set(batch.rewards);
  for (let b = 0; b < B; b++) {
    u.gammaMasks[b] = (batch.masks[b] ?? 0) * gamma32;
    for (let i = 0; i < O; i++) {
      const next = batch.nextObservations[b * O + i] ?? 0;
      const current = batch.observations[b * O + i] ?? 0;
      u.observationsBoth[b * (O + 1) + i] = next;
      u.observationsBoth[(B + b) * (O + 1) + i] = current;
      u.criticInput[b * (I + 1) + i] = current;
      u.criticInputTransposed[i * B + b] = current;
      u.observationsTransposed[i * B + b] = current;
    }
    u.observationsBoth[b * (O + 1) + O] = 1;
    u.observationsBoth[(B + b) * (O + 1) + O] = 1;
    u.observationsTransposed[O * B + b] = 1;
    for (let j = 0; j < A; j++) {
      const action = batch.actions[b * A + j] ?? 0;
      u.criticInput[b * (I + 1) + O + j] = action;
      u.criticInputTransposed[(O + j) * B + b] = action;
      const next = nextNoise[b * A + j] ?? 0;
      const current = currentNoise[b * A + j] ?? 0;
      u.epsilonBoth[b * A + j] = next;
      u.epsilonBoth[(B + b) * A + j] = current;
      u.gaussianBoth[b * A + j] = -0.5 * next * next - HALF_LOG_TWO_PI;
      u.gaussianBoth[(B + b) * A + j] = -0.5 * current * current - HALF_LOG_TWO_PI;
    }
    u.criticInput[b * (I + 1) + I] = 1;
    u.criticInputTransposed[I * B + b] = 1;
  }
}

/** Adam moments of a packed network in the flat `variables` order (the checkpoint layout). */
function unpackAdamState(state: AdamState, layout: PackedLayout): AdamState {
  return { firstMoment: layout.unpack(state.firstMoment), secondMoment: layout.unpack(state.secondMoment), steps: state.steps };
}

/** Checkpoint-layout Adam moments into a packed network's layout (zeros in its padding). */
function packAdamState(state: AdamState, layout: PackedLayout): AdamState {
  if (state.firstMoment.length !== layout.size || state.secondMoment.length !== layout.size) {
    throw new RangeError(`Adam.setState: moments of ${state.firstMoment.length} and ${state.secondMoment.length} values for ${layout.size} parameters`);
  }
  return { firstMoment: layout.pack(state.firstMoment), secondMoment: layout.pack(state.secondMoment), steps: state.steps };
}
