/**
 * K SAC runs of the same network size (the seeds of a group) trained as one population: each member has
 * its own generator (its seed), Pendulum, replay buffer, episode metrics, stop state and live config;
 * all members share one PopulationAgent, so a population step is: every active member acts (CPU copy of
 * its actor) and steps its env, then one batched update for all of them.
 *
 * Member k follows src/rl/trainer.ts's loop draw for draw (act → env step → store → sample → update,
 * updates once its steps > batch_size; stop rule and limits per episode), so a member with seed s is the
 * run a single Trainer with seed s makes (up to float rounding of the batched kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { SAC_DESCRIPTOR } from '../algorithm';
import { Pendulum } from '../env/pendulum';
import { isSwingUp, mean, stopRuleReason } from '../episodeRules';
import { ReplayBuffer, allocateBatch, type Batch } from '../replayBuffer';
import { Rng } from '../rng';
import type { UpdateHyperparameters } from '../sac/agent';
import { validateConfig, type SacConfig } from '../sac/config';
import type { EpisodeMetrics, PendulumState, StopReason } from '../types';
import type { MatMulMode } from './batchedMath';
import { PopulationAgent, UPDATE_STATS } from './populationAgent';

/** Settings every member must share: they fix the tensor shapes of the batched computation. */
export const SHARED_KEYS = ['hiddenSize', 'batchSize'] as const;

export interface PopulationSliceResult {
  /** Population steps run (each steps every member still running). */
  steps: number;
  /** Episodes that ended in this slice, per member. */
  episodes: EpisodeMetrics[][];
  /** Per member: set once it has stopped. */
  stopReasons: Array<StopReason | null>;
}

const now = (): number => performance.now();

class Member {
  config: SacConfig;
  readonly rng: Rng;
  readonly env = new Pendulum();
  readonly buffer: ReplayBuffer;
  batch: Batch;
  observation: Float32Array;
  readonly squashed: Float32Array;
  readonly torque: Float32Array;
  stepCount = 0;
  episodeCount = 0;
  updateCount = 0;
  episodeScore = 0;
  episodeUpdates = 0;
  episodeStartSeconds = 0;
  scores: number[] = [];
  stopped: StopReason | null = null;
  goalEpisode: number | null = null;
  readonly history: EpisodeMetrics[] = [];
  best: { value: number; episode: number; step: number; actor: Float32Array } | null = null;
  swingUpAt: number | null = null;
  /** The last env step ended the episode (truncated at 200 steps). */
  episodeEnded = false;

  constructor(config: SacConfig) {
    this.config = { ...config };
    this.rng = new Rng(config.seed);
    this.buffer = new ReplayBuffer(config.bufferSize, this.env.observationSize, this.env.actionSize);
    this.batch = allocateBatch(config.batchSize, this.env.observationSize, this.env.actionSize);
    this.observation = new Float32Array(this.env.observationSize);
    this.squashed = new Float32Array(this.env.actionSize);
    this.torque = new Float32Array(this.env.actionSize);
  }
}

export class PopulationTrainer {
  readonly agent: PopulationAgent;
  private readonly members: Member[];
  private trainingSeconds = 0;
  /** Per-member sums of the update statistics over the current episode, [K, 5], kept on the device. */
  private statsSum: tf.Tensor2D | null = null;

  private constructor(configs: readonly SacConfig[], matMulMode?: MatMulMode) {
    this.members = configs.map((config) => new Member(config));
    const first = configs[0] as SacConfig;
    const env = this.members[0]?.env as Pendulum;
    // Same order as Trainer: the agent's weights are drawn from the run's generator, then the env's reset seed.
    this.agent = new PopulationAgent(
      this.members.map((member) => member.rng),
      { observationSize: env.observationSize, actionSize: env.actionSize, hiddenSize: first.hiddenSize, initialAlpha: first.initialAlpha, actionScale: first.actionScale },
      { matMulMode, initialAlphas: configs.map((config) => config.initialAlpha) },
    );
    for (const member of this.members) member.observation = member.env.reset({ seed: member.rng.nextUint32() });
    // WebGL: refresh the acting copies every 10 updates instead of a GPU read-back per step (as SAC's
    // WEBGL_POLICY_SYNC_INTERVAL in src/rl/sac/sacAlgorithm.ts).
    if (tf.getBackend() === 'webgl') this.agent.policySyncInterval = 10;
  }

  /**
   * A population of SAC runs, one per config (seeds, learning rates, … may differ; hiddenSize and
   * batchSize must be equal). Throws RangeError listing every problem.
   */
  static async create(configs: readonly SacConfig[], options: { matMulMode?: MatMulMode } = {}): Promise<PopulationTrainer> {
    const errors = populationConfigProblems(configs);
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    await tf.ready();
    return new PopulationTrainer(configs, options.matMulMode);
  }

  get size(): number {
    return this.members.length;
  }
  get trainingTimeSeconds(): number {
    return this.trainingSeconds;
  }
  /** Population steps so far (= the env steps of a member that never stopped). */
  get totalSteps(): number {
    return Math.max(...this.members.map((member) => member.stepCount));
  }
  /** Env steps of all members together. */
  get aggregateSteps(): number {
    return this.members.reduce((sum, member) => sum + member.stepCount, 0);
  }
  get running(): boolean {
    return this.members.some((member) => member.stopped === null);
  }

  private member(index: number): Member {
    const member = this.members[index];
    if (!member) throw new RangeError(`No member ${index} (population of ${this.members.length})`);
    return member;
  }

  /** Member k's view, with the fields a single Trainer has (what a session adapter exposes). */
  memberView(index: number): {
    config: SacConfig;
    totalSteps: number;
    episodesDone: number;
    updates: number;
    stopReason: StopReason | null;
    goalReachedAtEpisode: number | null;
    metrics: readonly EpisodeMetrics[];
    episodeScores: readonly number[];
    best100: { value: number; episode: number } | null;
    swingUpStep: number | null;
  } {
    const member = this.member(index);
    return {
      config: { ...member.config },
      totalSteps: member.stepCount,
      episodesDone: member.episodeCount,
      updates: member.updateCount,
      stopReason: member.stopped,
      goalReachedAtEpisode: member.goalEpisode,
      metrics: member.history,
      episodeScores: member.scores,
      best100: member.best === null ? null : { value: member.best.value, episode: member.best.episode },
      swingUpStep: member.swingUpAt,
    };
  }

  pendulumState(index: number): PendulumState {
    const { env } = this.member(index);
    return { theta: env.theta, thetaDot: env.thetaDot, torque: env.lastTorque };
  }

  /** Member k's deterministic torque actionScale·tanh(μ) (its CPU actor copy). */
  deterministicTorque(index: number, observation: Float32Array): number {
    return this.agent.deterministicTorque(index, observation, this.member(index).config.actionScale)[0] ?? 0;
  }

  /** Member k's current ('final') or best flat actor weights (SacAgent's layout). */
  actorParameters(index: number, which: 'final' | 'best'): Float32Array | null {
    if (which === 'final') return this.agent.actorParameters(index);
    const best = this.member(index).best;
    return best === null ? null : best.actor.slice();
  }

  /**
   * Live settings for member k, from its next update (Trainer.setLiveConfig's rules; hiddenSize and
   * batchSize are shared and restart-only here). Throws RangeError, changing nothing, naming every problem.
   */
  setLiveConfig(index: number, partial: Partial<SacConfig>): void {
    const member = this.member(index);
    const errors = validateConfig(partial);
    for (const key of Object.keys(partial) as Array<keyof SacConfig>) {
      const restartOnly = ['hiddenSize', 'initialAlpha', 'bufferSize', 'seed', 'actionScale', 'batchSize'].includes(key);
      if (restartOnly && partial[key] !== member.config[key]) errors.push(`${key} applies only when the population restarts`);
    }
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    member.config = { ...member.config, ...partial };
    if (member.stopped !== null && member.stopped !== 'nonFinite' && member.stopped !== 'user') member.stopped = this.checkStopRule(member);
  }

  /** The user's Stop for member k (permanent, as Trainer.stop). */
  stop(index: number): void {
    const member = this.member(index);
    if (member.stopped !== 'nonFinite') member.stopped = 'user';
  }

  /** Runs up to `maxSteps` population steps; returns early once every member has stopped. */
  runFor(maxSteps: number): PopulationSliceResult {
    const sliceStart = now();
    const secondsBefore = this.trainingSeconds;
    const clock = (): number => secondsBefore + (now() - sliceStart) / 1000;
    const episodes: EpisodeMetrics[][] = this.members.map(() => []);
    let steps = 0;
    try {
      while (steps < maxSteps && this.running) {
        this.stepOnce(clock, episodes);
        steps += 1;
      }
    } finally {
      this.trainingSeconds = clock();
    }
    return { steps, episodes, stopReasons: this.members.map((member) => member.stopped) };
  }

  /** Every running member: act → step → store; then one batched update for the members whose steps > batch_size. */
  private stepOnce(clock: () => number, episodes: EpisodeMetrics[][]): void {
    const members = this.members;
    const learning: boolean[] = [];
    members.forEach((member, index) => {
      learning[index] = false;
      if (member.stopped !== null) return;
      this.agent.act(index, member.observation, member.rng, member.squashed, member.torque, member.config.actionScale);
      if (!member.torque.every(Number.isFinite)) {
        member.stopped = 'nonFinite';
        return;
      }
      const result = member.env.step(member.torque);
      member.stepCount += 1;
      member.episodeScore += result.reward;
      // Mask 1 unless the MDP really terminated: a time-limit truncation still bootstraps (SAC-SPEC.md).
      member.buffer.add({ observation: member.observation, action: member.squashed, reward: result.reward, nextObservation: result.observation, mask: result.terminated ? 0 : 1 });
      member.observation = result.observation;
      if (member.stepCount > member.config.batchSize && member.buffer.size > 0) {
        member.buffer.sample(member.rng, member.batch);
        learning[index] = true;
      }
      member.episodeEnded = result.terminated || result.truncated;
    });

    if (learning.some(Boolean)) {
      const stats = this.agent.update(
        members.map((member) => member.batch),
        members.map((member) => member.rng),
        members.map((member) => hyperparameters(member.config)),
        learning,
      );
      // Sum only the learning members' rows: a mask column keeps the others' sums unchanged.
      const previous = this.statsSum;
      this.statsSum = tf.tidy(() => {
        const masked = tf.mul(stats, tf.tensor2d(Float32Array.from(learning, (value) => (value ? 1 : 0)), [members.length, 1])) as tf.Tensor2D;
        return previous ? (tf.add(previous, masked) as tf.Tensor2D) : masked;
      });
      previous?.dispose();
      stats.dispose();
      members.forEach((member, index) => {
        if (!learning[index]) return;
        member.updateCount += 1;
        member.episodeUpdates += 1;
      });
    }

    // Episode ends: one read-back of all members' statistics sums (members end episodes together).
    const ending = members.map((member) => member.episodeEnded);
    if (ending.some(Boolean)) {
      const sums = this.statsSum ? (this.statsSum.arraySync() as number[][]) : null;
      const alphas = this.agent.alphas();
      const seconds = clock();
      const keep = members.map((_, index) => !ending[index]);
      // Members still mid-episode keep their sums; the others start from zero.
      if (this.statsSum) {
        const previous = this.statsSum;
        this.statsSum = tf.tidy(() => tf.mul(previous, tf.tensor2d(Float32Array.from(keep, (value) => (value ? 1 : 0)), [members.length, 1])) as tf.Tensor2D);
        previous.dispose();
      }
      members.forEach((member, index) => {
        if (!ending[index]) return;
        member.episodeEnded = false;
        const metrics = this.finishEpisode(member, index, sums?.[index] ?? null, alphas[index] ?? Number.NaN, seconds);
        episodes[index]?.push(metrics);
        member.observation = member.env.reset();
      });
    }
    for (const member of members) {
      if (member.stopped === null && member.config.maxSteps > 0 && member.stepCount >= member.config.maxSteps) member.stopped = 'maxSteps';
    }
  }

  /** Trainer.finishEpisode for one member: metrics, NaN stop, best actor, swing-up, stop rule. */
  private finishEpisode(member: Member, index: number, sums: number[] | null, alpha: number, seconds: number): EpisodeMetrics {
    member.episodeCount += 1;
    member.scores.push(member.episodeScore);
    const statMeans: Record<string, number> = {};
    UPDATE_STATS.forEach((key, statIndex) => {
      statMeans[key] = sums && member.episodeUpdates > 0 ? (sums[statIndex] ?? Number.NaN) / member.episodeUpdates : Number.NaN;
    });
    const endValues: Record<string, number> = { alpha };
    const algorithmMetrics: Record<string, number> = {};
    for (const { key } of SAC_DESCRIPTOR.metrics) algorithmMetrics[key] = endValues[key] ?? statMeans[key] ?? Number.NaN;
    const episodeSeconds = seconds - member.episodeStartSeconds;
    const metrics: EpisodeMetrics = {
      episode: member.episodeCount,
      step: member.stepCount,
      score: member.episodeScore,
      avg100: mean(member.scores.slice(-100)),
      avg10: mean(member.scores.slice(-10)),
      ...algorithmMetrics,
      updates: member.episodeUpdates,
      updatesPerSecond: episodeSeconds > 0 ? member.episodeUpdates / episodeSeconds : 0,
      wallSeconds: seconds,
    };
    member.history.push(metrics);
    member.episodeScore = 0;
    member.episodeUpdates = 0;
    member.episodeStartSeconds = seconds;
    const mustBeFinite = metrics.updates > 0 ? Object.keys(algorithmMetrics) : Object.keys(endValues);
    if (!mustBeFinite.every((key) => Number.isFinite(metrics[key]))) {
      member.stopped = 'nonFinite';
      return metrics;
    }
    if (member.best === null || metrics.avg100 > member.best.value) {
      member.best = { value: metrics.avg100, episode: metrics.episode, step: metrics.step, actor: this.agent.actorParameters(index) };
    }
    if (member.swingUpAt === null && isSwingUp(metrics)) member.swingUpAt = metrics.step;
    member.stopped = this.checkStopRule(member);
    return metrics;
  }

  private checkStopRule(member: Member): StopReason | null {
    const reason = stopRuleReason(member.config, member.scores, member.episodeCount, member.stepCount);
    if (reason === 'goal') member.goalEpisode ??= member.episodeCount;
    return reason;
  }

  dispose(): void {
    this.statsSum?.dispose();
    this.statsSum = null;
    this.agent.dispose();
  }
}

function hyperparameters(config: SacConfig): UpdateHyperparameters {
  return { gamma: config.gamma, tau: config.tau, actorLr: config.actorLr, criticLr: config.criticLr, alphaLr: config.alphaLr, targetEntropy: config.targetEntropy };
}

/** Every problem with a population's configs: each member's ranges, and the shared settings equal across members. */
export function populationConfigProblems(configs: readonly SacConfig[]): string[] {
  if (configs.length < 1) return ['A population needs at least one member'];
  const errors: string[] = [];
  configs.forEach((config, index) => {
    for (const error of validateConfig(config)) errors.push(`member ${index}: ${error}`);
  });
  const first = configs[0] as SacConfig;
  for (const key of SHARED_KEYS) {
    if (!configs.every((config) => config[key] === first[key])) errors.push(`${key} must be the same for every member of a population`);
  }
  return errors;
}
