/**
 * One run inside a worker, of any of the five algorithms: its trainer (a SessionTrainer, made by
 * sessionTrainers.ts), the pacing of its training slices, its test-policy loop, the batching of its
 * metrics, and its checkpoints. Plain TypeScript: the worker globals it needs come in
 * as `post` and `now`, so the whole lifecycle is unit-tested in Node with a fake clock
 * (tests/worker/session.test.ts). The worker file (training.worker.ts) only routes messages to
 * sessions and calls `tick()` on the ones that want to run.
 *
 * Pacing: `tick()` runs one slice, sized to take ~TARGET_SLICE_MS, and returns when it wants to run next:
 * 0 (as soon as possible: training in fast mode), a delay in ms (watch mode and the test policy follow
 * the wall clock at 20 env steps/s × the multiplier), or null (idle: paused, stopped, disposed).
 *
 * Ordering promise to the page: every episode is sent exactly once in a `progress`, and every episode a
 * checkpoint covers was sent before that `checkpoint` (sendCheckpoint flushes first), so the page can
 * save a checkpoint together with exactly the episodes it already holds.
 *
 * Every error is caught here: the session pauses, is kept (its weights stay downloadable), and the page
 * gets an `error` with the runId. A failed create/restore posts an `error` with `fatal: true`.
 */
import * as tf from '@tensorflow/tfjs';
import type { AlgorithmId } from '../rl/algorithm';
import { liveSettingDifferences, type AlgorithmConfig } from '../rl/algorithmSettings';
import { DEFAULT_PHYSICS, physicsProblem, validatePhysics, type PendulumPhysics } from '../rl/env/physics';
import { GRID_MAX_SIZE, GRID_MIN_SIZE } from '../rl/insight/grid';
import { checkpointTransferables } from '../rl/checkpoint';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { EpisodeMetrics, StopReason } from '../rl/types';
import {
  PROGRESS_INTERVAL_MS,
  UpdateRateMeter,
  WatchClock,
  nextSliceSteps,
  roundToGranularity,
  trainingSliceSteps,
  watchRate,
} from './pacing';
import {
  CHECKPOINT_INTERVAL_MS,
  FRAME_LENGTH,
  INSIGHT_DEFAULT_GRID,
  INSIGHT_INTERVAL_MS,
  INSIGHT_THETA_DOT_RANGE,
  INSIGHT_THETA_RANGE,
  ROBUSTNESS_DEFAULT_EPISODES,
  WATCH_STEPS_PER_SECOND,
  actorFileNames,
  assertNever,
  normalizeSpeed,
  type CheckpointMessage,
  type CreateSessionMessage,
  type DebugLoseWebglContextMessage,
  type PageToWorker,
  type PushMessage,
  type RobustnessMessage,
  type SetInsightMessage,
  type SetPhysicsMessage,
  type RunId,
  type RunPhase,
  type SpeedSetting,
  type TestReplay,
  type WorkerToPage,
} from './protocol';
import type { SessionTrainer } from './sessionTrainer';
import { createSessionTrainer, restoreSessionTrainer } from './sessionTrainers';
import { RobustnessSweep, checkRobustnessRequest } from './robustness';
import { TestPolicyLoop, testReplayProblem } from './testPolicyLoop';

/** Pendulum-v1 episodes are 200 steps long (the time limit truncates them). */
const EPISODE_STEPS = 200;
/** Target wall time of one chunk of a robustness sweep (the worker is never blocked much longer). */
const ROBUSTNESS_CHUNK_MS = 100;

/**
 * What a session re-created under the same runId (after a WebGL context loss) takes over from the old
 * one: the maps setting, the test env's physics and the physics asked for training (issue 9).
 */
export interface SessionCarryOver {
  insightGridSize: number | null;
  testPhysics: PendulumPhysics;
  trainingPhysics: PendulumPhysics | null;
}

/** What a session needs from its host (the worker, or a test). */
export interface SessionHost {
  /** Sends a message to the page; `transfer` lists buffers the session no longer uses. */
  post: (message: WorkerToPage, transfer?: Transferable[]) => void;
  /** Monotonic clock in ms (performance.now in the worker; a fake clock in tests). */
  now: () => number;
  /**
   * Keep a copy of the latest checkpoint in memory (for re-creating the session after a WebGL context
   * loss). When false, the checkpoint's typed arrays are transferred to the page instead of copied.
   */
  keepLastCheckpoint?: boolean;
}

export interface SessionOptions extends SessionHost {
  runId: RunId;
  runName: string;
}

/** The messages a session handles itself (creation is the factory's job). */
/** What a session handles: everything but its creation and the router's own test hook. */
export type SessionMessage = Exclude<PageToWorker, CreateSessionMessage | DebugLoseWebglContextMessage>;

/** The text of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The weights file an exported actor's model.json points at, <algorithm>-pendulum-<run>.weights.bin: the
 * best actor gets its own name (`<run>-best`), so downloading both never overwrites one with the other.
 */
export function actorWeightsFileName(runName: string, which: 'final' | 'best', algorithm: AlgorithmId = 'sac'): string {
  return actorFileNames(which === 'best' ? `${runName}-best` : runName, algorithm).weights;
}

/** What turns NaN/∞ first in each algorithm (what its trainer checks before stopping with 'nonFinite'). */
const NON_FINITE_CAUSE: Readonly<Record<AlgorithmId, string>> = {
  sac: 'a loss or α',
  ddpg: 'a loss or the Q value',
  td3: 'a loss or the Q value',
  ppo: 'a network weight or an action',
  trpo: 'a network weight or an action',
};

/** The sentence the page shows when a run stops, for any algorithm (its own goal score and counters). */
export function describeStop(reason: StopReason, trainer: SessionTrainer): string {
  switch (reason) {
    case 'goal':
      return `Goal reached at episode ${trainer.goalReachedAtEpisode ?? trainer.episodesDone}: the mean of the last 100 scores is above ${String(trainer.config.goalScore)}. Training stopped (the lecture's stop rule); untick "Stop at goal" or raise the goal score to go on.`;
    case 'maxEpisodes':
      return `Training stopped after ${trainer.episodesDone} episodes (Maximum episodes).`;
    case 'maxSteps':
      return `Training stopped after ${trainer.totalSteps} env steps (Maximum env steps).`;
    case 'nonFinite':
      return `Training stopped at step ${trainer.totalSteps}: ${NON_FINITE_CAUSE[trainer.algorithm]} became NaN or infinite. What was learned before is kept and can be downloaded; restart, e.g. with lower learning rates.`;
    case 'user':
      return `Stopped at step ${trainer.totalSteps} (Stop).`;
    default:
      return assertNever(reason);
  }
}

export class TrainingSession {
  readonly runId: RunId;
  private runName: string;
  private readonly post: SessionHost['post'];
  private readonly now: () => number;
  private readonly keepLastCheckpoint: boolean;
  private readonly trainer: SessionTrainer;

  private currentPhase: RunPhase = 'starting';
  /** Phase to return to when a test ends. */
  private phaseBeforeTest: 'paused' | 'stopped' = 'paused';
  private currentSpeed: SpeedSetting = { mode: 'fast', multiplier: 1 };
  private disposed = false;

  private sliceSteps = 1;
  private readonly watchClock: WatchClock;
  private readonly rateMeter = new UpdateRateMeter();

  /** Episodes finished since the last `progress`. */
  private pendingEpisodes: EpisodeMetrics[] = [];
  /** Episodes of this run handed to the page (or pending), counted from the run's first episode. */
  private episodesReported: number;
  private lastProgressAt = Number.NEGATIVE_INFINITY;

  /**
   * Time in phase `running` (this session's clock, ms) before `runningSince`: paces interval checkpoints,
   * so a crash loses at most CHECKPOINT_INTERVAL_MS of the user's time, in watch mode too.
   */
  private trainingMsBefore = 0;
  private runningSince: number | null = null;
  private trainingMsAtLastCheckpoint: number;
  private latestCheckpoint: RunCheckpoint | null = null;

  private test: TestPolicyLoop | null = null;
  /** Seeds of the test episodes: 1, 2, … per session, so a test replays the same starts. */
  private nextTestSeed = 1;

  // Issue 9: see inside the agent.
  /** The maps' grid size while they are on (setInsight), else null. */
  private insightGridSize: number | null = null;
  private lastInsightAt = Number.NEGATIVE_INFINITY;
  /** Wall ms the last maps took: a slow refresh (e.g. tfjs's cpu backend) spaces the next ones out. */
  private lastInsightMs = 0;
  /** The test env's physics (every test episode, and the robustness sweep's base). */
  private testPhysics: PendulumPhysics = { ...DEFAULT_PHYSICS };
  /** The physics last asked for training (applyToTraining), or null: re-applied after a re-creation. */
  private trainingPhysics: PendulumPhysics | null = null;
  private robustness: { requestId: number; sweep: RobustnessSweep; chunkSteps: number } | null = null;

  private constructor(options: SessionOptions, trainer: SessionTrainer) {
    this.runId = options.runId;
    this.runName = options.runName;
    this.post = options.post;
    this.now = options.now;
    this.keepLastCheckpoint = options.keepLastCheckpoint ?? false;
    this.trainer = trainer;
    this.trainingMsAtLastCheckpoint = 0;
    this.episodesReported = trainer.episodesDone;
    this.watchClock = new WatchClock(this.now());
  }

  /**
   * Creates a session from a `createSession` message: a new run of `message.algorithm`, or a saved one
   * restored from its checkpoint (which must be of that algorithm; then the live keys of `config` that
   * differ are applied). Posts `sessionCreated`, a frame and the phase. On failure posts `error` with
   * `fatal: true` and returns null. The tfjs backend must already be active (the worker selects it).
   */
  static async create(message: CreateSessionMessage, host: SessionHost): Promise<TrainingSession | null> {
    const options: SessionOptions = { ...host, runId: message.runId, runName: message.runName };
    let trainer: SessionTrainer;
    try {
      trainer = message.checkpoint
        ? await restoreSessionTrainer(message.checkpoint, message.algorithm)
        : await createSessionTrainer(message.algorithm, message.config);
    } catch (error) {
      const what = message.checkpoint ? 'Could not restore the run' : 'Could not create the run';
      host.post({ type: 'error', runId: message.runId, message: `${what}: ${errorText(error)}`, fatal: true });
      return null;
    }
    const session = new TrainingSession(options, trainer);
    try {
      session.currentSpeed = normalizeSpeed(message.speed);
      session.announce(message);
    } catch (error) {
      // A malformed speed, or announcing (frame, config) failing: the run is unusable here; free it.
      trainer.dispose();
      host.post({ type: 'error', runId: message.runId, message: `Could not start the run: ${errorText(error)}`, fatal: true });
      return null;
    }
    return session;
  }

  private announce(message: CreateSessionMessage): void {
    if (message.checkpoint) {
      const differences = liveSettingDifferences(this.trainer.algorithm, message.checkpoint.config, message.config);
      if (Object.keys(differences).length > 0) {
        try {
          this.trainer.setLiveConfig(differences);
        } catch (error) {
          this.post({ type: 'notice', runId: this.runId, message: `Kept the saved run's settings: ${errorText(error)}` });
        }
      }
    }
    this.post({
      type: 'sessionCreated',
      runId: this.runId,
      algorithm: this.trainer.algorithm,
      config: this.trainer.config,
      totalSteps: this.trainer.totalSteps,
      episodesDone: this.trainer.episodesDone,
      numTensors: tf.memory().numTensors,
    });
    this.postTrainingFrame();
    if (this.trainer.stopReason !== null) this.setPhase('stopped');
    else this.setPhase(message.start === 'running' ? 'running' : 'paused');
  }

  get phase(): RunPhase {
    return this.currentPhase;
  }
  get speed(): SpeedSetting {
    return { ...this.currentSpeed };
  }
  get name(): string {
    return this.runName;
  }
  get algorithm(): AlgorithmId {
    return this.trainer.algorithm;
  }
  /** The run's config including live changes (keyed by its algorithm's table). */
  get config(): AlgorithmConfig {
    return this.trainer.config;
  }
  get totalSteps(): number {
    return this.trainer.totalSteps;
  }
  /** The latest checkpoint sent, when the host asked to keep one (else null). */
  get lastCheckpoint(): RunCheckpoint | null {
    return this.latestCheckpoint;
  }

  // -------------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------------

  /** Handles one message for this run. Never throws: a failure pauses the session and posts `error`. */
  async handle(message: SessionMessage): Promise<void> {
    if (this.disposed) {
      this.post({ type: 'error', runId: this.runId, message: `The run was already closed in its worker; "${message.type}" was ignored.` });
      return;
    }
    try {
      await this.dispatch(message);
    } catch (error) {
      this.fail(error);
    }
  }

  private async dispatch(message: SessionMessage): Promise<void> {
    switch (message.type) {
      case 'pause':
        await this.pause();
        return;
      case 'resume':
        await this.resume();
        return;
      case 'stop':
        await this.stop();
        return;
      case 'disposeSession':
        this.dispose();
        return;
      case 'setLiveConfig':
        this.setLiveConfig(message.requestId, message.partial);
        return;
      case 'setSpeed':
        this.currentSpeed = normalizeSpeed(message.speed);
        this.watchClock.reset(this.now());
        return;
      case 'startTest':
        await this.startTest(message.replay ?? null);
        return;
      case 'stopTest':
        this.stopTest();
        return;
      case 'requestCheckpoint':
        await this.sendCheckpoint('request', message.requestId);
        return;
      case 'exportActor':
        await this.exportActor(message.requestId, message.runName, message.which);
        return;
      case 'importActor':
        await this.importActor(message.requestId, message.files);
        return;
      case 'setInsight':
        await this.setInsight(message);
        return;
      case 'push':
        this.push(message);
        return;
      case 'setPhysics':
        this.setPhysics(message);
        return;
      case 'robustness':
        this.startRobustness(message);
        return;
      default:
        assertNever(message);
    }
  }

  private async pause(): Promise<void> {
    if (this.currentPhase !== 'running') return;
    this.setPhase('paused');
    await this.sendCheckpoint('pause', null);
  }

  private async resume(): Promise<void> {
    if (this.currentPhase === 'testing') this.endTest();
    else if (this.currentPhase !== 'paused') {
      if (this.currentPhase === 'stopped' && this.trainer.stopReason !== null) {
        this.post({ type: 'notice', runId: this.runId, message: `${describeStop(this.trainer.stopReason, this.trainer)} It can't resume as it is.` });
      }
      return;
    }
    this.setPhase(this.trainer.stopReason === null ? 'running' : 'stopped');
  }

  /** The user's Stop: the run ends for good (stopReason `user`), with a final checkpoint. */
  private async stop(): Promise<void> {
    if (this.currentPhase === 'stopped' && this.trainer.stopReason !== null) return;
    this.test = null;
    this.trainer.stop();
    this.setPhase('stopped');
    await this.sendCheckpoint('stop', null);
  }

  /** Checked by the trainer against its algorithm's table: unknown keys, ranges, and restart-only keys (named). */
  private setLiveConfig(requestId: number, partial: AlgorithmConfig): void {
    try {
      this.trainer.setLiveConfig(partial);
    } catch (error) {
      this.post({ type: 'configRejected', runId: this.runId, requestId, partial, message: errorText(error) });
      return;
    }
    this.post({ type: 'configApplied', runId: this.runId, requestId, partial, atStep: this.trainer.totalSteps });
    // A raised limit or a disabled stop rule lets a stopped run go on.
    if (this.currentPhase === 'stopped' && this.trainer.stopReason === null) this.setPhase('paused');
  }

  private async startTest(replay: TestReplay | null): Promise<void> {
    if (this.currentPhase === 'testing' || this.currentPhase === 'starting') return;
    const problem = replay === null ? null : testReplayProblem(replay);
    if (problem !== null) {
      this.post({ type: 'notice', runId: this.runId, message: `Can't replay that test episode: ${problem}.` });
      return;
    }
    const wasRunning = this.currentPhase === 'running';
    this.phaseBeforeTest = this.currentPhase === 'stopped' ? 'stopped' : 'paused';
    this.test = new TestPolicyLoop(() => this.nextTestSeed++, this.testPhysics, replay);
    this.watchClock.reset(this.now());
    this.setPhase('testing');
    // Leaving `running` is a pause of training: checkpoint it like one.
    if (wasRunning) await this.sendCheckpoint('pause', null);
  }

  private stopTest(): void {
    if (this.currentPhase !== 'testing') return;
    this.endTest();
    this.setPhase(this.phaseBeforeTest);
  }

  private endTest(): void {
    this.test = null;
    this.postTrainingFrame();
  }

  private async exportActor(requestId: number, runName: string, which: 'final' | 'best'): Promise<void> {
    // The run may have been renamed in the list since it was created: later files carry the new name.
    this.runName = runName;
    if (which === 'best' && this.trainer.best100 === null) {
      this.post({ type: 'actorFailed', runId: this.runId, requestId, operation: 'export', message: 'No best actor yet: it is kept from the first finished episode on.' });
      return;
    }
    let files;
    try {
      files = await this.trainer.exportActor(runName, which, actorWeightsFileName(runName, which, this.trainer.algorithm));
    } catch (error) {
      this.post({ type: 'actorFailed', runId: this.runId, requestId, operation: 'export', message: `Could not export the actor: ${errorText(error)}` });
      return;
    }
    this.post({ type: 'actorExported', runId: this.runId, requestId, files }, [files.weightsBin]);
  }

  private async importActor(requestId: number, files: { modelJson: string; weightsBin: ArrayBuffer; weightsFileName: string }): Promise<void> {
    try {
      await this.trainer.importActor(files);
    } catch (error) {
      this.post({
        type: 'actorFailed',
        runId: this.runId,
        requestId,
        operation: 'import',
        message: `Could not load ${files.weightsFileName}: ${errorText(error)}. The run is unchanged.`,
      });
      return;
    }
    this.post({ type: 'actorImported', runId: this.runId, requestId, fileName: files.weightsFileName });
  }

  // -------------------------------------------------------------------------------------------------
  // Issue 9: maps, pushes, physics, robustness
  // -------------------------------------------------------------------------------------------------

  /** Maps on (posted once now, then about once a second while training or testing) or off. */
  private async setInsight(message: SetInsightMessage): Promise<void> {
    if (message.enabled !== true) {
      this.insightGridSize = null;
      return;
    }
    let gridSize = message.gridSize;
    if (typeof gridSize !== 'number' || !Number.isFinite(gridSize)) gridSize = INSIGHT_DEFAULT_GRID;
    const clamped = Math.min(GRID_MAX_SIZE, Math.max(GRID_MIN_SIZE, Math.round(gridSize)));
    if (clamped !== message.gridSize) {
      this.post({ type: 'notice', runId: this.runId, message: `The map grid is ${clamped} × ${clamped} (sizes ${GRID_MIN_SIZE} to ${GRID_MAX_SIZE}; asked for ${String(message.gridSize)}).` });
    }
    this.insightGridSize = clamped;
    await this.postInsight();
  }

  /** Posts the maps when they are on and a second has passed since the last ones. */
  private async maybePostInsight(): Promise<void> {
    // About once a second, but never more than ~20 % of the worker's time.
    const interval = Math.max(INSIGHT_INTERVAL_MS, 5 * this.lastInsightMs);
    if (this.insightGridSize === null || this.now() - this.lastInsightAt < interval) return;
    await this.postInsight();
  }

  /** The maps of the current networks. A failure turns the maps off with a notice; the run goes on. */
  private async postInsight(): Promise<void> {
    const gridSize = this.insightGridSize;
    if (gridSize === null) return;
    const start = this.now();
    this.lastInsightAt = start;
    let maps;
    try {
      maps = await this.trainer.insightMaps(gridSize);
      this.lastInsightMs = this.now() - start;
    } catch (error) {
      this.insightGridSize = null;
      this.post({ type: 'notice', runId: this.runId, message: `The phase-space maps are off: they could not be computed (${errorText(error)}).` });
      return;
    }
    this.post(
      {
        type: 'insight',
        runId: this.runId,
        step: this.trainer.totalSteps,
        gridSize,
        thetaRange: [INSIGHT_THETA_RANGE[0], INSIGHT_THETA_RANGE[1]],
        thetaDotRange: [INSIGHT_THETA_DOT_RANGE[0], INSIGHT_THETA_DOT_RANGE[1]],
        maps,
      },
      [...new Set(maps.map((map) => map.values.buffer as ArrayBuffer))],
    );
  }

  /** A push: the test env during Test policy, the training env while training in watch mode; refused otherwise. */
  private push(message: PushMessage): void {
    const { requestId } = message;
    const reject = (text: string): void => this.post({ type: 'pushRejected', runId: this.runId, requestId, message: text });
    const push = { ...(message.deltaThetaDot !== undefined ? { deltaThetaDot: message.deltaThetaDot } : {}), ...(message.theta !== undefined ? { theta: message.theta } : {}) };
    if (this.currentPhase === 'testing' && this.test) {
      let applied;
      try {
        applied = this.test.push(push);
      } catch (error) {
        reject(`Push not applied: ${errorText(error)}.`);
        return;
      }
      this.post({ type: 'pushApplied', runId: this.runId, requestId, theta: applied.theta, thetaDot: applied.thetaDot, source: 'test', step: applied.step });
      const state = this.test.state;
      this.postFrame('test', state.theta, state.thetaDot, state.torque, state.stepInEpisode);
      return;
    }
    if (this.currentPhase === 'running' && this.currentSpeed.mode === 'watch') {
      let applied;
      try {
        applied = this.trainer.pushEnv(push);
      } catch (error) {
        reject(`Push not applied: ${errorText(error)}.`);
        return;
      }
      this.post({ type: 'pushApplied', runId: this.runId, requestId, theta: applied.theta, thetaDot: applied.thetaDot, source: 'train', step: applied.stepInEpisode });
      this.postTrainingFrame();
      return;
    }
    const why =
      this.currentPhase === 'running'
        ? 'the run is training in fast mode (switch to watch mode to push the training pendulum)'
        : `the run is ${this.currentPhase}`;
    reject(`The pendulum can be pushed during Test policy, or while training in watch mode; ${why}.`);
  }

  /** Physics for the test env (now) and, when asked, for training from its next episode on. */
  private setPhysics(message: SetPhysicsMessage): void {
    const { requestId, applyToTraining } = message;
    const reject = (text: string): void => this.post({ type: 'physicsRejected', runId: this.runId, requestId, message: text });
    const problem = physicsProblem(message.physics);
    if (problem !== null) {
      reject(`Physics not applied: ${problem}.`);
      return;
    }
    if (typeof applyToTraining !== 'boolean') {
      reject(`Physics not applied: applyToTraining must be true or false, got ${String(applyToTraining)}.`);
      return;
    }
    const physics = validatePhysics(message.physics);
    if (applyToTraining) {
      try {
        this.trainer.setEnvPhysics(physics);
      } catch (error) {
        reject(`Physics not applied: ${errorText(error)}.`);
        return;
      }
      this.trainingPhysics = { ...physics };
    }
    this.testPhysics = { ...physics };
    this.test?.setPhysics(physics);
    this.post({ type: 'physicsApplied', runId: this.runId, requestId, physics: { ...physics }, applyToTraining });
  }

  /** Starts a robustness sweep; its chunks run in the next ticks (tick answers with robustnessResult). */
  private startRobustness(message: RobustnessMessage): void {
    const { requestId } = message;
    const fail = (text: string): void => this.post({ type: 'robustnessFailed', runId: this.runId, requestId, message: text });
    if (this.robustness) {
      fail(`A robustness sweep is already running for this run (request ${this.robustness.requestId}); try again when it has finished.`);
      return;
    }
    let sweep: RobustnessSweep;
    try {
      const request = checkRobustnessRequest(message.parameter, message.values, message.episodes ?? ROBUSTNESS_DEFAULT_EPISODES, this.testPhysics);
      sweep = new RobustnessSweep(request, this.testPhysics);
    } catch (error) {
      fail(`Robustness sweep not started: ${errorText(error)}.`);
      return;
    }
    this.robustness = { requestId, sweep, chunkSteps: 10 };
  }

  /** One chunk of the running sweep (sized to ~ROBUSTNESS_CHUNK_MS), and its answer when done. */
  private robustnessSlice(): void {
    const job = this.robustness;
    if (!job) return;
    const start = this.now();
    try {
      job.sweep.advance(job.chunkSteps, (observations, count) => this.trainer.deterministicTorques(observations, count));
    } catch (error) {
      this.robustness = null;
      this.post({ type: 'robustnessFailed', runId: this.runId, requestId: job.requestId, message: `The robustness sweep failed: ${errorText(error)}.` });
      return;
    }
    const msPerStep = (this.now() - start) / Math.max(1, job.chunkSteps);
    job.chunkSteps = msPerStep > 0 ? Math.max(1, Math.min(EPISODE_STEPS, Math.floor(ROBUSTNESS_CHUNK_MS / msPerStep))) : EPISODE_STEPS;
    if (!job.sweep.done) return;
    this.robustness = null;
    this.post({ type: 'robustnessResult', runId: this.runId, requestId: job.requestId, ...job.sweep.result() });
  }

  /** What a re-created session takes over (router.ts, after a WebGL context loss). */
  get carryOver(): SessionCarryOver {
    return { insightGridSize: this.insightGridSize, testPhysics: { ...this.testPhysics }, trainingPhysics: this.trainingPhysics === null ? null : { ...this.trainingPhysics } };
  }

  /**
   * Takes over a previous session's maps setting and physics. The training physics come back with the
   * checkpoint's env state when they were in effect at the checkpoint; else they wait for the next episode
   * again. With maps on, posts them at once (a restore shows them without waiting).
   */
  async applyCarryOver(carried: SessionCarryOver): Promise<void> {
    this.testPhysics = validatePhysics(carried.testPhysics);
    if (carried.trainingPhysics !== null) {
      const wanted = validatePhysics(carried.trainingPhysics);
      const { current, pending } = this.trainer.envPhysics;
      const same = (a: PendulumPhysics | null): boolean => a !== null && (Object.keys(wanted) as Array<keyof PendulumPhysics>).every((key) => a[key] === wanted[key]);
      if (!same(pending) && !(pending === null && same(current))) this.trainer.setEnvPhysics(wanted);
      this.trainingPhysics = wanted;
    }
    if (carried.insightGridSize !== null) {
      this.insightGridSize = carried.insightGridSize;
      await this.postInsight();
    }
  }

  /** Frees the trainer's tensors and tells the page how many remain in the worker. */
  dispose(): void {
    if (this.disposed) return;
    try {
      this.release();
    } finally {
      this.post({ type: 'sessionDisposed', runId: this.runId, numTensors: tf.memory().numTensors });
    }
  }

  /**
   * Frees the trainer's tensors without telling the page: for a session that is re-created at once
   * under the same runId (after a WebGL context loss), where `sessionDisposed` would read as a delete.
   */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.test = null;
    this.robustness = null;
    this.insightGridSize = null;
    this.pendingEpisodes = [];
    this.trainer.dispose();
  }

  // -------------------------------------------------------------------------------------------------
  // The loop
  // -------------------------------------------------------------------------------------------------

  /**
   * Runs one slice (training or test policy) and says when to run next: 0 = as soon as possible, a
   * delay in ms, or null = idle until a message changes the phase. Never throws.
   */
  async tick(): Promise<number | null> {
    if (this.disposed) return null;
    try {
      // A robustness sweep runs first, chunk by chunk, whatever the phase; the pendulums' clock restarts after it.
      if (this.robustness) {
        this.robustnessSlice();
        if (this.robustness) return 0;
        this.watchClock.reset(this.now());
      }
      let next: number | null = null;
      if (this.currentPhase === 'running') next = await this.trainSlice();
      else if (this.currentPhase === 'testing') next = this.testSlice();
      if (this.currentPhase === 'running' || this.currentPhase === 'testing') await this.maybePostInsight();
      return next;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  private async trainSlice(): Promise<number | null> {
    const trainer = this.trainer;
    // Whole vector steps (on-policy: n_envs env steps each; off-policy: 1).
    const unit = trainer.stepGranularity;
    let steps = roundToGranularity(trainingSliceSteps(this.sliceSteps, trainer.totalSteps, trainer.firstUpdateStep - 1), unit);
    const watching = this.currentSpeed.mode === 'watch';
    // Watch mode is real time for the pendulum drawn (env 0): 20 vector steps/s × the multiplier.
    const rate = watchRate(WATCH_STEPS_PER_SECOND, this.currentSpeed.multiplier) * unit;
    if (watching) {
      const due = this.watchClock.stepsDue(this.now(), rate);
      if (due < unit) {
        this.flushProgress(false);
        return this.watchClock.msUntilNextStep(this.now(), rate, unit);
      }
      steps = Math.min(steps, roundToGranularity(due, unit));
    }
    const start = this.now();
    const result = trainer.runFor(steps);
    const duration = this.now() - start;
    this.watchClock.advance(result.steps);
    this.sliceSteps = nextSliceSteps(this.sliceSteps, result.steps, duration);
    for (const episode of result.episodes) this.pendingEpisodes.push(episode);
    this.episodesReported += result.episodes.length;
    this.postTrainingFrame();

    if (result.stopReason !== null) {
      await this.endByItself(result.stopReason);
      return null;
    }
    this.flushProgress(false);
    if (this.trainingMs() - this.trainingMsAtLastCheckpoint >= CHECKPOINT_INTERVAL_MS) await this.sendCheckpoint('interval', null);
    return watching ? this.watchClock.msUntilNextStep(this.now(), rate, unit) : 0;
  }

  /** The run stopped by itself (goal, limits, NaN): phase `stopped`, the reason in words, a final checkpoint. */
  private async endByItself(reason: StopReason): Promise<void> {
    this.flushProgress(true);
    this.setPhase('stopped');
    const text = describeStop(reason, this.trainer);
    this.post({ type: 'notice', runId: this.runId, message: text });
    if (reason === 'nonFinite') this.post({ type: 'error', runId: this.runId, message: text });
    await this.sendCheckpoint('stop', null);
  }

  private testSlice(): number | null {
    const test = this.test;
    if (!test) return null;
    const rate = watchRate(WATCH_STEPS_PER_SECOND, this.currentSpeed.mode === 'watch' ? this.currentSpeed.multiplier : 1);
    const due = this.watchClock.stepsDue(this.now(), rate);
    const finished = test.run(due, (observation) => this.trainer.deterministicTorque(observation));
    for (const { episode, score, seed, pushes, physics } of finished) {
      this.post({ type: 'testEpisode', runId: this.runId, episode, score, seed, ...(pushes.length > 0 ? { pushes } : {}), physics });
    }
    if (test.replayFinished) {
      // A replay plays its one episode: the test ends by itself and the pendulum shows training again.
      this.stopTest();
      return null;
    }
    this.watchClock.advance(due);
    const { theta, thetaDot, torque, stepInEpisode } = test.state;
    this.postFrame('test', theta, thetaDot, torque, stepInEpisode);
    return this.watchClock.msUntilNextStep(this.now(), rate);
  }

  /** Any error: the session pauses and is kept (its weights stay downloadable); the page is told. */
  private fail(error: unknown): void {
    this.test = null;
    const sweep = this.robustness;
    this.robustness = null;
    if (sweep) this.post({ type: 'robustnessFailed', runId: this.runId, requestId: sweep.requestId, message: 'The robustness sweep was stopped: the run failed.' });
    // Episodes that finished inside a slice that then threw never reached pendingEpisodes: recover them
    // from the trainer's history so the page still gets every episode once.
    const missing = this.trainer.episodesDone - this.episodesReported;
    if (missing > 0) {
      const recovered = this.trainer.metrics.slice(-missing);
      for (const episode of recovered) this.pendingEpisodes.push(episode);
      this.episodesReported += recovered.length;
    }
    this.post({ type: 'error', runId: this.runId, message: `${errorText(error)}. The run is paused; its weights can still be downloaded.` });
    // No checkpoint here: after a throw mid-step the state may be inconsistent; the last good one stands.
    if (this.currentPhase === 'running' || this.currentPhase === 'testing' || this.currentPhase === 'starting') this.setPhase('paused');
    this.flushProgress(true);
  }

  // -------------------------------------------------------------------------------------------------
  // Phase, time, progress, frames, checkpoints
  // -------------------------------------------------------------------------------------------------

  private setPhase(next: RunPhase): void {
    const time = this.now();
    if (this.currentPhase === 'running' && next !== 'running' && this.runningSince !== null) {
      this.trainingMsBefore += time - this.runningSince;
      this.runningSince = null;
    }
    if (next === 'running' && this.currentPhase !== 'running') {
      this.runningSince = time;
      this.watchClock.reset(time);
      this.rateMeter.clear();
    }
    this.currentPhase = next;
    this.post({ type: 'phase', runId: this.runId, phase: next, stopReason: this.trainer.stopReason });
  }

  /** Milliseconds this session spent in phase `running`. */
  private trainingMs(): number {
    return this.trainingMsBefore + (this.runningSince === null ? 0 : this.now() - this.runningSince);
  }

  /** Sends counters and the episodes finished since the last progress (at most every PROGRESS_INTERVAL_MS unless forced). */
  private flushProgress(force: boolean): void {
    const time = this.now();
    if (!force && time - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = time;
    const trainer = this.trainer;
    this.rateMeter.record(time, trainer.updates);
    const episodes = this.pendingEpisodes;
    this.pendingEpisodes = [];
    this.post({
      type: 'progress',
      runId: this.runId,
      totalSteps: trainer.totalSteps,
      episodesDone: trainer.episodesDone,
      updates: trainer.updates,
      updatesPerSecond: this.currentPhase === 'running' ? this.rateMeter.updatesPerSecond() : 0,
      // The trainer's training time (inside runFor), as the episodes' wallSeconds and the checkpoint
      // count it: it goes on across restores without a jump, and paused time is not in it.
      elapsedSeconds: trainer.trainingTimeSeconds,
      episodes,
      goalReachedAtEpisode: trainer.goalReachedAtEpisode,
      numTensors: tf.memory().numTensors,
    });
  }

  /**
   * The run's full state for the page to save. Progress is flushed first, so every episode the
   * checkpoint covers was sent before it. The actor files are fresh buffers and always transferred; the
   * checkpoint's typed arrays are transferred unless the host keeps the checkpoint (then they are copied).
   */
  private async sendCheckpoint(reason: CheckpointMessage['reason'], requestId: number | null): Promise<void> {
    this.flushProgress(true);
    const trainer = this.trainer;
    const checkpoint = trainer.checkpoint();
    const finalActor = await trainer.exportActor(this.runName, 'final', actorWeightsFileName(this.runName, 'final', trainer.algorithm));
    const best100 = trainer.best100;
    const bestActor = best100 === null ? null : await trainer.exportActor(this.runName, 'best', actorWeightsFileName(this.runName, 'best', trainer.algorithm));
    this.trainingMsAtLastCheckpoint = this.trainingMs();
    const transfer = new Set<Transferable>([finalActor.weightsBin]);
    if (bestActor) transfer.add(bestActor.weightsBin);
    if (this.keepLastCheckpoint) this.latestCheckpoint = checkpoint;
    else for (const buffer of checkpointTransferables(checkpoint)) transfer.add(buffer);
    this.post(
      {
        type: 'checkpoint',
        runId: this.runId,
        requestId,
        reason,
        checkpoint,
        finalActor,
        bestActor,
        best100: best100 === null ? null : { value: best100.value, episode: best100.episode },
      },
      [...transfer],
    );
  }

  private postTrainingFrame(): void {
    const state = this.trainer.pendulumState();
    // The drawn pendulum (env 0) takes one step per vector step of all the run's envs.
    const stepsOfDrawnEnv = Math.floor(this.trainer.totalSteps / this.trainer.stepGranularity);
    this.postFrame('train', state.theta, state.thetaDot, state.torque, stepsOfDrawnEnv % EPISODE_STEPS);
  }

  private postFrame(source: 'train' | 'test', theta: number, thetaDot: number, torque: number, stepInEpisode: number): void {
    const data = new Float32Array(FRAME_LENGTH);
    data[0] = theta;
    data[1] = thetaDot;
    data[2] = torque;
    data[3] = stepInEpisode;
    this.post({ type: 'frame', runId: this.runId, source, data }, [data.buffer]);
  }
}
