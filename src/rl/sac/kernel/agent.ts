/**
 * KernelSacAgent (issue 11): SacAgent's SAC update, step for step, in plain TypeScript over the
 * hand-assembled WebAssembly SIMD matrix kernels of src/rl/onPolicy/gemmKernel.ts, with no tfjs kernel
 * (and no per-operation dispatch) anywhere on the training path.
 *
 * Same algorithm as SacAgent.update (SAC-SPEC.md, "Losses, one gradient step"), in the lecture's order:
 *   1. critic step on L = MSE(Q1(s,a), y) + MSE(Q2(s,a), y), y = r + γ·mask·(min Q̄(s', a') − α log π(a'|s'));
 *   2. actor step on mean(α log π(ã|s) − min Q(s, ã)) against the just-updated critic;
 *   3. temperature step on J(α) = −mean(log α · (log π(ã|s) + H̄)), log π detached;
 *   4. soft target update θ̄ ← τθ + (1 − τ)θ̄.
 * Same random draws in the same order (ε' then ε, rng.fillNormal into [B × A] float32 arrays; a'
 * and ã from one actor pass over [s'; s]), same initial weights (initialParameters.ts), same gradients
 * (packedGradients.ts's formulas: dense.ts, squashedGaussian.ts), same Adam (adam.ts).
 *
 * Precision: products and sums in f64 (the kernels are f64x2), every stored value (weights, Adam moments,
 * log α) rounded to float32 as the tfjs agent stores it. So getState → setState → continue equals an
 * uninterrupted run bit for bit, and results agree with the float32 tfjs agent to float32 rounding.
 * The kernels' plain-JS fallback sums in the same order, so a seed gives the same run with or without
 * WebAssembly SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import { SAC_DESCRIPTOR, type AlgorithmDescriptor } from '../../algorithm';
import type { AgentAction, OffPolicyAgent } from '../../offPolicyAgent';
import type { Batch } from '../../replayBuffer';
import type { Rng } from '../../rng';
import type { AgentShape, UpdateHyperparameters } from '../agent';
import { UPDATE_STATS, type SacAgentState } from '../agentState';
import { CpuPolicy, sampleSquashedAction } from '../cpuPolicy';
import { ActorNetwork, TwinCriticNetwork, makeVariable } from '../networks';
import { exportActorFiles, importActorFiles, type ActorFiles, type ActorProvenance } from '../weights';
import { adamStepScalars, scalarAdamStep, type ScalarAdam } from './adam';
import { denseBiasGradient, denseForward, denseInputGradient, denseKernelGradient, reluMask } from './dense';
import { initialAgentParameters } from './initialParameters';
import { actorNetworkLayout, packNetwork, twinCriticNetworkLayout, unpackNetwork, type DenseLayer, type NetworkLayout } from './layout';
import { createSacHeap, type SacHeap } from './sacHeap';
import { headGradient, sampleHead } from './squashedGaussian';
import { HEAP_SLACK, HeapPlan, planWorkspace, type NetworkRegions, type Workspace } from './workspace';

/** Temporary tfjs networks holding the agent's current weights (for the phase-space maps); dispose() frees them. */
export interface TfjsSacNetworks {
  shape: AgentShape;
  actor: ActorNetwork;
  critic: TwinCriticNetwork;
  logAlpha: tf.Variable;
  dispose(): void;
}

export interface KernelSacAgentOptions {
  /** The heap to compute on (tests compare the WebAssembly and JS heaps); default: a fresh WebAssembly SIMD heap, else a JS one. */
  heap?: SacHeap;
}

export class KernelSacAgent implements OffPolicyAgent<UpdateHyperparameters, SacAgentState> {
  readonly descriptor: AlgorithmDescriptor = SAC_DESCRIPTOR;
  readonly updateStatKeys: readonly string[] = UPDATE_STATS;
  readonly shape: AgentShape;
  /** This agent's own heap: nothing else writes into it, so state can live there between updates. */
  readonly heap: SacHeap;
  private readonly actorLayout: NetworkLayout;
  private readonly criticLayout: NetworkLayout;
  private readonly actor: NetworkRegions;
  private readonly critic: NetworkRegions;
  /** Heap offset of the target critic's parameters. */
  private readonly targetCritic: number;
  private actorSteps = 0;
  private criticSteps = 0;
  private readonly logAlpha: ScalarAdam;
  /** Where the networks end and the workspace begins. */
  private readonly networksEnd: number;
  private workspace: Workspace | null = null;
  /** update()'s result, reused (the Trainer copies it on first use and adds into its own sum after). */
  private readonly stats = new Float32Array(UPDATE_STATS.length);
  /** The acting copy (SacAgent's CpuPolicy: same arithmetic, so the same actions), reloaded when the actor changed. */
  private readonly policy: CpuPolicy;
  private policyStale = true;
  private readonly policyOutput: Float32Array;
  private readonly action: AgentAction;

  constructor(rng: Rng, shape: AgentShape, options: KernelSacAgentOptions = {}) {
    this.shape = { ...shape };
    const { observationSize: O, actionSize: A, hiddenSize: H } = shape;
    this.heap = options.heap ?? createSacHeap();
    this.actorLayout = actorNetworkLayout(O, A, H);
    this.criticLayout = twinCriticNetworkLayout(O, A, H);
    const plan = new HeapPlan();
    this.actor = plan.network(this.actorLayout);
    this.critic = plan.network(this.criticLayout);
    this.targetCritic = plan.take(this.criticLayout.size);
    this.networksEnd = plan.end;
    this.heap.ensure(plan.end + HEAP_SLACK);
    const values = this.heap.values;
    values.fill(0, 0, plan.end);
    // SacAgent's constructor order: actor, critic (target = copy), log α = ln α₀ as float32.
    const initial = initialAgentParameters(rng, O, A, H);
    packNetwork(this.actorLayout, initial.actor, values, this.actor.parameters);
    packNetwork(this.criticLayout, initial.critic, values, this.critic.parameters);
    packNetwork(this.criticLayout, initial.critic, values, this.targetCritic);
    this.logAlpha = { value: Math.fround(Math.log(shape.initialAlpha)), firstMoment: 0, secondMoment: 0, steps: 0 };
    this.policy = new CpuPolicy(O, A, H);
    this.policyOutput = new Float32Array(2 * A);
    this.action = { squashed: new Float32Array(A), torque: new Float32Array(A) };
  }

  /**
   * Exploration action z = μ + σ·ε, a = tanh(z) from the current actor, exactly as SacAgent.act (its
   * CpuPolicy, one rng.normal() per action dimension). Arrays reused: valid until the next call.
   */
  act(observation: Float32Array, rng: Rng): AgentAction {
    return sampleSquashedAction(this.currentPolicy().meanAndLogStd(observation, this.policyOutput), this.shape.actionScale, rng, this.action);
  }

  /** Deterministic torque actionScale · tanh(μ) (the lecture's test.py action). */
  deterministicTorque(observation: Float32Array): Float32Array {
    const A = this.shape.actionSize;
    const meanAndLogStd = this.currentPolicy().meanAndLogStd(observation, new Float32Array(2 * A));
    return meanAndLogStd.slice(0, A).map((mean) => this.shape.actionScale * Math.tanh(mean));
  }

  /** α = exp(log α). */
  alpha(): number {
    return Math.exp(this.logAlpha.value);
  }

  episodeEndMetrics(): Record<string, number> {
    return { alpha: this.alpha() };
  }

  actorParameters(): Float32Array {
    return unpackNetwork(this.actorLayout, this.heap.values, this.actor.parameters);
  }

  criticParameters(): Float32Array {
    return unpackNetwork(this.criticLayout, this.heap.values, this.critic.parameters);
  }

  /** This actor (or `parameters`) as LayersModel files, through a temporary tfjs ActorNetwork. */
  async exportActor(parameters: Float32Array | null, weightsFileName: string, provenance: ActorProvenance): Promise<ActorFiles> {
    const actor = this.temporaryActor(parameters ?? this.actorParameters());
    try {
      return await exportActorFiles(actor, weightsFileName, provenance);
    } finally {
      actor.dispose();
    }
  }

  /** Loads exported actor files (through a temporary tfjs ActorNetwork, which checks them); changes nothing if they do not fit. */
  async importActor(files: ActorFiles): Promise<void> {
    const actor = this.temporaryActor(this.actorParameters());
    try {
      await importActorFiles(actor, files);
      const loaded = actor.getParameters();
      packNetwork(this.actorLayout, loaded, this.heap.values, this.actor.parameters);
      this.policyStale = true;
    } finally {
      actor.dispose();
    }
  }

  /**
   * Temporary tfjs networks with the current weights (the phase-space maps evaluate them about once a
   * second); the caller disposes them.
   */
  tfjsNetworks(): TfjsSacNetworks {
    const { observationSize: O, actionSize: A, hiddenSize: H } = this.shape;
    const actor = this.temporaryActor(this.actorParameters());
    const critic = new TwinCriticNetwork(null, O, A, H);
    critic.setParameters(this.criticParameters());
    const logAlpha = makeVariable(this.logAlpha.value, []);
    return {
      shape: { ...this.shape },
      actor,
      critic,
      logAlpha,
      dispose: () => {
        actor.dispose();
        critic.dispose();
        logAlpha.dispose();
      },
    };
  }

  /** SacAgentState: flat float32 weights and moments in the `variables` order; the acting copy is the actor (no lag). */
  getState(): SacAgentState {
    const values = this.heap.values;
    const actor = this.actorParameters();
    return {
      actor,
      critic: this.criticParameters(),
      targetCritic: unpackNetwork(this.criticLayout, values, this.targetCritic),
      logAlpha: Float32Array.of(this.logAlpha.value),
      actorOptimizer: {
        firstMoment: unpackNetwork(this.actorLayout, values, this.actor.firstMoment),
        secondMoment: unpackNetwork(this.actorLayout, values, this.actor.secondMoment),
        steps: this.actorSteps,
      },
      criticOptimizer: {
        firstMoment: unpackNetwork(this.criticLayout, values, this.critic.firstMoment),
        secondMoment: unpackNetwork(this.criticLayout, values, this.critic.secondMoment),
        steps: this.criticSteps,
      },
      alphaOptimizer: { firstMoment: Float32Array.of(this.logAlpha.firstMoment), secondMoment: Float32Array.of(this.logAlpha.secondMoment), steps: this.logAlpha.steps },
      actingPolicy: actor.slice(),
      updatesSincePolicySync: 0,
    };
  }

  /**
   * Continues from a state (checked by sacAgentStateProblem beforehand). Acting always uses the actor
   * itself, so `actingPolicy` (which lags the actor only for a tfjs agent on WebGL) is not used.
   */
  setState(state: SacAgentState): void {
    const values = this.heap.values;
    packNetwork(this.actorLayout, state.actor, values, this.actor.parameters);
    packNetwork(this.criticLayout, state.critic, values, this.critic.parameters);
    packNetwork(this.criticLayout, state.targetCritic, values, this.targetCritic);
    packNetwork(this.actorLayout, state.actorOptimizer.firstMoment, values, this.actor.firstMoment);
    packNetwork(this.actorLayout, state.actorOptimizer.secondMoment, values, this.actor.secondMoment);
    packNetwork(this.criticLayout, state.criticOptimizer.firstMoment, values, this.critic.firstMoment);
    packNetwork(this.criticLayout, state.criticOptimizer.secondMoment, values, this.critic.secondMoment);
    this.actorSteps = state.actorOptimizer.steps;
    this.criticSteps = state.criticOptimizer.steps;
    this.logAlpha.value = Math.fround(state.logAlpha[0] ?? Number.NaN);
    this.logAlpha.firstMoment = Math.fround(state.alphaOptimizer.firstMoment[0] ?? Number.NaN);
    this.logAlpha.secondMoment = Math.fround(state.alphaOptimizer.secondMoment[0] ?? Number.NaN);
    this.logAlpha.steps = state.alphaOptimizer.steps;
    this.policyStale = true;
  }

  /**
   * One SAC gradient step on a minibatch (see the file comment for the order). Returns the statistics
   * in UPDATE_STATS order (criticLoss, actorLoss, alphaLoss, entropy −mean log π(ã|s), mean min Q(s, ã))
   * in an array that is reused by the next call.
   */
  update(batch: Batch, rng: Rng, hp: UpdateHyperparameters): Float32Array {
    const B = batch.size;
    const { observationSize: O, actionSize: A } = this.shape;
    const w = this.workspaceFor(B);
    // ε' (next state) then ε (current state) ~ N(0, 1), as SacAgent.update draws them.
    rng.fillNormal(w.nextNoise);
    rng.fillNormal(w.currentNoise);
    const heap = this.heap;
    const v = heap.values;
    const Bp = w.rowsPadded;
    const [actor1, actor2, actor3] = this.actorLayout.layers as [DenseLayer, DenseLayer, DenseLayer];
    const criticLayers = this.criticLayout.layers;
    const inActor = actor1.inPadded;
    const inCritic = (criticLayers[0] as DenseLayer).inPadded;
    const hidden = actor2.inPadded;
    const headWidth = actor3.outPadded;
    const qWidth = (criticLayers[2] as DenseLayer).outPadded;

    // The minibatch into the heap: [s'; s] for the actor, [s, a] for the critic (padding columns stay zero).
    const { observations, nextObservations, actions } = batch;
    for (let b = 0; b < B; b++) {
      const next = w.actorInput + b * inActor;
      const current = w.actorInput + (Bp + b) * inActor;
      const critic = w.criticInput + b * inCritic;
      for (let i = 0; i < O; i++) {
        const s = observations[b * O + i] as number;
        v[next + i] = nextObservations[b * O + i] as number;
        v[current + i] = s;
        v[critic + i] = s;
      }
      for (let j = 0; j < A; j++) v[critic + O + j] = actions[b * A + j] as number;
    }

    // The actor once on [s'; s]: a' and log π(a'|s') for the target, ã and log π(ã|s) for the actor step.
    const actorParameters = this.actor.parameters;
    denseForward(heap, actor1, actorParameters, w.actorInput, 2 * Bp, 2 * Bp, w.actorHidden1, true);
    denseForward(heap, actor2, actorParameters, w.actorHidden1, 2 * Bp, 2 * Bp, w.actorHidden2, true);
    denseForward(heap, actor3, actorParameters, w.actorHidden2, 2 * Bp, 2 * Bp, w.actorHead, false);
    const samples = w.samples;
    sampleHead(v, w.actorHead, headWidth, B, A, w.nextNoise, samples, 0);
    sampleHead(v, w.actorHead + Bp * headWidth, headWidth, B, A, w.currentNoise, samples, B);
    const alpha = Math.exp(this.logAlpha.value); // α before this step's temperature update

    // Critic target y = r + γ·mask·(min Q̄(s', a') − α log π(a'|s')): plain numbers, no gradient.
    this.fillSampledInput(w, nextObservations, 0);
    this.twinForward(this.targetCritic, w.sampledInput, w);
    const { rewards, masks } = batch;
    for (let b = 0; b < B; b++) {
      const q1 = v[w.q[0] + b * qWidth] as number;
      const q2 = v[w.q[1] + b * qWidth] as number;
      const softValue = (q1 < q2 ? q1 : q2) - alpha * (samples.logProb[b] as number);
      w.target[b] = (rewards[b] as number) + hp.gamma * (masks[b] as number) * softValue;
    }

    // 1. Critic step: L = Σ_twins Σ_b (Q − y)²/B, dL/dQ = 2(Q − y)/B.
    const critic = this.critic;
    this.twinForward(critic.parameters, w.criticInput, w);
    let squaredErrors = 0;
    for (let twin = 0; twin < 2; twin++) {
      const q = w.q[twin] as number;
      const dQ = w.dQ[twin] as number;
      for (let b = 0; b < B; b++) {
        const error = (v[q + b * qWidth] as number) - (w.target[b] as number);
        squaredErrors += error * error;
        v[dQ + b * qWidth] = (2 * error) / B;
      }
    }
    for (let twin = 0; twin < 2; twin++) {
      const [first, second, output] = criticLayers.slice(3 * twin, 3 * twin + 3) as [DenseLayer, DenseLayer, DenseLayer];
      const dQ = w.dQ[twin] as number;
      const hidden1 = w.hidden1[twin] as number;
      const hidden2 = w.hidden2[twin] as number;
      denseKernelGradient(heap, output, critic.gradients, hidden2, B, dQ);
      denseBiasGradient(v, output, critic.gradients, B, dQ);
      denseInputGradient(heap, output, critic.parameters, dQ, Bp, w.delta2);
      reluMask(heap, w.delta2, hidden2, B, hidden, critic.gradients + second.bias);
      denseKernelGradient(heap, second, critic.gradients, hidden1, B, w.delta2);
      denseInputGradient(heap, second, critic.parameters, w.delta2, Bp, w.delta1);
      reluMask(heap, w.delta1, hidden1, B, hidden, critic.gradients + first.bias);
      denseKernelGradient(heap, first, critic.gradients, w.criticInput, B, w.delta1);
    }
    this.criticSteps += 1;
    const criticStep = adamStepScalars(hp.criticLr, this.criticSteps);
    heap.adam(critic.parameters, critic.gradients, critic.firstMoment, critic.secondMoment, this.criticLayout.size, criticStep.stepSize, criticStep.inverseRootCorrection2);

    // 2. Actor step against the just-updated critic: L = mean(α log π(ã|s) − min Q(s, ã)).
    this.fillSampledInput(w, observations, B);
    this.twinForward(critic.parameters, w.sampledInput, w);
    let actorLossSum = 0;
    let minQSum = 0;
    let logProbSum = 0;
    for (let b = 0; b < B; b++) {
      const q1 = v[w.q[0] + b * qWidth] as number;
      const q2 = v[w.q[1] + b * qWidth] as number;
      const minQ = q1 < q2 ? q1 : q2;
      const logProb = samples.logProb[B + b] as number;
      w.minQ[b] = minQ;
      actorLossSum += alpha * logProb - minQ;
      minQSum += minQ;
      logProbSum += logProb;
      // d min/dQ_twin = [Q_twin = min] (both on a tie, as tf.min's gradient), times dL/dmin Q = −1/B.
      v[w.dQ[0] + b * qWidth] = q1 === minQ ? -1 / B : 0;
      v[w.dQ[1] + b * qWidth] = q2 === minQ ? -1 / B : 0;
    }
    // dL/dã through both twins: δ back to the first layer, then the action rows of its kernel.
    w.dAction.fill(0);
    for (let twin = 0; twin < 2; twin++) {
      const [first, second, output] = criticLayers.slice(3 * twin, 3 * twin + 3) as [DenseLayer, DenseLayer, DenseLayer];
      denseInputGradient(heap, output, critic.parameters, w.dQ[twin] as number, Bp, w.delta2);
      reluMask(heap, w.delta2, w.hidden2[twin] as number, B, hidden, -1);
      denseInputGradient(heap, second, critic.parameters, w.delta2, Bp, w.delta1);
      reluMask(heap, w.delta1, w.hidden1[twin] as number, B, hidden, -1);
      denseInputGradient(heap, first, critic.parameters, w.delta1, Bp, w.inputGradient);
      for (let b = 0; b < B; b++) {
        const row = w.inputGradient + b * inCritic + O;
        for (let j = 0; j < A; j++) w.dAction[b * A + j] = (w.dAction[b * A + j] as number) + (v[row + j] as number);
      }
    }
    headGradient(samples, B, B, A, w.dAction, alpha / B, v, w.dHead, headWidth);
    // Back through the actor on the s rows (rows Bp … of its activations).
    const actor = this.actor;
    const input = w.actorInput + Bp * inActor;
    const hidden1 = w.actorHidden1 + Bp * hidden;
    const hidden2 = w.actorHidden2 + Bp * hidden;
    denseKernelGradient(heap, actor3, actor.gradients, hidden2, B, w.dHead);
    denseBiasGradient(v, actor3, actor.gradients, B, w.dHead);
    denseInputGradient(heap, actor3, actor.parameters, w.dHead, Bp, w.delta2);
    reluMask(heap, w.delta2, hidden2, B, hidden, actor.gradients + actor2.bias);
    denseKernelGradient(heap, actor2, actor.gradients, hidden1, B, w.delta2);
    denseInputGradient(heap, actor2, actor.parameters, w.delta2, Bp, w.delta1);
    reluMask(heap, w.delta1, hidden1, B, hidden, actor.gradients + actor1.bias);
    denseKernelGradient(heap, actor1, actor.gradients, input, B, w.delta1);
    this.actorSteps += 1;
    const actorStep = adamStepScalars(hp.actorLr, this.actorSteps);
    heap.adam(actor.parameters, actor.gradients, actor.firstMoment, actor.secondMoment, this.actorLayout.size, actorStep.stepSize, actorStep.inverseRootCorrection2);
    this.policyStale = true;

    // 3. Temperature step with log π detached: dJ/dlog α = −mean(log π + H̄); J = log α · that.
    const alphaGradient = -((logProbSum + B * hp.targetEntropy) / B);
    const alphaLoss = this.logAlpha.value * alphaGradient;
    scalarAdamStep(this.logAlpha, alphaGradient, hp.alphaLr);

    // 4. Soft target update θ̄ ← τθ + (1 − τ)θ̄ (padding: 0 stays 0).
    heap.softUpdate(this.targetCritic, critic.parameters, this.criticLayout.size, hp.tau);

    const stats = this.stats;
    stats[0] = squaredErrors / B;
    stats[1] = actorLossSum / B;
    stats[2] = alphaLoss;
    stats[3] = -logProbSum / B;
    stats[4] = minQSum / B;
    return stats;
  }

  dispose(): void {
    // Nothing to free: the heap is garbage-collected with the agent.
    this.workspace = null;
  }

  /** [s, a'] rows of the sampled input: observations (s' or s) with the actions of samples from firstSample. */
  private fillSampledInput(w: Workspace, observations: Float32Array, firstSample: number): void {
    const { observationSize: O, actionSize: A } = this.shape;
    const v = this.heap.values;
    const width = (this.criticLayout.layers[0] as DenseLayer).inPadded;
    const actions = w.samples.action;
    for (let b = 0; b < w.batchSize; b++) {
      const row = w.sampledInput + b * width;
      for (let i = 0; i < O; i++) v[row + i] = observations[b * O + i] as number;
      for (let j = 0; j < A; j++) v[row + O + j] = actions[(firstSample + b) * A + j] as number;
    }
  }

  /** Both critics of the network at `network` on `input`: hidden layers and [Q | 0 …] per twin into the workspace. */
  private twinForward(network: number, input: number, w: Workspace): void {
    const layers = this.criticLayout.layers;
    const Bp = w.rowsPadded;
    const B = w.batchSize;
    for (let twin = 0; twin < 2; twin++) {
      const [first, second, output] = layers.slice(3 * twin, 3 * twin + 3) as [DenseLayer, DenseLayer, DenseLayer];
      denseForward(this.heap, first, network, input, Bp, B, w.hidden1[twin] as number, true);
      denseForward(this.heap, second, network, w.hidden1[twin] as number, Bp, B, w.hidden2[twin] as number, true);
      denseForward(this.heap, output, network, w.hidden2[twin] as number, Bp, B, w.q[twin] as number, false);
    }
  }

  /** The workspace for minibatch size B (re-planned, and zeroed, when B changes: batch_size is live). */
  private workspaceFor(B: number): Workspace {
    if (this.workspace?.batchSize === B) return this.workspace;
    const plan = new HeapPlan(this.networksEnd);
    const workspace = planWorkspace(plan, B, this.actorLayout, this.criticLayout, this.shape.actionSize);
    this.heap.ensure(plan.end + HEAP_SLACK);
    this.heap.values.fill(0, workspace.start, plan.end + HEAP_SLACK);
    this.workspace = workspace;
    return workspace;
  }

  private currentPolicy(): CpuPolicy {
    if (this.policyStale) {
      this.policy.load(this.actorParameters());
      this.policyStale = false;
    }
    return this.policy;
  }

  private temporaryActor(parameters: Float32Array): ActorNetwork {
    const { observationSize: O, actionSize: A, hiddenSize: H } = this.shape;
    const actor = new ActorNetwork(null, O, A, H);
    try {
      actor.setParameters(parameters);
    } catch (error) {
      actor.dispose();
      throw error;
    }
    return actor;
  }
}
