/**
 * The lecture's training loop, runnable in slices so a worker can pause, resume, apply live
 * hyperparameters between updates and stream metrics:
 *   per env step: act → step → store → one update incl. soft update, once learning has started
 *   (SAC: steps > batch_size; DDPG/TD3: after learning_starts steps of uniform random actions);
 *   per episode: metrics, best actor, swing-up, the lecture's stop rule (mean of the last ≤100 scores > goal_score).
 * Everything random comes from one generator seeded with config.seed. The whole state can be taken as a
 * plain-data checkpoint and restored to continue exactly as an uninterrupted run would (same backend).
 *
 * The loop talks to its learner only through OffPolicyAgent (offPolicyAgent.ts) and to its config through
 * the algorithm's TrainerAlgorithm (table rules, warm-up): SAC, DDPG and TD3 (offPolicyAlgorithms.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_VERSION, SAC_CHECKPOINT_RULES, validateCheckpointFor, type TrainerCheckpoint, type TrainerState } from './checkpoint';
import { Pendulum, type PendulumPhysics, type PendulumPush } from './env/pendulum';
import { isSwingUp, mean, stopRuleReason } from './episodeRules';
import type { RunConfig } from './hyperparameterTable';
import type { AgentAction, OffPolicyAgent, TrainerAlgorithm } from './offPolicyAgent';
import { ReplayBuffer, allocateBatch, type Batch } from './replayBuffer';
import { Rng } from './rng';
import type { SacAgent } from './sac/agent';
import type { KernelSacAgent } from './sac/kernel/agent';
import type { SacConfig } from './sac/config';
import { SAC_ALGORITHM } from './sac/sacAlgorithm';
import type { ActorFiles } from './sac/weights';
import type { EpisodeMetrics, PendulumState, StopReason } from './types';

export { WEBGL_POLICY_SYNC_INTERVAL } from './sac/sacAlgorithm';

/** SAC as a TrainerAlgorithm: its table's rules, and no random warm-up (updates once steps > batch_size). */
export const SAC_TRAINER_ALGORITHM: TrainerAlgorithm<SacConfig, SacAgent | KernelSacAgent, unknown> = {
  ...SAC_ALGORITHM,
  configRules: SAC_CHECKPOINT_RULES.configRules,
  learningStarts: () => null,
};

/** A trainer of any off-policy algorithm, as the CLI and summaries use it (config fields beyond RunConfig unread). */
export type AnyOffPolicyTrainer = Trainer<RunConfig, OffPolicyAgent<RunConfig>>;

export interface SliceResult {
  /** Env steps run in this slice. */
  steps: number;
  /** Episodes that ended in this slice. */
  episodes: EpisodeMetrics[];
  /** Set once the run has stopped. */
  stopReason: StopReason | null;
}

/** The best 100-episode mean so far and the episode that reached it. */
export interface BestMean {
  value: number;
  episode: number;
}


/** Wall clock in ms: performance.now exists in browsers, workers and Node. */
const now = (): number => performance.now();


export class Trainer<Config extends RunConfig = SacConfig, Agent extends OffPolicyAgent<Config> = (SacAgent | KernelSacAgent) & OffPolicyAgent<Config>> {
  private currentConfig: Config;
  private readonly algorithm: TrainerAlgorithm<Config, Agent, unknown>;
  private readonly rng: Rng;
  private readonly env: Pendulum;
  readonly agent: Agent;
  private readonly buffer: ReplayBuffer;
  private batch: Batch;
  private observation: Float32Array;

  private stepCount = 0;
  private episodeCount = 0;
  private updateCount = 0;
  private episodeScore = 0;
  private episodeUpdates = 0;
  /** Seconds spent inside runFor over the whole run (across restores): the wallSeconds metric. */
  private trainingSeconds = 0;
  /** trainingSeconds when the current episode began (its updatesPerSecond counts from here). */
  private episodeStartTrainingSeconds = 0;
  /** Sum over this episode's updates of the agent's update statistics, kept on the device (no per-step read-back). */
  /** Σ of this episode's update statistics: on the device for tfjs agents, a host array for host agents. */
  private statsSum: tf.Tensor1D | Float32Array | null = null;
  private scores: number[] = [];
  private stopped: StopReason | null = null;
  private goalEpisode: number | null = null;
  private readonly history: EpisodeMetrics[] = [];
  /** The actor's flat weights at the best 100-episode mean so far (read back only on an improving episode). */
  private best: { value: number; episode: number; step: number; actor: Float32Array } | null = null;
  private swingUpAt: number | null = null;
  /** Reused action of the random warm-up (learning_starts). */
  private readonly warmUpAction: AgentAction;

  private constructor(config: Config, algorithm: TrainerAlgorithm<Config, Agent, unknown>) {
    this.currentConfig = { ...config };
    this.algorithm = algorithm;
    this.rng = new Rng(config.seed);
    this.env = new Pendulum();
    this.agent = algorithm.createAgent(this.rng, { observationSize: this.env.observationSize, actionSize: this.env.actionSize }, config);
    this.buffer = new ReplayBuffer(config.bufferSize, this.env.observationSize, this.env.actionSize);
    this.batch = allocateBatch(config.batchSize, this.env.observationSize, this.env.actionSize);
    // The env's reset stream is seeded from the run's generator: one seed fixes the whole run.
    this.observation = this.env.reset({ seed: this.rng.nextUint32() });
    this.warmUpAction = { squashed: new Float32Array(this.env.actionSize), torque: new Float32Array(this.env.actionSize) };
  }

  /** A new SAC run on the active tfjs backend. Throws RangeError listing every out-of-range value. */
  static async create(config: SacConfig): Promise<Trainer> {
    return Trainer.createWith(SAC_TRAINER_ALGORITHM, config);
  }

  /** A new run of `algorithm` (SAC, DDPG, TD3: offPolicyAlgorithms.ts). Throws RangeError listing every out-of-range value. */
  static async createWith<C extends RunConfig, A extends OffPolicyAgent<C>>(algorithm: TrainerAlgorithm<C, A, unknown>, config: C): Promise<Trainer<C, A>> {
    const errors = algorithm.configRules.validate(config);
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    await tf.ready();
    return new Trainer<C, A>(config, algorithm);
  }

  /**
   * A saved run, continued exactly where its checkpoint was taken. Validates first: a malformed or
   * foreign checkpoint throws an Error naming the problem, before any tensor is created.
   */
  static async restore(checkpoint: TrainerCheckpoint): Promise<Trainer> {
    return Trainer.restoreWith(SAC_TRAINER_ALGORITHM, checkpoint);
  }

  /** restore for `algorithm`'s checkpoints (a checkpoint of another algorithm is refused, naming both). */
  static async restoreWith<C extends RunConfig, A extends OffPolicyAgent<C>>(algorithm: TrainerAlgorithm<C, A, unknown>, checkpoint: unknown): Promise<Trainer<C, A>> {
    const checked = validateCheckpointFor(checkpoint, algorithm);
    await tf.ready();
    const trainer = new Trainer<C, A>(checked.config, algorithm);
    try {
      trainer.applyCheckpoint(checked);
    } catch (error) {
      trainer.dispose();
      throw error;
    }
    return trainer;
  }

  get config(): Config {
    return { ...this.currentConfig };
  }
  get totalSteps(): number {
    return this.stepCount;
  }
  get episodesDone(): number {
    return this.episodeCount;
  }
  get updates(): number {
    return this.updateCount;
  }
  get stopReason(): StopReason | null {
    return this.stopped;
  }
  get goalReachedAtEpisode(): number | null {
    return this.goalEpisode;
  }
  /** Seconds spent training (inside runFor) since the run started, across restores. */
  get trainingTimeSeconds(): number {
    return this.trainingSeconds;
  }
  /**
   * The metrics of the episodes this Trainer finished itself, oldest first: every episode of a created
   * run; for a restored one, those after the checkpoint (the saved run keeps the earlier ones).
   */
  get metrics(): readonly EpisodeMetrics[] {
    return this.history;
  }
  /** Every episode score of the run so far (restored ones included). */
  get episodeScores(): readonly number[] {
    return this.scores;
  }
  /** The best 100-episode mean so far (over the last ≤100 episodes, as avg100) and its episode; null before any. */
  get best100(): BestMean | null {
    return this.best === null ? null : { value: this.best.value, episode: this.best.episode };
  }
  /** First env step at which the last-10 mean exceeded SWING_UP_THRESHOLD (from episode 10 on), or null. */
  get swingUpStep(): number | null {
    return this.swingUpAt;
  }
  /**
   * The env step whose update is the run's first (SAC: batch_size + 1; DDPG/TD3: learning_starts + 1),
   * by the rule stepOnce applies: the worker ends its cheap warm-up slice there, so the slice size
   * re-adapts to the cost of updates (worker/pacing.ts).
   */
  get firstUpdateStep(): number {
    return this.updatesAfterStep(this.currentConfig) + 1;
  }

  pendulumState(): PendulumState {
    return { theta: this.env.theta, thetaDot: this.env.thetaDot, torque: this.env.lastTorque };
  }

  /**
   * Issue 9: pokes the training pendulum (θ̇ += δ clipped to ±max speed, and/or θ = value); the next
   * action sees the pushed state. Draws nothing from the run's generator. Throws RangeError on a bad push.
   */
  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number } {
    const state = this.env.push(push);
    this.observation = this.env.observation();
    return { ...state, stepInEpisode: this.env.stepsInEpisode };
  }

  /** Issue 9: the training env's physics from its next episode on (kept in checkpoints with the env). */
  setEnvPhysics(physics: PendulumPhysics): void {
    this.env.setPhysics(physics, 'nextReset');
  }

  /** The training env's physics now and the change waiting for its next episode (null: none). */
  get envPhysics(): { current: PendulumPhysics; pending: PendulumPhysics | null } {
    return { current: this.env.physics, pending: this.env.pendingPhysics };
  }

  /**
   * Changes hyperparameters that apply live; effective from the next update. Throws RangeError (and
   * changes nothing) if any value is out of range or any key needs a restart.
   */
  setLiveConfig(partial: Partial<Config>): void {
    const errors = this.algorithm.configRules.validate(partial);
    for (const key of Object.keys(partial) as Array<keyof Config & string>) {
      const spec = this.algorithm.configRules.table[key];
      if (spec && !spec.live && partial[key] !== this.currentConfig[key]) {
        errors.push(`${spec.label} (${spec.lectureName}) applies only when training restarts`);
      }
    }
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    this.currentConfig = { ...this.currentConfig, ...partial };
    if (this.currentConfig.batchSize !== this.batch.size) {
      this.batch = allocateBatch(this.currentConfig.batchSize, this.env.observationSize, this.env.actionSize);
    }
    // A raised limit or a disabled stop rule lets a stopped run go on; the user's Stop and a NaN stop stay.
    if (this.stopped !== null && this.stopped !== 'nonFinite' && this.stopped !== 'user') this.stopped = this.checkStopRule();
  }

  /** The user's Stop: the run ends here (stopReason 'user') and no live change reopens it. A NaN stop keeps its reason. */
  stop(): void {
    if (this.stopped !== 'nonFinite') this.stopped = 'user';
  }

  /** Runs up to `maxEnvSteps` env steps; returns early once the run stops. Time spent here is training time. */
  runFor(maxEnvSteps: number): SliceResult {
    const sliceStart = now();
    const secondsBefore = this.trainingSeconds;
    const clock = (): number => secondsBefore + (now() - sliceStart) / 1000;
    const episodes: EpisodeMetrics[] = [];
    let steps = 0;
    try {
      while (steps < maxEnvSteps && this.stopped === null) {
        const finished = this.stepOnce(clock);
        steps += 1;
        if (finished) episodes.push(finished);
      }
    } finally {
      this.trainingSeconds = clock();
    }
    return { steps, episodes, stopReason: this.stopped };
  }

  /**
   * One env step and, once learning has started, one gradient update. Returns the episode's metrics when
   * it ends. SAC: the policy acts from step 1, updates once steps > batch_size (the lecture's loop).
   * DDPG/TD3 (learning_starts = N): steps 1…N act uniformly at random in [−scale, scale] and updates run
   * once steps > N, as stable-baselines3 does (ALGORITHMS.md, DDPG "Acting").
   */
  private stepOnce(clock: () => number): EpisodeMetrics | null {
    const config = this.currentConfig;
    const learningStarts = this.algorithm.learningStarts(config);
    const action = learningStarts !== null && this.stepCount < learningStarts ? this.randomAction() : this.agent.act(this.observation, this.rng);
    if (!action.torque.every(Number.isFinite)) {
      this.stopped = 'nonFinite';
      return null;
    }
    const result = this.env.step(action.torque);
    this.stepCount += 1;
    this.episodeScore += result.reward;
    // Mask 1 unless the MDP really terminated: a time-limit truncation still bootstraps (SAC-SPEC.md).
    this.buffer.add({
      observation: this.observation,
      action: action.squashed,
      reward: result.reward,
      nextObservation: result.observation,
      mask: result.terminated ? 0 : 1,
    });
    this.observation = result.observation;

    if (this.stepCount > this.updatesAfterStep(config) && this.buffer.size > 0) {
      const stats = this.agent.update(this.buffer.sample(this.rng, this.batch), this.rng, config);
      this.statsSum = addStatistics(this.statsSum, stats);
      this.updateCount += 1;
      this.episodeUpdates += 1;
    }

    let finished: EpisodeMetrics | null = null;
    if (result.terminated || result.truncated) {
      finished = this.finishEpisode(clock());
      this.observation = this.env.reset();
    }
    if (this.stopped === null && config.maxSteps > 0 && this.stepCount >= config.maxSteps) this.stopped = 'maxSteps';
    return finished;
  }

  /** Updates run once the step count exceeds this: learning_starts (DDPG/TD3), else batch_size (SAC). */
  private updatesAfterStep(config: Config): number {
    return this.algorithm.learningStarts(config) ?? config.batchSize;
  }

  /** Uniform random action in [−1, 1] (units of the bound) from the run's generator; torque = scale · it. */
  private randomAction(): AgentAction {
    const { squashed, torque } = this.warmUpAction;
    for (let i = 0; i < squashed.length; i++) {
      squashed[i] = this.rng.uniform(-1, 1);
      torque[i] = this.currentConfig.actionScale * (squashed[i] ?? 0);
    }
    return this.warmUpAction;
  }

  private finishEpisode(trainingSeconds: number): EpisodeMetrics {
    this.episodeCount += 1;
    this.scores.push(this.episodeScore);
    // One read-back per episode: the summed update statistics, then the end-of-episode metrics (SAC: α).
    const sums = this.statsSum === null ? null : readStatistics(this.statsSum);
    disposeStatistics(this.statsSum);
    this.statsSum = null;
    const statMeans: Record<string, number> = {};
    this.agent.updateStatKeys.forEach((key, index) => {
      statMeans[key] = sums && this.episodeUpdates > 0 ? (sums[index] ?? Number.NaN) / this.episodeUpdates : Number.NaN;
    });
    const endValues = this.agent.episodeEndMetrics();
    // The algorithm's metrics in its descriptor's order (the CLI's --json and CSV column order).
    const algorithmMetrics: Record<string, number> = {};
    for (const { key } of this.agent.descriptor.metrics) algorithmMetrics[key] = endValues[key] ?? statMeans[key] ?? Number.NaN;
    const episodeSeconds = trainingSeconds - this.episodeStartTrainingSeconds;
    const metrics: EpisodeMetrics = {
      episode: this.episodeCount,
      step: this.stepCount,
      score: this.episodeScore,
      avg100: mean(this.scores.slice(-100)),
      avg10: mean(this.scores.slice(-10)),
      ...algorithmMetrics,
      updates: this.episodeUpdates,
      updatesPerSecond: episodeSeconds > 0 ? this.episodeUpdates / episodeSeconds : 0,
      wallSeconds: trainingSeconds,
    };
    this.history.push(metrics);
    this.episodeScore = 0;
    this.episodeUpdates = 0;
    this.episodeStartTrainingSeconds = trainingSeconds;

    // A NaN/∞ loss or α poisons every later update: stop so the UI can say so. Before the first update
    // the per-update means are NaN by definition, so then only the end-of-episode values (α) count.
    const mustBeFinite = metrics.updates > 0 ? Object.keys(algorithmMetrics) : Object.keys(endValues);
    if (!mustBeFinite.every((key) => Number.isFinite(metrics[key]))) {
      this.stopped = 'nonFinite';
      return metrics;
    }
    this.recordProgress(metrics);
    this.stopped = this.checkStopRule();
    return metrics;
  }

  /** Best actor (one read-back, only when the 100-episode mean improves) and the swing-up step. */
  private recordProgress(metrics: EpisodeMetrics): void {
    if (this.best === null || metrics.avg100 > this.best.value) {
      this.best = { value: metrics.avg100, episode: metrics.episode, step: metrics.step, actor: this.agent.actorParameters() };
    }
    if (this.swingUpAt === null && isSwingUp(metrics)) this.swingUpAt = metrics.step;
  }

  /** The lecture's stop rule, then the episode and step limits. */
  private checkStopRule(): StopReason | null {
    const reason = stopRuleReason(this.currentConfig, this.scores, this.episodeCount, this.stepCount);
    if (reason === 'goal') this.goalEpisode ??= this.episodeCount;
    return reason;
  }

  /** The algorithm's deterministic torque (SAC: actionScale·tanh(μ), the lecture's test.py; DDPG/TD3: actionScale·μ(s)). */
  deterministicTorque(observation: Float32Array): number {
    return this.agent.deterministicTorque(observation)[0] ?? 0;
  }

  /** Flat actor weights: the current actor ('final') or the one at the best 100-episode mean ('best', null before any episode). */
  actorParameters(which: 'final' | 'best'): Float32Array | null {
    if (which === 'final') return this.agent.actorParameters();
    return this.best === null ? null : this.best.actor.slice();
  }

  /**
   * The current ('final') or best actor as tfjs LayersModel files, with provenance in userDefinedMetadata
   * (for 'best': the step, episode and 100-episode mean where it was reached). Throws for 'best' before
   * the first episode has finished.
   */
  exportActor(runName: string, which: 'final' | 'best' = 'final', weightsFileName = `sac-pendulum-${runName}.weights.bin`): Promise<ActorFiles> {
    const base = { runName, actionScale: this.currentConfig.actionScale, hyperparameters: this.config };
    if (which === 'best') {
      const best = this.best;
      if (best === null) return Promise.reject(new Error('There is no best actor yet: no episode has finished.'));
      return this.agent.exportActor(best.actor, weightsFileName, {
        ...base,
        steps: best.step,
        episodes: best.episode,
        lastScore: this.scores[best.episode - 1] ?? null,
        avg100: best.value,
      });
    }
    const episodes = this.scores.length;
    return this.agent.exportActor(null, weightsFileName, {
      ...base,
      steps: this.stepCount,
      episodes: this.episodeCount,
      lastScore: this.scores[episodes - 1] ?? null,
      avg100: episodes > 0 ? mean(this.scores.slice(-100)) : null,
    });
  }

  /** Loads actor weights into this run's actor; throws (changing nothing) if the files do not fit. */
  async importActor(files: ActorFiles): Promise<void> {
    await this.agent.importActor(files);
  }

  /**
   * The complete state of the run as plain data (see checkpoint.ts). Reads the networks, optimiser
   * moments and the episode's statistics sum back from the device: call between slices, not per step.
   */
  checkpoint(): TrainerCheckpoint<Config> {
    const state: TrainerState = {
      rng: this.rng.getState(),
      env: this.env.getState(),
      observation: this.observation.slice(),
      episode: {
        score: this.episodeScore,
        updates: this.episodeUpdates,
        statsSum: this.statsSum === null ? null : Float32Array.from(readStatistics(this.statsSum)),
        startTrainingSeconds: this.episodeStartTrainingSeconds,
      },
      buffer: this.buffer.getState(),
      agent: this.agent.getState(),
      best: this.best === null ? null : { ...this.best, actor: this.best.actor.slice() },
      swingUpStep: this.swingUpAt,
    };
    return {
      version: CHECKPOINT_VERSION,
      algorithm: this.agent.descriptor.id,
      config: this.config,
      counters: { totalSteps: this.stepCount, episodesDone: this.episodeCount, updates: this.updateCount, trainingSeconds: this.trainingSeconds },
      stopReason: this.stopped,
      goalReachedAtEpisode: this.goalEpisode,
      scores: [...this.scores],
      state,
    };
  }

  /** Overwrites this fresh trainer's state with a validated checkpoint's. */
  private applyCheckpoint(checkpoint: TrainerCheckpoint<Config>): void {
    const state = checkpoint.state as TrainerState;
    this.rng.setState(state.rng);
    this.env.setState(state.env);
    this.observation = state.observation.slice();
    this.buffer.setState(state.buffer);
    this.agent.setState(state.agent);
    // Restored on the host: a host agent (KernelSacAgent) keeps summing there; a tfjs agent's first update moves it to the device once (addStatistics).
    this.statsSum = state.episode.statsSum === null ? null : Float32Array.from(state.episode.statsSum);
    this.episodeScore = state.episode.score;
    this.episodeUpdates = state.episode.updates;
    this.episodeStartTrainingSeconds = state.episode.startTrainingSeconds;
    this.stepCount = checkpoint.counters.totalSteps;
    this.episodeCount = checkpoint.counters.episodesDone;
    this.updateCount = checkpoint.counters.updates;
    this.trainingSeconds = checkpoint.counters.trainingSeconds;
    this.scores = [...checkpoint.scores];
    this.stopped = checkpoint.stopReason;
    this.goalEpisode = checkpoint.goalReachedAtEpisode;
    this.best = state.best === null ? null : { ...state.best, actor: state.best.actor.slice() };
    this.swingUpAt = state.swingUpStep;
  }

  dispose(): void {
    disposeStatistics(this.statsSum);
    this.statsSum = null;
    this.agent.dispose();
  }
}

/**
 * sum + stats, where either may live on the device (tfjs agents) or in a host array (KernelSacAgent,
 * issue 11): a host sum stays on the host with float32 adds (what tf.add of float32 tensors gives), a
 * device sum stays on the device. Consumes `stats` (a tensor is disposed).
 */
function addStatistics(sum: tf.Tensor1D | Float32Array | null, stats: tf.Tensor1D | Float32Array): tf.Tensor1D | Float32Array {
  if (stats instanceof Float32Array) {
    if (sum === null) return Float32Array.from(stats);
    if (sum instanceof Float32Array) {
      for (let i = 0; i < sum.length; i++) sum[i] = Math.fround((sum[i] ?? 0) + (stats[i] ?? 0));
      return sum;
    }
    const added = tf.tidy(() => tf.add(sum, tf.tensor1d(stats)) as tf.Tensor1D);
    sum.dispose();
    return added;
  }
  if (sum === null) {
    const copy = tf.clone(stats);
    stats.dispose();
    return copy;
  }
  const added = tf.tidy(() => tf.add(sum instanceof Float32Array ? tf.tensor1d(sum) : sum, stats) as tf.Tensor1D);
  if (!(sum instanceof Float32Array)) sum.dispose();
  stats.dispose();
  return added;
}

function readStatistics(sum: tf.Tensor1D | Float32Array): Float32Array {
  return sum instanceof Float32Array ? sum : (sum.dataSync() as Float32Array);
}

function disposeStatistics(sum: tf.Tensor1D | Float32Array | null): void {
  if (sum !== null && !(sum instanceof Float32Array)) sum.dispose();
}
