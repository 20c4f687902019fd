/**
 * K SAC agents of the same network size as one batched computation: every parameter carries a leading
 * member axis ([K, in, out] for the actor, [2K, in, out] for the twin critics, twin-major), the
 * optimiser moments are batched too (batchedAdam.ts), and one update() runs the lecture's train_model
 * for all members at once (critic, actor against the updated critic, α, soft update; src/rl/sac/agent.ts)
 * with each member's own minibatch, noise, learning rates, γ, τ and H̄.
 *
 * Member k is initialised exactly as `new SacAgent(rng_k, shape)` would be (same draws in the same
 * order), so a member reproduces the single-run SacAgent with its seed; tests check it update by update.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../replayBuffer';
import type { Rng } from '../rng';
import type { AgentShape, UpdateHyperparameters } from '../sac/agent';
import { UPDATE_STATS } from '../sac/agentState';
import { CpuPolicy } from '../sac/cpuPolicy';
// A member starts exactly like a single SAC run: the same initialisers, the same draw order.
import { initialActorParameters, linearInit, makeVariable } from '../sac/networks';
import { BatchedAdam } from './batchedAdam';
import {
  BatchMatMul,
  batchedActorStep,
  batchedAlphaStep,
  batchedCriticStep,
  batchedCriticTarget,
  batchedPolicyForward,
  batchedTwinForward,
  defaultMatMulMode,
  type BatchedStack,
  type MatMulMode,
} from './batchedMath';

export { UPDATE_STATS };

/** One member's networks as SacAgent lays them out (flat, `variables` order). */
export interface MemberParameters {
  actor: Float32Array;
  /** Q1's six parameters, then Q2's (TwinCriticNetwork layout). */
  critic: Float32Array;
  targetCritic: Float32Array;
  logAlpha: number;
}

function concatArrays(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A fresh Q network's flat weights [kernel1 | bias1 | kernel2 | bias2 | kernel3 | bias3] (TwinCriticNetwork's draws, one twin). */
export function initialQParameters(rng: Rng, observationSize: number, actionSize: number, hiddenSize: number): Float32Array {
  const inputSize = observationSize + actionSize;
  const H = hiddenSize;
  return concatArrays([
    linearInit(rng, inputSize * H, inputSize),
    linearInit(rng, H, inputSize),
    linearInit(rng, H * H, H),
    linearInit(rng, H, H),
    linearInit(rng, H, H),
    linearInit(rng, 1, H),
  ]);
}

/** Shapes [in, out] of Dense(relu) → Dense(relu) → Dense's six parameters, biases as [1, out]. */
function stackShapes(inputSize: number, hiddenSize: number, outputSize: number): number[][] {
  return [[inputSize, hiddenSize], [1, hiddenSize], [hiddenSize, hiddenSize], [1, hiddenSize], [hiddenSize, outputSize], [1, outputSize]];
}

/** Element counts of stackShapes. */
function stackSizes(inputSize: number, hiddenSize: number, outputSize: number): number[] {
  return stackShapes(inputSize, hiddenSize, outputSize).map(([rows, cols]) => (rows ?? 0) * (cols ?? 0));
}

/**
 * Variables with a leading row axis from per-row flat stacks (each row: the six parameters in order).
 * rows[r] is row r's flat values.
 */
function batchedVariables(rows: readonly Float32Array[], shapes: number[][], trainable = true): tf.Variable[] {
  const R = rows.length;
  const sizes = shapes.map(([a, b]) => (a ?? 0) * (b ?? 0));
  let offset = 0;
  return shapes.map((shape, index) => {
    const size = sizes[index] ?? 0;
    const values = new Float32Array(R * size);
    rows.forEach((row, r) => values.set(row.subarray(offset, offset + size), r * size));
    offset += size;
    return makeVariable(values, [R, ...shape], trainable);
  });
}

export class PopulationAgent {
  readonly members: number;
  readonly shape: AgentShape;
  readonly matMul: BatchMatMul;
  /** Actor [K, …]: kernel1, bias1, kernel2, bias2, head kernel (μ | log σ), head bias. */
  readonly actor: tf.Variable[];
  /** Twin critics [2K, …], row t·K + k = twin t of member k. */
  readonly critic: tf.Variable[];
  readonly targetCritic: tf.Variable[];
  /** log α per member, [K, 1, 1]. */
  readonly logAlpha: tf.Variable;
  private readonly actorOptimizer: BatchedAdam;
  private readonly criticOptimizer: BatchedAdam;
  private readonly alphaOptimizer: BatchedAdam;
  /** CPU copies of each member's actor for acting (one read-back per sync for all members). */
  private readonly policies: CpuPolicy[];
  private readonly policyOutput: Float32Array;
  private updatesSincePolicySync = 0;
  /** Updates between refreshes of the CPU acting copies (1: always the current actors, as SacAgent's default). */
  policySyncInterval = 1;
  /** Reused upload [K, B, width] and noise buffers. */
  private packed: Float32Array | null = null;
  private nextNoise = new Float32Array(0);
  private currentNoise = new Float32Array(0);

  /**
   * `rngs[k]` is member k's generator: its weights are drawn from it exactly as SacAgent's constructor
   * draws them (actor, then critic). `initialAlphas[k]`: α at the start (default shape.initialAlpha).
   */
  constructor(rngs: readonly Rng[], shape: AgentShape, options: { matMulMode?: MatMulMode; initialAlphas?: readonly number[] } = {}) {
    if (rngs.length < 1) throw new RangeError('A population needs at least one member');
    this.members = rngs.length;
    this.shape = shape;
    this.matMul = new BatchMatMul(options.matMulMode ?? defaultMatMulMode(tf.getBackend()));
    const { observationSize: O, actionSize: A, hiddenSize: H } = shape;
    const actorRows: Float32Array[] = [];
    const criticRows: Float32Array[][] = [[], []];
    for (const rng of rngs) {
      // The same draws as SacAgent: actor, then twin critic (Q1's layers before Q2's); no draws for the target.
      actorRows.push(initialActorParameters(rng, O, A, H));
      criticRows[0]?.push(initialQParameters(rng, O, A, H));
      criticRows[1]?.push(initialQParameters(rng, O, A, H));
    }
    const twinRows = [...(criticRows[0] ?? []), ...(criticRows[1] ?? [])]; // twin-major
    this.actor = batchedVariables(actorRows, stackShapes(O, H, 2 * A));
    this.critic = batchedVariables(twinRows, stackShapes(O + A, H, 1));
    this.targetCritic = batchedVariables(twinRows, stackShapes(O + A, H, 1), false); // hard_target_update at start
    const alphas = options.initialAlphas ?? new Array<number>(this.members).fill(shape.initialAlpha);
    this.logAlpha = makeVariable(Float32Array.from(alphas, (alpha) => Math.log(alpha)), [this.members, 1, 1]);
    this.actorOptimizer = new BatchedAdam(this.actor);
    this.criticOptimizer = new BatchedAdam(this.critic);
    this.alphaOptimizer = new BatchedAdam([this.logAlpha]);
    this.policies = rngs.map(() => new CpuPolicy(O, A, H));
    this.policyOutput = new Float32Array(2 * A);
    this.syncPolicies();
  }

  /** Copies every member's actor into its CPU acting copy: six read-backs for all members together. */
  syncPolicies(): void {
    const K = this.members;
    const { observationSize: O, actionSize: A, hiddenSize: H } = this.shape;
    const sizes = stackSizes(O, H, 2 * A);
    const values = this.actor.map((variable) => variable.dataSync() as Float32Array);
    const flat = new Float32Array(sizes.reduce((sum, size) => sum + size, 0));
    for (let k = 0; k < K; k++) {
      let offset = 0;
      values.forEach((data, index) => {
        const size = sizes[index] ?? 0;
        flat.set(data.subarray(k * size, (k + 1) * size), offset);
        offset += size;
      });
      this.policies[k]?.load(flat);
    }
    this.updatesSincePolicySync = 0;
  }

  /**
   * Member k's exploration action z = μ + σ·ε, a = tanh(z), torque = scale·a, from its CPU copy and its
   * generator (SacAgent.act). Writes into `squashed` and `torque`.
   */
  act(member: number, observation: Float32Array, rng: Rng, squashed: Float32Array, torque: Float32Array, actionScale = this.shape.actionScale): void {
    const A = this.shape.actionSize;
    const policy = this.policies[member];
    if (!policy) throw new RangeError(`No member ${member}`);
    const meanAndLogStd = policy.meanAndLogStd(observation, this.policyOutput);
    for (let i = 0; i < A; i++) {
      const z = (meanAndLogStd[i] ?? 0) + Math.exp(meanAndLogStd[A + i] ?? 0) * rng.normal();
      squashed[i] = Math.tanh(z);
      torque[i] = actionScale * Math.tanh(z);
    }
  }

  /** Member k's deterministic torque scale·tanh(μ) from its CPU copy (the lecture's test.py action). */
  deterministicTorque(member: number, observation: Float32Array, actionScale = this.shape.actionScale): Float32Array {
    const A = this.shape.actionSize;
    const meanAndLogStd = this.policies[member]?.meanAndLogStd(observation, new Float32Array(2 * A));
    if (!meanAndLogStd) throw new RangeError(`No member ${member}`);
    return Float32Array.from(meanAndLogStd.subarray(0, A), (mean) => actionScale * Math.tanh(mean));
  }

  /** α = exp(log α) of every member (one read-back). */
  alphas(): Float32Array {
    return Float32Array.from(this.logAlpha.dataSync(), (logAlpha) => Math.exp(logAlpha));
  }

  /** Member k's networks in SacAgent's flat layouts (reads back: for tests, checkpoints and export, not per step). */
  memberParameters(member: number): MemberParameters {
    const K = this.members;
    const rowsOf = (variables: tf.Variable[], row: number): Float32Array[] =>
      variables.map((variable) => {
        const size = variable.size / variable.shape[0];
        return Float32Array.from((variable.dataSync() as Float32Array).subarray(row * size, (row + 1) * size));
      });
    const concat = concatArrays;
    return {
      actor: concat(rowsOf(this.actor, member)),
      critic: concat([...rowsOf(this.critic, member), ...rowsOf(this.critic, K + member)]),
      targetCritic: concat([...rowsOf(this.targetCritic, member), ...rowsOf(this.targetCritic, K + member)]),
      logAlpha: this.logAlpha.dataSync()[member] ?? Number.NaN,
    };
  }

  /** Member k's flat actor weights (the CPU policy's layout; what a single run keeps as its best actor). */
  actorParameters(member: number): Float32Array {
    return this.memberParameters(member).actor;
  }

  /**
   * One SAC gradient step for every member (SacAgent.update per member, batched). `batches[k]`,
   * `rngs[k]`, `hyperparameters[k]`: member k's minibatch, generator (its noise ε' then ε is drawn
   * from it, as SacAgent draws it) and live settings. `active[k] === false` leaves member k untouched
   * (a stopped member: no noise drawn, no parameter, moment, α or target change). Returns the
   * statistics [K, 5] in UPDATE_STATS order, on the device (caller disposes).
   */
  update(batches: readonly Batch[], rngs: readonly Rng[], hyperparameters: readonly UpdateHyperparameters[], active?: readonly boolean[]): tf.Tensor2D {
    const K = this.members;
    if (batches.length !== K || rngs.length !== K || hyperparameters.length !== K) throw new RangeError(`update needs ${K} batches, generators and settings`);
    const B = batches[0]?.size ?? 0;
    if (!batches.every((batch) => batch.size === B)) throw new RangeError('Every member needs the same minibatch size');
    const O = this.shape.observationSize;
    const A = this.shape.actionSize;
    const isActive = (k: number): boolean => active === undefined || active[k] !== false;
    const columns = [O, A, 1, O, 1, A, A];
    const width = columns.reduce((sum, n) => sum + n, 0);
    if (!this.packed || this.packed.length !== K * B * width) {
      this.packed = new Float32Array(K * B * width);
      this.nextNoise = new Float32Array(B * A);
      this.currentNoise = new Float32Array(B * A);
    }
    const packed = this.packed;
    // One upload for all members: [s | a | r | s' | mask | ε' | ε] per row, as SacAgent packs it.
    for (let k = 0; k < K; k++) {
      const batch = batches[k] as Batch;
      const rng = rngs[k] as Rng;
      const memberActive = isActive(k);
      const nextNoise = memberActive ? rng.fillNormal(this.nextNoise) : this.nextNoise.fill(0);
      const currentNoise = memberActive ? rng.fillNormal(this.currentNoise) : this.currentNoise.fill(0);
      for (let row = 0; row < B; row++) {
        let offset = (k * B + row) * width;
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
    }
    const perMember = (value: (k: number) => number): Float32Array => Float32Array.from({ length: K }, (_, k) => value(k));
    const rate = (key: 'actorLr' | 'criticLr' | 'alphaLr') => (k: number): number | null => (isActive(k) ? (hyperparameters[k] as UpdateHyperparameters)[key] : null);
    const actorRates = Array.from({ length: K }, (_, k) => rate('actorLr')(k));
    const criticRates = [...Array.from({ length: K }, (_, k) => rate('criticLr')(k)), ...Array.from({ length: K }, (_, k) => rate('criticLr')(k))];
    const alphaRates = Array.from({ length: K }, (_, k) => rate('alphaLr')(k));
    const gammas = perMember((k) => (hyperparameters[k] as UpdateHyperparameters).gamma);
    const targetEntropies = perMember((k) => (hyperparameters[k] as UpdateHyperparameters).targetEntropy);
    // τ per critic row (twin-major); 0 freezes a stopped member's target.
    const taus = Float32Array.from({ length: 2 * K }, (_, row) => (isActive(row % K) ? (hyperparameters[row % K] as UpdateHyperparameters).tau : 0));

    const mm = this.matMul;
    const stats = tf.tidy(() => {
      const [observations, actions, rewards, nextObservations, masks, nextEpsilon, epsilon] = tf.split(tf.tensor3d(packed, [K, B, width]), columns, 2) as tf.Tensor3D[] as [
        tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D,
      ];
      const actorParams = this.actor as unknown as BatchedStack;
      const criticParams = this.critic as unknown as BatchedStack;
      const alpha = tf.exp(this.logAlpha) as tf.Tensor3D; // α before this step's temperature update
      const gamma = tf.tensor3d(gammas, [K, 1, 1]);

      // Critic target y = r + γ·mask·(min Q̄(s', a') − α log π(a'|s')): a plain tensor, no gradient.
      const next = batchedPolicyForward(mm, actorParams, nextObservations, nextEpsilon);
      const nextTargetQ = batchedTwinForward(mm, this.targetCritic as unknown as BatchedStack, nextObservations, next.action).q;
      const target = batchedCriticTarget(rewards, masks, nextTargetQ, next.logProb, { gamma, alpha });

      // 1. Critic step: MSE(Q1, y) + MSE(Q2, y).
      const critic = batchedCriticStep(mm, criticParams, observations, actions, target);
      this.criticOptimizer.step(critic.gradients, criticRates);

      // 2. Actor step against the just-updated critic: mean(α log π(ã|s) − min Q(s, ã)).
      const actor = batchedActorStep(mm, actorParams, criticParams, observations, epsilon, alpha);
      this.actorOptimizer.step(actor.gradients, actorRates);

      // 3. Temperature step on log α with log π detached.
      const temperature = batchedAlphaStep(this.logAlpha as tf.Tensor3D, actor.logProb, tf.tensor3d(targetEntropies, [K, 1, 1]));
      this.alphaOptimizer.step([temperature.gradient], alphaRates);

      // 4. Soft target update θ̄ ← τθ + (1 − τ)θ̄, τ per member.
      const tau = tf.tensor3d(taus, [2 * K, 1, 1]);
      const oneMinusTau = tf.tensor3d(taus.map((value) => 1 - value), [2 * K, 1, 1]);
      this.critic.forEach((variable, index) => {
        const targetVariable = this.targetCritic[index] as tf.Variable;
        targetVariable.assign(tf.add(tf.mul(variable, tau), tf.mul(targetVariable, oneMinusTau)));
      });

      return tf.stack(
        [critic.loss, actor.loss, temperature.loss, tf.neg(tf.mean(actor.logProb, [1, 2])), tf.mean(actor.minQ, [1, 2])],
        1,
      ) as tf.Tensor2D;
    });
    this.updatesSincePolicySync += 1;
    if (this.updatesSincePolicySync >= this.policySyncInterval) this.syncPolicies();
    return stats;
  }

  dispose(): void {
    for (const variable of [...this.actor, ...this.critic, ...this.targetCritic, this.logAlpha]) variable.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer.dispose();
  }
}
