/**
 * The lecture's training loop, runnable in slices so a worker can pause, resume, apply live
 * hyperparameters between updates and stream metrics:
 *   per env step: act → step → store → (once steps > batch_size) one update incl. soft update;
 *   per episode: metrics, the lecture's stop rule (mean of the last ≤100 scores > goal_score).
 * Everything random comes from one generator seeded with config.seed.
 */
import * as tf from '@tensorflow/tfjs';
import { Pendulum } from './env/pendulum';
import { ReplayBuffer, allocateBatch, type Batch } from './replayBuffer';
import { Rng } from './rng';
import { SacAgent, UPDATE_STATS } from './sac/agent';
import { HYPERPARAMETERS, validateConfig, type SacConfig, type SacConfigKey } from './sac/config';
import { exportActorFiles, importActorFiles, type ActorFiles } from './sac/weights';
import type { EpisodeMetrics, PendulumState, StopReason } from './types';

export interface SliceResult {
  /** Env steps run in this slice. */
  steps: number;
  /** Episodes that ended in this slice. */
  episodes: EpisodeMetrics[];
  /** Set once the run has stopped by itself. */
  stopReason: StopReason | null;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Updates between GPU read-backs of the acting policy on WebGL (agent.policySyncInterval). */
export const WEBGL_POLICY_SYNC_INTERVAL = 10;

/** Wall clock in ms: performance.now exists in browsers, workers and Node. */
const now = (): number => performance.now();

export class Trainer {
  private currentConfig: SacConfig;
  private readonly rng: Rng;
  private readonly env: Pendulum;
  readonly agent: SacAgent;
  private readonly buffer: ReplayBuffer;
  private batch: Batch;
  private observation: Float32Array;

  private stepCount = 0;
  private episodeCount = 0;
  private updateCount = 0;
  private episodeScore = 0;
  private episodeUpdates = 0;
  private episodeStartTime: number;
  private readonly runStartTime: number;
  /** Sum over this episode's updates of the UPDATE_STATS vector, kept on the device (no per-step read-back). */
  private statsSum: tf.Tensor1D | null = null;
  private readonly scores: number[] = [];
  private stopped: StopReason | null = null;
  private goalEpisode: number | null = null;
  private readonly history: EpisodeMetrics[] = [];

  private constructor(config: SacConfig) {
    this.currentConfig = { ...config };
    this.rng = new Rng(config.seed);
    this.env = new Pendulum();
    this.agent = new SacAgent(this.rng, {
      observationSize: this.env.observationSize,
      actionSize: this.env.actionSize,
      hiddenSize: config.hiddenSize,
      initialAlpha: config.initialAlpha,
      actionScale: config.actionScale,
    });
    // WebGL: refresh the acting copy of the actor every 10 updates instead of a GPU read-back per step.
    if (tf.getBackend() === 'webgl') this.agent.policySyncInterval = WEBGL_POLICY_SYNC_INTERVAL;
    this.buffer = new ReplayBuffer(config.bufferSize, this.env.observationSize, this.env.actionSize);
    this.batch = allocateBatch(config.batchSize, this.env.observationSize, this.env.actionSize);
    // The env's reset stream is seeded from the run's generator: one seed fixes the whole run.
    this.observation = this.env.reset({ seed: this.rng.nextUint32() });
    this.runStartTime = now();
    this.episodeStartTime = this.runStartTime;
  }

  /** A new run on the active tfjs backend. Throws RangeError listing every out-of-range value. */
  static async create(config: SacConfig): Promise<Trainer> {
    const errors = validateConfig(config);
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    await tf.ready();
    return new Trainer(config);
  }

  get config(): SacConfig {
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
  /** Every finished episode's metrics, oldest first. */
  get metrics(): readonly EpisodeMetrics[] {
    return this.history;
  }

  pendulumState(): PendulumState {
    return { theta: this.env.theta, thetaDot: this.env.thetaDot, torque: this.env.lastTorque };
  }

  /**
   * Changes hyperparameters that apply live; effective from the next update. Throws RangeError (and
   * changes nothing) if any value is out of range or any key needs a restart.
   */
  setLiveConfig(partial: Partial<SacConfig>): void {
    const errors = validateConfig(partial);
    for (const key of Object.keys(partial) as SacConfigKey[]) {
      const spec = HYPERPARAMETERS[key];
      if (spec && !spec.live && partial[key] !== this.currentConfig[key]) {
        errors.push(`${spec.label} (${spec.lectureName}) applies only when training restarts`);
      }
    }
    if (errors.length > 0) throw new RangeError(errors.join('; '));
    this.currentConfig = { ...this.currentConfig, ...partial };
    if (this.currentConfig.batchSize !== this.batch.size) {
      this.batch = allocateBatch(this.currentConfig.batchSize, this.env.observationSize, this.env.actionSize);
    }
    // A raised limit or a disabled stop rule lets a stopped run go on (a NaN stop stays).
    if (this.stopped !== null && this.stopped !== 'nonFinite') this.stopped = this.checkStopRule();
  }

  /** Runs up to `maxEnvSteps` env steps; returns early once the run stops. */
  runFor(maxEnvSteps: number): SliceResult {
    const episodes: EpisodeMetrics[] = [];
    let steps = 0;
    while (steps < maxEnvSteps && this.stopped === null) {
      const finished = this.stepOnce();
      steps += 1;
      if (finished) episodes.push(finished);
    }
    return { steps, episodes, stopReason: this.stopped };
  }

  /** One env step, and one gradient update once steps > batch_size. Returns the episode's metrics when it ends. */
  private stepOnce(): EpisodeMetrics | null {
    const config = this.currentConfig;
    const action = this.agent.act(this.observation, this.rng);
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

    if (this.stepCount > config.batchSize && this.buffer.size > 0) {
      const stats = this.agent.update(this.buffer.sample(this.rng, this.batch), this.rng, config);
      const previous = this.statsSum;
      this.statsSum = previous ? tf.tidy(() => tf.add(previous, stats) as tf.Tensor1D) : tf.clone(stats);
      previous?.dispose();
      stats.dispose();
      this.updateCount += 1;
      this.episodeUpdates += 1;
    }

    let finished: EpisodeMetrics | null = null;
    if (result.terminated || result.truncated) {
      finished = this.finishEpisode();
      this.observation = this.env.reset();
    }
    if (this.stopped === null && config.maxSteps > 0 && this.stepCount >= config.maxSteps) this.stopped = 'maxSteps';
    return finished;
  }

  private finishEpisode(): EpisodeMetrics {
    this.episodeCount += 1;
    this.scores.push(this.episodeScore);
    // One read-back per episode: the summed update statistics and α.
    const sums = this.statsSum ? (this.statsSum.dataSync() as Float32Array) : null;
    this.statsSum?.dispose();
    this.statsSum = null;
    const statMean = (name: (typeof UPDATE_STATS)[number]): number =>
      sums && this.episodeUpdates > 0 ? (sums[UPDATE_STATS.indexOf(name)] ?? Number.NaN) / this.episodeUpdates : Number.NaN;
    const time = now();
    const elapsedSeconds = (time - this.episodeStartTime) / 1000;
    const metrics: EpisodeMetrics = {
      episode: this.episodeCount,
      step: this.stepCount,
      score: this.episodeScore,
      avg100: mean(this.scores.slice(-100)),
      avg10: mean(this.scores.slice(-10)),
      alpha: this.agent.alpha(),
      criticLoss: statMean('criticLoss'),
      actorLoss: statMean('actorLoss'),
      alphaLoss: statMean('alphaLoss'),
      entropy: statMean('entropy'),
      qMean: statMean('qMean'),
      updates: this.episodeUpdates,
      updatesPerSecond: elapsedSeconds > 0 ? this.episodeUpdates / elapsedSeconds : 0,
      wallSeconds: (time - this.runStartTime) / 1000,
    };
    this.history.push(metrics);
    this.episodeScore = 0;
    this.episodeUpdates = 0;
    this.episodeStartTime = time;

    // A NaN/∞ loss or α poisons every later update: stop so the UI can say so (no updates yet → losses are NaN by definition).
    const lossesFinite = metrics.updates === 0 || [metrics.criticLoss, metrics.actorLoss, metrics.alphaLoss].every(Number.isFinite);
    if (!lossesFinite || !Number.isFinite(metrics.alpha)) this.stopped = 'nonFinite';
    else this.stopped = this.checkStopRule();
    return metrics;
  }

  /** The lecture's stop rule, then the episode and step limits. */
  private checkStopRule(): StopReason | null {
    const config = this.currentConfig;
    const avg100 = mean(this.scores.slice(-100));
    if (config.stopAtGoal && this.scores.length > 0 && avg100 > config.goalScore) {
      this.goalEpisode ??= this.episodeCount;
      return 'goal';
    }
    if (this.episodeCount >= config.maxEpisodes) return 'maxEpisodes';
    if (config.maxSteps > 0 && this.stepCount >= config.maxSteps) return 'maxSteps';
    return null;
  }

  /** Deterministic torque actionScale·tanh(μ) for an observation: the lecture's test.py policy. */
  deterministicTorque(observation: Float32Array): number {
    return this.agent.deterministicTorque(observation)[0] ?? 0;
  }

  /** The actor as tfjs LayersModel files, with provenance in userDefinedMetadata. */
  exportActor(runName: string, weightsFileName = `sac-pendulum-${runName}.weights.bin`): Promise<ActorFiles> {
    const last = this.history[this.history.length - 1];
    return exportActorFiles(this.agent.actor, weightsFileName, {
      runName,
      actionScale: this.currentConfig.actionScale,
      hyperparameters: this.currentConfig,
      steps: this.stepCount,
      episodes: this.episodeCount,
      lastScore: last?.score ?? null,
      avg100: last?.avg100 ?? null,
    });
  }

  /** Loads actor weights into this run's actor; throws (changing nothing) if the files do not fit. */
  async importActor(files: ActorFiles): Promise<void> {
    await importActorFiles(this.agent.actor, files);
    this.agent.syncPolicy();
  }

  dispose(): void {
    this.statsSum?.dispose();
    this.statsSum = null;
    this.agent.dispose();
  }
}
