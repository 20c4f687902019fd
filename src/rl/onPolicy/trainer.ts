/**
 * The on-policy loop of PPO and TRPO (ALGORITHMS.md), runnable in slices like the off-policy Trainer:
 *   per vector step: ONE policy forward for all n_envs observations (plain JS, no tensor), sample, step
 *   every env with the action clipped to the torque bounds, store; an episode's end gives its metrics;
 *   per rollout (n_steps vector steps): values, old log-probabilities, GAE, the algorithm's update phase.
 * Per-episode metrics have the off-policy Trainer's shape (episode, step, score, avg100, avg10,
 * updates, updatesPerSecond, wallSeconds + the algorithm's metrics), with the same stop rules, best
 * actor and swing-up step. Everything random comes from one generator seeded with config.seed; the
 * whole state, a partial rollout included, is a plain-data checkpoint (onPolicy/checkpoint.ts).
 */
import { MAX_TORQUE, Pendulum, type PendulumPhysics, type PendulumPush } from '../env/pendulum';
import { isSwingUp, mean, stopRuleReason } from '../episodeRules';
import { Rng } from '../rng';
import type { EpisodeMetrics, PendulumState, StopReason } from '../types';
import { sampleExplorationMatrix, explorationNoise } from '../gsde/gsde';
import { ActorCritic } from './actorCritic';
import type { OnPolicyAlgorithm } from './algorithmDefinition';
import type { OnPolicyConfig } from './config';
import { validateTablePartial } from './config';
import { ON_POLICY_CHECKPOINT_VERSION, validateOnPolicyCheckpoint, type OnPolicyCheckpoint, type OnPolicyTrainerState } from './checkpoint';
import { computeGae } from './gae';
import type { OnPolicyLearner, RolloutData } from './learner';
import { GaussianPolicy, gaussianLogDensity, type PolicyShape } from './policy';
import { RolloutBuffer } from './rollout';
import { exportOnPolicyActor, type OnPolicyActorFiles } from './actorExport';

export interface OnPolicySliceResult {
  /** Env steps run in this slice (all envs counted: a multiple of n_envs). */
  steps: number;
  episodes: EpisodeMetrics[];
  stopReason: StopReason | null;
}

export interface BestMean {
  value: number;
  episode: number;
}


const now = (): number => performance.now();

/** Deterministic torque of an on-policy actor: the Gaussian's mean, clipped to the env's bounds. */
export function clipTorque(action: number): number {
  return Math.min(Math.max(action, -MAX_TORQUE), MAX_TORQUE);
}

export class OnPolicyTrainer<Config extends OnPolicyConfig> {
  readonly algorithm: OnPolicyAlgorithm<Config>;
  private currentConfig: Config;
  private readonly rng: Rng;
  private readonly envs: Pendulum[];
  readonly model: ActorCritic;
  private readonly learner: OnPolicyLearner<Config>;
  /** Evaluates the policy on the n_envs current observations (its own work arrays). */
  private readonly actingPolicy: GaussianPolicy;
  private readonly rollout: RolloutBuffer;
  /** Current observation of every env, [n_envs, obs]. */
  private observations: Float64Array;
  /** gSDE exploration matrices E, one [H, A] per env (empty without gSDE). */
  private explorationMatrices: Float64Array;
  /** Reward summed so far in each env's unfinished episode. */
  private episodeScores: number[];

  private stepCount = 0;
  private episodeCount = 0;
  private updateCount = 0;
  private trainingSeconds = 0;
  /** Updates since the last episode record, and the training time of that record. */
  private pendingUpdates = 0;
  private pendingSince = 0;
  /** The latest update phase's metrics, or null before the first. */
  private lastPhaseMetrics: Record<string, number> | null = null;
  private scores: number[] = [];
  private stopped: StopReason | null = null;
  private goalEpisode: number | null = null;
  private readonly history: EpisodeMetrics[] = [];
  private best: { value: number; episode: number; step: number; actor: Float64Array } | null = null;
  private swingUpAt: number | null = null;
  // Reused arrays of the update phase (size n_steps·n_envs).
  private readonly data: RolloutData;
  private readonly nextValues: Float64Array;
  private readonly noise: Float64Array;
  private readonly torque: Float64Array;
  private readonly stepActions: Float64Array;

  private constructor(algorithm: OnPolicyAlgorithm<Config>, config: Config, fresh: boolean) {
    this.algorithm = algorithm;
    this.currentConfig = { ...config };
    this.rng = new Rng(config.seed);
    const shape: PolicyShape = { observationSize: 3, actionSize: 1, hiddenSize: config.hiddenSize, exploration: config.useSde ? 'gsde' : 'gaussian' };
    const { observationSize: O, actionSize: A, hiddenSize: H } = shape;
    this.model = new ActorCritic(shape, fresh ? this.rng : null, config.logStdInit);
    this.learner = algorithm.createLearner(this.model);
    this.actingPolicy = new GaussianPolicy(shape);
    const N = config.nEnvs;
    this.rollout = new RolloutBuffer({ nSteps: config.nSteps, nEnvs: N, observationSize: O, actionSize: A });
    this.envs = Array.from({ length: N }, () => new Pendulum());
    this.observations = new Float64Array(N * O);
    // Each env's reset stream is seeded from the run's generator, in env order: one seed fixes the run.
    this.envs.forEach((env, e) => this.observations.set(env.reset({ seed: this.rng.nextUint32() }), e * O));
    this.explorationMatrices = new Float64Array(config.useSde ? N * H * A : 0);
    this.episodeScores = new Array<number>(N).fill(0);
    const M = this.rollout.capacity;
    this.data = {
      size: M,
      observations: this.rollout.observations,
      actions: this.rollout.actions,
      oldLogProbs: new Float64Array(M),
      advantages: new Float64Array(M),
      returns: new Float64Array(M),
      values: new Float64Array(M),
    };
    this.nextValues = new Float64Array(M);
    this.noise = new Float64Array(A);
    this.torque = new Float64Array(A);
    this.stepActions = new Float64Array(N * A);
  }

  /** A new run. Throws RangeError listing every out-of-range value. */
  static create<Config extends OnPolicyConfig>(algorithm: OnPolicyAlgorithm<Config>, config: Config): OnPolicyTrainer<Config> {
    const errors = validateTablePartial(algorithm.table, config);
    const missing = Object.keys(algorithm.table).filter((key) => !(key in config));
    if (missing.length > 0) errors.push(`missing ${missing.join(', ')}`);
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    return new OnPolicyTrainer(algorithm, config, true);
  }

  /** A saved run, continued exactly where its checkpoint was taken; throws (naming the problem) on a bad checkpoint. */
  static restore<Config extends OnPolicyConfig>(algorithm: OnPolicyAlgorithm<Config>, checkpoint: unknown): OnPolicyTrainer<Config> {
    const checked = validateOnPolicyCheckpoint(algorithm, checkpoint);
    const trainer = new OnPolicyTrainer(algorithm, checked.config, false);
    trainer.applyCheckpoint(checked);
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
  get trainingTimeSeconds(): number {
    return this.trainingSeconds;
  }
  /** Metrics of the episodes this trainer finished itself (after the checkpoint, for a restored one). */
  get metrics(): readonly EpisodeMetrics[] {
    return this.history;
  }
  get episodeScoreHistory(): readonly number[] {
    return this.scores;
  }
  get best100(): BestMean | null {
    return this.best === null ? null : { value: this.best.value, episode: this.best.episode };
  }
  get swingUpStep(): number | null {
    return this.swingUpAt;
  }
  /** Vector steps stored in the current (unfinished) rollout. */
  get rolloutSteps(): number {
    return this.rollout.filled;
  }

  /** Env 0's pendulum, as the canvas draws it. */
  pendulumState(): PendulumState {
    const env = this.envs[0] as Pendulum;
    return { theta: env.theta, thetaDot: env.thetaDot, torque: env.lastTorque };
  }

  /**
   * Issue 9: pokes env 0 (the drawn pendulum): θ̇ += δ clipped to ±max speed, and/or θ = value; its next
   * action sees the pushed state. Draws nothing from the run's generator. Throws RangeError on a bad push.
   */
  pushEnv(push: PendulumPush): { theta: number; thetaDot: number; stepInEpisode: number } {
    const env = this.envs[0] as Pendulum;
    const state = env.push(push);
    this.observations.set(env.observation(), 0);
    return { ...state, stepInEpisode: env.stepsInEpisode };
  }

  /** Issue 9: every training env's physics from its next episode on (kept in checkpoints with the envs). */
  setEnvPhysics(physics: PendulumPhysics): void {
    for (const env of this.envs) env.setPhysics(physics, 'nextReset');
  }

  /** Env 0's physics now and the change waiting for the next episode (null: none); all envs share them. */
  get envPhysics(): { current: PendulumPhysics; pending: PendulumPhysics | null } {
    const env = this.envs[0] as Pendulum;
    return { current: env.physics, pending: env.pendingPhysics };
  }

  /** Live changes from the next step / update phase; throws RangeError (changing nothing) on a bad value or a restart-only key. */
  setLiveConfig(partial: Partial<Config>): void {
    const table = this.algorithm.table;
    const errors = validateTablePartial(table, partial);
    for (const key of Object.keys(partial) as Array<keyof Config & string>) {
      const spec = table[key];
      if (spec && !spec.live && partial[key] !== this.currentConfig[key]) errors.push(`${spec.label} (${spec.lectureName}) applies only when training restarts`);
    }
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    this.currentConfig = { ...this.currentConfig, ...partial };
    if (this.stopped !== null && this.stopped !== 'nonFinite' && this.stopped !== 'user') this.stopped = this.checkStopRule();
  }

  stop(): void {
    if (this.stopped !== 'nonFinite') this.stopped = 'user';
  }

  /** Runs vector steps until `maxEnvSteps` env steps (all envs counted) are done or the run stops. */
  runFor(maxEnvSteps: number): OnPolicySliceResult {
    const sliceStart = now();
    const secondsBefore = this.trainingSeconds;
    const clock = (): number => secondsBefore + (now() - sliceStart) / 1000;
    const episodes: EpisodeMetrics[] = [];
    let steps = 0;
    try {
      while (steps < maxEnvSteps && this.stopped === null) {
        steps += this.vectorStep(clock, episodes);
      }
    } finally {
      this.trainingSeconds = clock();
    }
    return { steps, episodes, stopReason: this.stopped };
  }

  /** One step of every env; the update phase when the rollout is full. Returns the env steps taken. */
  private vectorStep(clock: () => number, episodes: EpisodeMetrics[]): number {
    // A run reopened by a live change may have stopped with a full rollout: learn from it first.
    if (this.rollout.isFull) {
      this.updatePhase();
      if (this.stopped !== null) return 0;
    }
    const config = this.currentConfig;
    const { observationSize: O, actionSize: A, hiddenSize: H } = this.model.shape;
    const N = config.nEnvs;
    const useSde = this.model.shape.exploration === 'gsde';
    const filled = this.rollout.filled;
    // gSDE: a new E per env at each rollout start and every sde_sample_freq steps (SB3: n_steps % freq == 0).
    if (useSde && (filled === 0 || (config.sdeSampleFreq > 0 && filled % config.sdeSampleFreq === 0))) {
      const logScale = this.model.policy.explorationParameters(this.model.policyParameters);
      for (let e = 0; e < N; e++) sampleExplorationMatrix(this.rng, logScale, this.explorationMatrices, e * H * A);
    }

    // ONE policy forward for all envs, then each env's action a = μ + noise (env order fixes the draws).
    const evaluation = this.actingPolicy.evaluate(this.model.policyParameters, this.observations, N);
    const logStd = this.model.policy.explorationParameters(this.model.policyParameters);
    const actions = this.stepActions;
    for (let e = 0; e < N; e++) {
      if (useSde) explorationNoise(evaluation.features, e * H, H, this.explorationMatrices, e * H * A, A, this.noise);
      else for (let j = 0; j < A; j++) this.noise[j] = Math.exp(logStd[j] as number) * this.rng.normal();
      for (let j = 0; j < A; j++) actions[e * A + j] = (evaluation.mean[e * A + j] as number) + (this.noise[j] as number);
    }
    if (!actions.every(Number.isFinite)) {
      this.stopped = 'nonFinite';
      return 0;
    }

    const endedEnvs: number[] = [];
    for (let e = 0; e < N; e++) {
      const env = this.envs[e] as Pendulum;
      const action = actions.subarray(e * A, (e + 1) * A);
      for (let j = 0; j < A; j++) this.torque[j] = clipTorque(action[j] as number);
      const result = env.step(this.torque);
      const ended = result.terminated || result.truncated;
      // The real successor is stored (the final observation at a truncation): gae.ts bootstraps from it.
      this.rollout.add(e, this.observations.subarray(e * O, (e + 1) * O), action, result.reward, result.observation, result.terminated, ended);
      this.episodeScores[e] = (this.episodeScores[e] as number) + result.reward;
      if (ended) {
        endedEnvs.push(e);
        this.observations.set(env.reset(), e * O);
      } else {
        this.observations.set(result.observation, e * O);
      }
    }
    this.rollout.advance();
    this.stepCount += N;

    if (endedEnvs.length > 0) {
      const seconds = clock();
      const updates = this.pendingUpdates;
      const elapsed = seconds - this.pendingSince;
      endedEnvs.forEach((e, index) => {
        // The updates since the last record go to the first episode of this step (so their sum is the run's); the rate to all.
        episodes.push(this.finishEpisode(this.episodeScores[e] as number, index === 0 ? updates : 0, elapsed > 0 ? updates / elapsed : 0, seconds));
        this.episodeScores[e] = 0;
      });
      this.pendingUpdates = 0;
      this.pendingSince = seconds;
    }
    if (this.stopped === null && this.rollout.isFull) this.updatePhase();
    if (this.stopped === null && config.maxSteps > 0 && this.stepCount >= config.maxSteps) this.stopped = 'maxSteps';
    return N;
  }

  /**
   * The update phase on the full rollout: V(s_t) and V(s'_t), log π_old (the parameters have not
   * changed since collection, so these equal the collection-time values), GAE, then the algorithm.
   */
  private updatePhase(): void {
    const config = this.currentConfig;
    const { actionSize: A } = this.model.shape;
    const M = this.rollout.capacity;
    const data = this.data;
    this.model.values(this.rollout.observations, M, data.values);
    this.model.values(this.rollout.nextObservations, M, this.nextValues);
    const evaluation = this.model.policy.evaluate(this.model.policyParameters, this.rollout.observations, M);
    for (let i = 0; i < M; i++) data.oldLogProbs[i] = gaussianLogDensity(this.rollout.actions, evaluation.mean, evaluation.variance, i * A, A);
    computeGae(
      {
        nSteps: config.nSteps,
        nEnvs: config.nEnvs,
        rewards: this.rollout.rewards,
        values: data.values,
        nextValues: this.nextValues,
        terminated: this.rollout.terminated,
        episodeEnded: this.rollout.episodeEnded,
        gamma: config.gamma,
        lambda: config.gaeLambda,
      },
      data.advantages,
      data.returns,
    );
    const result = this.learner.learn(this.model, data, this.rng, config);
    this.rollout.clear();
    this.lastPhaseMetrics = { ...result.metrics };
    this.updateCount += result.gradientSteps;
    this.pendingUpdates += result.gradientSteps;
    // A NaN/∞ parameter poisons every later step: stop so the UI can say so.
    if (!this.model.parameters.every(Number.isFinite)) this.stopped = 'nonFinite';
  }

  private finishEpisode(score: number, updates: number, updatesPerSecond: number, trainingSeconds: number): EpisodeMetrics {
    this.episodeCount += 1;
    this.scores.push(score);
    const algorithmMetrics: Record<string, number> = {};
    for (const { key } of this.algorithm.descriptor.metrics) algorithmMetrics[key] = this.lastPhaseMetrics?.[key] ?? Number.NaN;
    const metrics: EpisodeMetrics = {
      episode: this.episodeCount,
      step: this.stepCount,
      score,
      avg100: mean(this.scores.slice(-100)),
      avg10: mean(this.scores.slice(-10)),
      ...algorithmMetrics,
      updates,
      updatesPerSecond,
      wallSeconds: trainingSeconds,
    };
    this.history.push(metrics);
    if (this.stopped === null) {
      this.recordProgress(metrics);
      this.stopped = this.checkStopRule();
    }
    return metrics;
  }

  /** Best actor (the policy's parameters at the best 100-episode mean) and the swing-up step. */
  private recordProgress(metrics: EpisodeMetrics): void {
    if (this.best === null || metrics.avg100 > this.best.value) {
      this.best = { value: metrics.avg100, episode: metrics.episode, step: metrics.step, actor: this.model.policyParameters.slice() };
    }
    if (this.swingUpAt === null && isSwingUp(metrics)) this.swingUpAt = metrics.step;
  }

  /** The lecture's stop rule, then the episode and step limits (as the off-policy Trainer). */
  private checkStopRule(): StopReason | null {
    const reason = stopRuleReason(this.currentConfig, this.scores, this.episodeCount, this.stepCount);
    if (reason === 'goal') this.goalEpisode ??= this.episodeCount;
    return reason;
  }

  /** The deterministic torque for an observation: the policy mean μ(s), clipped to ±2 N·m. */
  deterministicTorque(observation: ArrayLike<number>): number {
    const evaluation = this.actingPolicy.evaluate(this.model.policyParameters, Float64Array.from(observation), 1);
    return clipTorque(evaluation.mean[0] as number);
  }

  /** The policy's flat parameters (MLP, then log S / log σ): the current ones or those at the best 100-episode mean. */
  actorParameters(which: 'final' | 'best'): Float64Array | null {
    if (which === 'final') return this.model.policyParameters.slice();
    return this.best === null ? null : this.best.actor.slice();
  }

  /** The current or best actor (μ network) as tfjs LayersModel files, provenance in userDefinedMetadata. */
  exportActor(runName: string, which: 'final' | 'best' = 'final', weightsFileName = `${this.algorithm.descriptor.id}-pendulum-${runName}.weights.bin`): Promise<OnPolicyActorFiles> {
    const parameters = this.actorParameters(which);
    if (parameters === null) return Promise.reject(new Error('There is no best actor yet: no episode has finished.'));
    const best = which === 'best' ? this.best : null;
    const episodes = best?.episode ?? this.episodeCount;
    return exportOnPolicyActor(this.model.policy, parameters, weightsFileName, {
      algorithm: this.algorithm.descriptor.label,
      runName,
      hyperparameters: { ...this.currentConfig },
      steps: best?.step ?? this.stepCount,
      episodes,
      lastScore: this.scores[episodes - 1] ?? null,
      avg100: best?.value ?? (this.scores.length > 0 ? mean(this.scores.slice(-100)) : null),
    });
  }

  /** The complete state of the run as plain data (a partial rollout included). */
  checkpoint(): OnPolicyCheckpoint<Config> {
    const state: OnPolicyTrainerState = {
      rng: this.rng.getState(),
      envs: this.envs.map((env) => env.getState()),
      observations: this.observations.slice(),
      explorationMatrices: this.explorationMatrices.slice(),
      episodeScores: [...this.episodeScores],
      rollout: this.rollout.getState(),
      parameters: this.model.parameters.slice(),
      learner: this.learner.getState(),
      lastPhaseMetrics: this.lastPhaseMetrics === null ? null : { ...this.lastPhaseMetrics },
      pendingUpdates: this.pendingUpdates,
      pendingSince: this.pendingSince,
      best: this.best === null ? null : { ...this.best, actor: this.best.actor.slice() },
      swingUpStep: this.swingUpAt,
    };
    return {
      version: ON_POLICY_CHECKPOINT_VERSION,
      algorithm: this.algorithm.descriptor.id,
      config: this.config,
      counters: { totalSteps: this.stepCount, episodesDone: this.episodeCount, updates: this.updateCount, trainingSeconds: this.trainingSeconds },
      stopReason: this.stopped,
      goalReachedAtEpisode: this.goalEpisode,
      scores: [...this.scores],
      state,
    };
  }

  private applyCheckpoint(checkpoint: OnPolicyCheckpoint<Config>): void {
    const state = checkpoint.state;
    this.rng.setState(state.rng);
    state.envs.forEach((snapshot, e) => (this.envs[e] as Pendulum).setState(snapshot));
    this.observations = state.observations.slice();
    this.explorationMatrices = state.explorationMatrices.slice();
    this.episodeScores = [...state.episodeScores];
    this.rollout.setState(state.rollout);
    this.model.parameters.set(state.parameters);
    this.learner.setState(state.learner);
    this.lastPhaseMetrics = state.lastPhaseMetrics === null ? null : { ...state.lastPhaseMetrics };
    this.pendingUpdates = state.pendingUpdates;
    this.pendingSince = state.pendingSince;
    this.best = state.best === null ? null : { ...state.best, actor: state.best.actor.slice() };
    this.swingUpAt = state.swingUpStep;
    this.stepCount = checkpoint.counters.totalSteps;
    this.episodeCount = checkpoint.counters.episodesDone;
    this.updateCount = checkpoint.counters.updates;
    this.trainingSeconds = checkpoint.counters.trainingSeconds;
    this.scores = [...checkpoint.scores];
    this.stopped = checkpoint.stopReason;
    this.goalEpisode = checkpoint.goalReachedAtEpisode;
  }

  /** Nothing to free (no tensors): kept so callers treat every trainer alike. */
  dispose(): void {}
}
