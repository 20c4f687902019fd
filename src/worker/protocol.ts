/**
 * Every message between the page (main thread) and the training worker, declared once and used by both
 * sides: one discriminated union per direction, tagged by `type`. Both sides switch exhaustively over
 * the tag and end in `assertNever`, so adding a message without handling it fails to compile.
 *
 * Only plain data crosses: numbers, strings, plain objects, ArrayBuffers / typed arrays (transferred).
 * This file must not import tfjs (the main bundle imports it).
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { PendulumPhysics } from '../rl/env/physics';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics, StopReason } from '../rl/types';

/**
 * What the user picked in the "Backend" selector. `auto` (the default): measured, not guessed: each
 * backend worth trying trains the run's own algorithm for a moment at its hidden and batch size, the
 * fastest is kept, and the result is cached per browser, GPU and shape (src/page/backendCache.ts).
 * `kernels`: SAC's hand-written WebAssembly kernels (tfjs on wasm for the rest). The others force one
 * tfjs backend (each falls back when it cannot start). The old `fastest` is read as `auto`.
 */
export type BackendChoice = 'auto' | 'kernels' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'kernels', 'webgl', 'wasm', 'cpu'];
/** Choices that older pages saved or linked, and what they mean now. */
const LEGACY_BACKEND_CHOICES: Readonly<Record<string, BackendChoice>> = { fastest: 'auto' };

/** A saved, linked or received backend choice, or null when it is none ('fastest' of old is 'auto'). */
export function parseBackendChoice(value: unknown): BackendChoice | null {
  if (typeof value !== 'string') return null;
  const legacy = Object.prototype.hasOwnProperty.call(LEGACY_BACKEND_CHOICES, value) ? LEGACY_BACKEND_CHOICES[value] : undefined;
  if (legacy !== undefined) return legacy;
  return BACKEND_CHOICES.find((choice) => choice === value) ?? null;
}

/**
 * What computes a run in the worker. `webgl`, `wasm`, `cpu`: tfjs on that backend. `kernels`: SAC's
 * hand-written WebAssembly SIMD kernels (src/rl/sac/engine.ts) with tfjs on wasm (cpu if wasm fails) for
 * the maps and exported files; it applies to SAC only (DDPG and TD3 then train on tfjs wasm).
 */
export type BackendName = 'kernels' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['kernels', 'webgl', 'wasm', 'cpu'];
export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

/**
 * The shape of a run that the backend measurement depends on: its algorithm, network and batch size,
 * and how many runs compute together (1: a single run; K: a population of K members in one batched
 * computation).
 */
export interface BackendShape {
  algorithm: AlgorithmId;
  hiddenSize: number;
  batchSize: number;
  members: number;
}

/** One backend's result in the measurement. */
export interface BackendMeasurement {
  backend: BackendName;
  /** Training steps per second, or null when the backend did not start. */
  updatesPerSecond: number | null;
  problem: string | null;
}

/** A backend left out of the measurement, and why (in plain words). */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

/**
 * What the `auto` choice measured (or found nothing worth measuring) for one browser, GPU and shape;
 * the page caches it by `key` (src/page/backendCache.ts) and sends its entries with createSession, so a
 * worker of the same browser and shape does not measure again.
 */
export interface MeasuredBackends {
  /** Version of the measuring code (backendRace.ts's MEASUREMENT_VERSION): a new one measures again. */
  version: number;
  /** backendCacheKey(userAgent, renderer, shape). */
  key: string;
  shape: BackendShape;
  userAgent: string;
  /** WebGL's renderer string where the measurement ran, or null without WebGL. */
  renderer: string | null;
  /** When it was measured (ms since 1970). */
  measuredAt: number;
  winner: BackendName;
  /** Each backend raced, fastest first; empty when there was only one candidate (nothing to race). */
  measurements: BackendMeasurement[];
  skipped: SkippedBackend[];
}

/** fast: train flat out. watch: real time (20 env steps/s, dt = 0.05 s) times `multiplier` (1…10). */
export interface SpeedSetting {
  mode: 'fast' | 'watch';
  multiplier: number;
}
export const WATCH_STEPS_PER_SECOND = 20; // 1 / dt
export const MIN_MULTIPLIER = 1;
export const MAX_MULTIPLIER = 10;

/**
 * Where one session (one run inside a worker) stands. `stopped`: the run ended (by itself: goal, limits,
 * NaN; or by the user's Stop) and can't resume as is; a raised limit can reopen it (then `paused`).
 */
export type RunPhase = 'starting' | 'running' | 'paused' | 'stopped' | 'testing';

/**
 * Runs are named by a page-generated id (a UUID string): unique across tabs and reloads, so the id in
 * IndexedDB, in the runs list and in every message is the same. Every message that concerns a run
 * carries its `runId`; worker-level messages (`ready`, and `backend` when it is about the worker) carry null.
 */
export type RunId = string;

// ---------------------------------------------------------------------------------------------------
// Page → worker
// ---------------------------------------------------------------------------------------------------

/**
 * Creates a session in this worker: a new run from `config`, or a saved run from `checkpoint` (resume
 * after reload, a run moved between workers, an imported run). The first session of a worker selects
 * its tfjs backend from `backend`; later ones share it. Answered by `sessionCreated`, then `phase`.
 * `start`: 'running' trains at once; 'paused' just loads (e.g. to test or export a saved run).
 */
export interface CreateSessionMessage {
  type: 'createSession';
  runId: RunId;
  /** Names the downloaded files: <algorithm>-pendulum-<runName>.json. */
  runName: string;
  /** The run's algorithm; `config` is keyed by its table (and a checkpoint must be of it). */
  algorithm: AlgorithmId;
  config: AlgorithmConfig;
  backend: BackendChoice;
  /**
   * `auto`: the page's cached measurements (src/page/backendCache.ts). The worker uses the one whose key
   * is its own browser, GPU and this run's shape, and measures only when there is none.
   */
  measuredBackends?: MeasuredBackends[];
  speed: SpeedSetting;
  start: 'running' | 'paused';
  /**
   * Present: restore this run instead of creating a new one. The checkpoint's config is the run's; the
   * live keys of `config` that differ from it are then applied as a live change (the user edited a
   * live value while the run was not loaded). `sessionCreated` reports the checkpoint's counters, and
   * the page drops any episode it holds beyond `episodesDone` (they will be produced again, identically).
   */
  checkpoint?: RunCheckpoint;
}
export interface PauseMessage { type: 'pause'; runId: RunId }
export interface ResumeMessage { type: 'resume'; runId: RunId }
/** The user's Stop: the run ends (phase `stopped`, stopReason `user`), a final checkpoint is sent. */
export interface StopMessage { type: 'stop'; runId: RunId }
/** Frees the session's tensors (after its last checkpoint was saved, or on delete). Answered by `sessionDisposed`. */
export interface DisposeSessionMessage { type: 'disposeSession'; runId: RunId }
/** Live hyperparameters; answered by `configApplied` or `configRejected` with the same requestId. */
export interface SetLiveConfigMessage {
  type: 'setLiveConfig';
  runId: RunId;
  requestId: number;
  /** Keys of the run's algorithm's table. */
  partial: AlgorithmConfig;
}
export interface SetSpeedMessage { type: 'setSpeed'; runId: RunId; speed: SpeedSetting }
/**
 * Runs the deterministic actor in real time with no learning (the lecture's test.py). With `replay`:
 * plays exactly one recorded test episode again (its reset seed, physics and pushes at the same steps,
 * from a `testEpisode` message), then the test ends by itself.
 */
export interface StartTestMessage { type: 'startTest'; runId: RunId; replay?: TestReplay }
/** A test episode to play again: what a `testEpisode` message reported. */
export interface TestReplay {
  seed: number;
  pushes: RecordedPush[];
  physics: PendulumPhysics;
}
export interface StopTestMessage { type: 'stopTest'; runId: RunId }
/** Asks for a checkpoint now (answered by `checkpoint` with this requestId). */
export interface RequestCheckpointMessage { type: 'requestCheckpoint'; runId: RunId; requestId: number }
export interface ExportActorMessage { type: 'exportActor'; runId: RunId; requestId: number; runName: string; which: 'final' | 'best' }
/** Loads actor weights into an existing session (the page creates a paused session first if needed). */
export interface ImportActorMessage {
  type: 'importActor';
  runId: RunId;
  requestId: number;
  files: ActorFiles;
}

/**
 * TEST HOOK, not a feature: makes the worker that hosts `runId` lose its WebGL context for real
 * (WEBGL_lose_context.loseContext() on tfjs's context), so a browser test can prove the recovery path
 * (router.ts: every session goes on on wasm from its last checkpoint). Sent only by
 * `window.sacPlayground.loseWebglContext(runId)`, which exists only under `?debug`. Answered by a
 * `notice` when the worker is not on WebGL (nothing to lose), else by the recovery's own messages.
 */
export interface DebugLoseWebglContextMessage { type: 'debugLoseWebglContext'; runId: RunId }

// --- Issue 9: see inside the agent (contract: /tmp/contracts/issue9-protocol.md) ---------------------

export type { PendulumPhysics };

/** Phase-space grid: θ ∈ [−π, π] (columns, left to right), θ̇ ∈ [−8, 8] (rows, from +8 at the top down). */
export const INSIGHT_THETA_RANGE: readonly [number, number] = [-Math.PI, Math.PI];
export const INSIGHT_THETA_DOT_RANGE: readonly [number, number] = [-8, 8];
export const INSIGHT_MIN_GRID = 16;
export const INSIGHT_MAX_GRID = 128;
export const INSIGHT_DEFAULT_GRID = 64;
/** Wall-clock ms between two `insight` messages while training or testing. */
export const INSIGHT_INTERVAL_MS = 1000;
/** Episodes per value of a robustness sweep when the message leaves it out. */
export const ROBUSTNESS_DEFAULT_EPISODES = 10;

/**
 * Turns the phase-space maps on or off (off by default). While on, the session posts `insight` about once
 * per second of wall clock while training or testing, once right after enabling and after a restore.
 */
export interface SetInsightMessage { type: 'setInsight'; runId: RunId; enabled: boolean; gridSize: number }

/**
 * An impulse: during Test policy on the test env, during training in watch mode on the training env;
 * otherwise refused. θ̇ += deltaThetaDot (clipped to ±max speed) and/or θ = theta. Answered by
 * `pushApplied` or `pushRejected`.
 */
export interface PushMessage { type: 'push'; runId: RunId; requestId: number; deltaThetaDot?: number; theta?: number }

/**
 * New physics for the test env (now, and every test episode after), and when `applyToTraining` for the
 * training env from its next episode on. Answered by `physicsApplied` or `physicsRejected`.
 */
export interface SetPhysicsMessage { type: 'setPhysics'; runId: RunId; requestId: number; physics: PendulumPhysics; applyToTraining: boolean }

/**
 * Scores the run's deterministic actor over `episodes` test episodes (seeds 1…episodes) for each value of
 * `parameter` (the other settings at the current test physics). Answered by `robustnessResult` or
 * `robustnessFailed`.
 */
export interface RobustnessMessage {
  type: 'robustness';
  runId: RunId;
  requestId: number;
  parameter: keyof PendulumPhysics;
  values: number[];
  /** Default ROBUSTNESS_DEFAULT_EPISODES. */
  episodes?: number;
}

export type PageToWorker =
  | CreateSessionMessage
  | PauseMessage
  | ResumeMessage
  | StopMessage
  | DisposeSessionMessage
  | SetLiveConfigMessage
  | SetSpeedMessage
  | StartTestMessage
  | StopTestMessage
  | RequestCheckpointMessage
  | ExportActorMessage
  | ImportActorMessage
  | DebugLoseWebglContextMessage
  | SetInsightMessage
  | PushMessage
  | SetPhysicsMessage
  | RobustnessMessage;

// ---------------------------------------------------------------------------------------------------
// Worker → page
// ---------------------------------------------------------------------------------------------------

/** The worker's script has loaded and listens. */
export interface ReadyMessage { type: 'ready'; runId: null }

/** The backend the worker uses, how it was chosen, and why it is not the one asked for (fallback), if so. */
export interface BackendMessage {
  type: 'backend';
  /** The session whose creation selected the backend, or null. */
  runId: RunId | null;
  requested: BackendChoice;
  backend: BackendName;
  /** WebGL's unmasked renderer string (e.g. "ANGLE (…SwiftShader…)"), or null when not known. */
  renderer: string | null;
  /** True when the renderer is a software one (SwiftShader, llvmpipe, …). */
  softwareRenderer: boolean;
  /** Human-readable reason for using another backend than requested; null when none. */
  fallbackReason: string | null;
  /** `auto` only: what was measured (or why nothing was); null otherwise. */
  measured?: MeasuredBackends | null;
  /** `auto` only: true when `measured` came from the page's cache (measured earlier), false when measured now. */
  cached?: boolean;
}

/**
 * "Measure again": asks a fresh worker (one that hosts no run: the race switches tfjs's backend) to
 * measure the backends for `shape`. Kept out of the session message unions: only the page's measuring
 * worker (src/page/backendMeasure.ts) sends and reads these, and training.worker.ts answers it before
 * its router.
 */
export interface MeasureBackendsMessage {
  type: 'measureBackends';
  runId: null;
  requestId: number;
  shape: BackendShape;
}
export interface BackendsMeasuredMessage {
  type: 'backendsMeasured';
  runId: null;
  requestId: number;
  /** The measurement; null when it failed (`problem` says why). */
  result: MeasuredBackends | null;
  problem: string | null;
}
export function isMeasureBackendsMessage(value: unknown): value is MeasureBackendsMessage {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'measureBackends';
}
export function isBackendsMeasuredMessage(value: unknown): value is BackendsMeasuredMessage {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'backendsMeasured';
}

/** A session exists (new or restored). The page takes its counters from here. */
export interface SessionCreatedMessage {
  type: 'sessionCreated';
  runId: RunId;
  algorithm: AlgorithmId;
  config: AlgorithmConfig;
  /** Where the run stands (0 for a new run; the checkpoint's counters for a restored one). */
  totalSteps: number;
  episodesDone: number;
  /** tf.memory().numTensors after creating it. */
  numTensors: number;
}

/** Batched a few times per second while training: counters and the episodes finished since the last one. */
export interface ProgressMessage {
  type: 'progress';
  runId: RunId;
  totalSteps: number;
  episodesDone: number;
  updates: number;
  /** Gradient updates per wall-clock second over the last second or so. */
  updatesPerSecond: number;
  /** Seconds spent training (paused and queued time excluded), continued across checkpoints. */
  elapsedSeconds: number;
  episodes: EpisodeMetrics[];
  goalReachedAtEpisode: number | null;
  numTensors: number;
}

/** A session's phase changed. */
export interface PhaseMessage {
  type: 'phase';
  runId: RunId;
  phase: RunPhase;
  stopReason: StopReason | null;
}

/**
 * The latest pendulum state, sent at most once per slice: Float32Array [theta, thetaDot, torque,
 * stepInEpisode], transferred. `source` says whether it is the training env or the test env.
 */
export interface FrameMessage {
  type: 'frame';
  runId: RunId;
  source: 'train' | 'test';
  data: Float32Array;
}
export const FRAME_LENGTH = 4;

/**
 * The run's full state, sent at least every CHECKPOINT_INTERVAL_MS of training, at every pause and stop,
 * and on request. Every episode up to `checkpoint.counters.episodesDone` was sent in a `progress`
 * before this message. The typed arrays are transferred. The actor files are for downloads without a
 * worker (final: the current actor; best: the actor at the best 100-episode mean so far).
 */
export interface CheckpointMessage {
  type: 'checkpoint';
  runId: RunId;
  requestId: number | null;
  reason: 'interval' | 'pause' | 'stop' | 'request';
  checkpoint: RunCheckpoint;
  finalActor: ActorFiles;
  bestActor: ActorFiles | null;
  /** The best 100-episode mean so far and the episode where it was reached (null before any episode). */
  best100: { value: number; episode: number } | null;
}
/** Training time between two interval checkpoints (ms): a crash loses at most this much. */
export const CHECKPOINT_INTERVAL_MS = 10_000;

export interface ConfigAppliedMessage {
  type: 'configApplied';
  runId: RunId;
  requestId: number;
  partial: AlgorithmConfig;
  /** Env step of the run when it took effect. */
  atStep: number;
}
export interface ConfigRejectedMessage {
  type: 'configRejected';
  runId: RunId;
  requestId: number;
  partial: AlgorithmConfig;
  message: string;
}
/** One push during a test episode: at `step` (steps taken in the episode when it was applied). */
export interface RecordedPush { step: number; deltaThetaDot?: number; theta?: number }

export interface TestEpisodeMessage {
  type: 'testEpisode';
  runId: RunId;
  episode: number;
  score: number;
  /** The reset seed of this episode: with `pushes` and `physics`, the episode replays exactly. */
  seed?: number;
  /** The pushes applied during the episode, in order (absent when none). */
  pushes?: RecordedPush[];
  /** The test env's physics during the episode. */
  physics?: PendulumPhysics;
}
export interface ActorExportedMessage { type: 'actorExported'; runId: RunId; requestId: number; files: ActorFiles }
export interface ActorImportedMessage { type: 'actorImported'; runId: RunId; requestId: number; fileName: string }
/** Export or import failed; the run is untouched. */
export interface ActorFailedMessage { type: 'actorFailed'; runId: RunId; requestId: number; operation: 'export' | 'import'; message: string }
/** The session is gone and its tensors freed. */
export interface SessionDisposedMessage { type: 'sessionDisposed'; runId: RunId; numTensors: number }
/** Something to tell the user that is not an error (e.g. a backend fallback, a stop reason). */
export interface NoticeMessage { type: 'notice'; runId: RunId | null; message: string }
/**
 * An error. With a runId: that session is paused and kept (its weights stay downloadable), or, when
 * `fatal`, it could not be created or restored (the page marks the run failed). Without: the worker's.
 */
export interface ErrorMessage { type: 'error'; runId: RunId | null; message: string; fatal?: boolean }

// --- Issue 9 replies ----------------------------------------------------------------------------------

export type InsightMapKey = 'policyMean' | 'value' | 'spread';
export interface InsightMap {
  key: InsightMapKey;
  /** e.g. "Mean torque μ(s) (N·m)", "State value V(s)". */
  label: string;
  /** How it is computed for this algorithm. */
  description: string;
  /** gridSize² values, row-major: row r = θ̇ from +8 (r = 0) down to −8, column c = θ from −π to +π; cell centres. */
  values: Float32Array;
}
/** The phase-space maps of the run's current networks (Float32Arrays transferred). */
export interface InsightMessage {
  type: 'insight';
  runId: RunId;
  /** Env steps of the run when computed. */
  step: number;
  gridSize: number;
  thetaRange: [number, number];
  thetaDotRange: [number, number];
  maps: InsightMap[];
}
export interface PushAppliedMessage {
  type: 'pushApplied';
  runId: RunId;
  requestId: number;
  /** The env's state after the push. */
  theta: number;
  thetaDot: number;
  source: 'train' | 'test';
  /** Steps taken in the env's current episode when the push was applied. */
  step: number;
}
export interface PushRejectedMessage { type: 'pushRejected'; runId: RunId; requestId: number; message: string }
export interface PhysicsAppliedMessage { type: 'physicsApplied'; runId: RunId; requestId: number; physics: PendulumPhysics; applyToTraining: boolean }
export interface PhysicsRejectedMessage { type: 'physicsRejected'; runId: RunId; requestId: number; message: string }
export interface RobustnessResultMessage {
  type: 'robustnessResult';
  runId: RunId;
  requestId: number;
  parameter: keyof PendulumPhysics;
  values: number[];
  /** One entry per value: mean / min / max return over the episodes. */
  meanReturn: number[];
  minReturn: number[];
  maxReturn: number[];
}
export interface RobustnessFailedMessage { type: 'robustnessFailed'; runId: RunId; requestId: number; message: string }

export type WorkerToPage =
  | ReadyMessage
  | BackendMessage
  | SessionCreatedMessage
  | ProgressMessage
  | PhaseMessage
  | FrameMessage
  | CheckpointMessage
  | ConfigAppliedMessage
  | ConfigRejectedMessage
  | TestEpisodeMessage
  | ActorExportedMessage
  | ActorImportedMessage
  | ActorFailedMessage
  | SessionDisposedMessage
  | NoticeMessage
  | ErrorMessage
  | InsightMessage
  | PushAppliedMessage
  | PushRejectedMessage
  | PhysicsAppliedMessage
  | PhysicsRejectedMessage
  | RobustnessResultMessage
  | RobustnessFailedMessage;

/** Ends an exhaustive switch: compile error if a case is missing, runtime error for a malformed message. */
export function assertNever(value: never): never {
  const tag = typeof value === 'object' && value !== null && 'type' in value ? String((value as { type: unknown }).type) : String(value);
  throw new Error(`Unknown message type: ${tag}`);
}

const PAGE_TO_WORKER_TYPES: ReadonlySet<string> = new Set<PageToWorker['type']>([
  'createSession', 'pause', 'resume', 'stop', 'disposeSession', 'setLiveConfig', 'setSpeed', 'startTest', 'stopTest',
  'requestCheckpoint', 'exportActor', 'importActor', 'debugLoseWebglContext', 'setInsight', 'push', 'setPhysics', 'robustness',
]);
const WORKER_TO_PAGE_TYPES: ReadonlySet<string> = new Set<WorkerToPage['type']>([
  'ready', 'backend', 'sessionCreated', 'progress', 'phase', 'frame', 'checkpoint', 'configApplied', 'configRejected',
  'testEpisode', 'actorExported', 'actorImported', 'actorFailed', 'sessionDisposed', 'notice', 'error', 'insight', 'pushApplied',
  'pushRejected', 'physicsApplied', 'physicsRejected', 'robustnessResult', 'robustnessFailed',
]);

function hasType(value: unknown, types: ReadonlySet<string>): boolean {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string' && types.has(value.type);
}

/** Cheap guard for data arriving over postMessage (the tag only; both sides are this same code). */
export function isPageToWorker(value: unknown): value is PageToWorker {
  return hasType(value, PAGE_TO_WORKER_TYPES);
}
export function isWorkerToPage(value: unknown): value is WorkerToPage {
  return hasType(value, WORKER_TO_PAGE_TYPES);
}

/** Clamps a speed setting into its allowed range (multiplier integer 1…10). */
export function normalizeSpeed(speed: SpeedSetting): SpeedSetting {
  const multiplier = Number.isFinite(speed.multiplier) ? Math.round(speed.multiplier) : MIN_MULTIPLIER;
  return { mode: speed.mode === 'watch' ? 'watch' : 'fast', multiplier: Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, multiplier)) };
}

/** Names of the two downloaded actor files for a run, e.g. sac-pendulum-<run>.json (ppo-pendulum-… for PPO). */
export function actorFileNames(runName: string, algorithm: AlgorithmId = 'sac'): { json: string; weights: string } {
  return { json: `${algorithm}-pendulum-${runName}.json`, weights: `${algorithm}-pendulum-${runName}.weights.bin` };
}

/** Transferables of a message (the buffers move instead of being copied). */
export function transferablesOf(message: PageToWorker | WorkerToPage): Transferable[] {
  switch (message.type) {
    case 'frame':
      return [message.data.buffer as ArrayBuffer];
    case 'actorExported':
      return [message.files.weightsBin];
    case 'importActor':
      return [message.files.weightsBin];
    case 'insight': {
      // Distinct buffers only (transferring one twice throws).
      const buffers = new Set<ArrayBuffer>();
      for (const map of message.maps) buffers.add(map.values.buffer as ArrayBuffer);
      return [...buffers];
    }
    // Checkpoints are not transferred here: the sender decides (checkpointTransferables in rl/checkpoint, for a checkpoint of any algorithm),
    // since a transferred buffer is unusable afterwards on the sending side.
    default:
      return [];
  }
}
