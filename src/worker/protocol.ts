/**
 * Every message between the page (main thread) and the training worker, declared once and used by both
 * sides: one discriminated union per direction, tagged by `type`. Both sides switch exhaustively over
 * the tag and end in `assertNever`, so adding a message without handling it fails to compile.
 *
 * Only plain data crosses: numbers, strings, plain objects, ArrayBuffers / typed arrays (transferred).
 * This file must not import tfjs (the main bundle imports it).
 */
import type { SacConfig } from '../rl/sac/config';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics, StopReason } from '../rl/types';

/**
 * What the user picked in the "Backend" selector. `auto`: WebGL on hardware, else wasm, else cpu (the
 * default: the user asked for WebGL). `fastest`: each backend that starts trains for a moment at the
 * run's hidden size and the fastest is kept (measured, not guessed).
 */
export type BackendChoice = 'auto' | 'fastest' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'fastest', 'webgl', 'wasm', 'cpu'];
/** A tfjs backend actually in use. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** fast: train flat out. watch: real time (20 env steps/s, dt = 0.05 s) times `multiplier` (1…10). */
export interface SpeedSetting {
  mode: 'fast' | 'watch';
  multiplier: number;
}
export const WATCH_STEPS_PER_SECOND = 20; // 1 / dt
export const MIN_MULTIPLIER = 1;
export const MAX_MULTIPLIER = 10;

/** Where the worker stands. `stopped`: the run ended by itself (goal, limits, NaN) and can't resume as is. */
export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopped' | 'testing';

// ---------------------------------------------------------------------------------------------------
// Page → worker
// ---------------------------------------------------------------------------------------------------

/** Starts a new run (disposing the previous one): used by both Start and Restart. */
export interface StartMessage {
  type: 'start';
  config: SacConfig;
  backend: BackendChoice;
  speed: SpeedSetting;
  /** Names the downloaded files: sac-pendulum-<runName>.json. */
  runName: string;
}
export interface PauseMessage { type: 'pause' }
export interface ResumeMessage { type: 'resume' }
/** Live hyperparameters; answered by `configApplied` or `configRejected` with the same requestId. */
export interface SetLiveConfigMessage {
  type: 'setLiveConfig';
  requestId: number;
  partial: Partial<SacConfig>;
}
export interface SetSpeedMessage { type: 'setSpeed'; speed: SpeedSetting }
/** Runs the deterministic actor in real time with no learning (the lecture's test.py). */
export interface StartTestMessage { type: 'startTest' }
export interface StopTestMessage { type: 'stopTest' }
export interface ExportActorMessage { type: 'exportActor'; requestId: number; runName: string }
/**
 * Loads actor weights. Without a run, the worker first creates one (paused at step 0) from `config`
 * on `backend`, so a loaded actor can be tested straight away.
 */
export interface ImportActorMessage {
  type: 'importActor';
  requestId: number;
  files: ActorFiles;
  config: SacConfig;
  backend: BackendChoice;
  runName: string;
}

export type PageToWorker =
  | StartMessage
  | PauseMessage
  | ResumeMessage
  | SetLiveConfigMessage
  | SetSpeedMessage
  | StartTestMessage
  | StopTestMessage
  | ExportActorMessage
  | ImportActorMessage;

// ---------------------------------------------------------------------------------------------------
// Worker → page
// ---------------------------------------------------------------------------------------------------

/** The worker's script has loaded and listens. */
export interface ReadyMessage { type: 'ready' }

/** The backend the run uses, and why it is not the one asked for (fallback), if so. */
export interface BackendMessage {
  type: 'backend';
  requested: BackendChoice;
  backend: BackendName;
  /** WebGL's unmasked renderer string (e.g. "ANGLE (…SwiftShader…)"), or null when not known. */
  renderer: string | null;
  /** True when the renderer is a software one (SwiftShader, llvmpipe, …). */
  softwareRenderer: boolean;
  /** Human-readable reason for using another backend than requested; null when none. */
  fallbackReason: string | null;
  /** `fastest` only: training steps/s measured on each backend, fastest first; null otherwise. */
  measurements?: BackendMeasurement[] | null;
}

/** One backend's result in the `fastest` race. */
export interface BackendMeasurement {
  backend: BackendName;
  /** Training steps per second, or null when the backend did not start. */
  updatesPerSecond: number | null;
  problem: string | null;
}

/** A new run exists (after start, restart, or a load without a run). Page resets its counters. */
export interface RunStartedMessage {
  type: 'runStarted';
  runId: number;
  runName: string;
  config: SacConfig;
  /** tf.memory().numTensors right after creating the run (restarts must not grow it). */
  numTensors: number;
}

/** Batched a few times per second while training: counters and the episodes finished since the last one. */
export interface ProgressMessage {
  type: 'progress';
  runId: number;
  totalSteps: number;
  episodesDone: number;
  updates: number;
  /** Gradient updates per wall-clock second over the last second or so. */
  updatesPerSecond: number;
  /** Seconds spent training (paused time excluded). */
  elapsedSeconds: number;
  episodes: EpisodeMetrics[];
  goalReachedAtEpisode: number | null;
  numTensors: number;
}

/** The worker's run phase changed. */
export interface PhaseMessage {
  type: 'phase';
  runId: number;
  phase: RunPhase;
  stopReason: StopReason | null;
}

/**
 * The latest pendulum state, sent at most once per slice: Float32Array [theta, thetaDot, torque,
 * stepInEpisode], transferred. `source` says whether it is the training env or the test env.
 */
export interface FrameMessage {
  type: 'frame';
  source: 'train' | 'test';
  data: Float32Array;
}
export const FRAME_LENGTH = 4;

export interface ConfigAppliedMessage {
  type: 'configApplied';
  requestId: number;
  partial: Partial<SacConfig>;
  /** Env step of the run when it took effect (null: no run yet; stored for the next start). */
  atStep: number | null;
}
export interface ConfigRejectedMessage {
  type: 'configRejected';
  requestId: number;
  partial: Partial<SacConfig>;
  message: string;
}
export interface TestEpisodeMessage {
  type: 'testEpisode';
  episode: number;
  score: number;
}
export interface ActorExportedMessage { type: 'actorExported'; requestId: number; files: ActorFiles }
export interface ActorImportedMessage { type: 'actorImported'; requestId: number; fileName: string }
/** Export or import failed; the run is untouched. */
export interface ActorFailedMessage { type: 'actorFailed'; requestId: number; operation: 'export' | 'import'; message: string }
/** Something to tell the user that is not an error (e.g. a backend fallback). */
export interface NoticeMessage { type: 'notice'; message: string }
/** An error: the run (if any) is paused and kept, so its weights stay downloadable. */
export interface ErrorMessage { type: 'error'; message: string }

export type WorkerToPage =
  | ReadyMessage
  | BackendMessage
  | RunStartedMessage
  | ProgressMessage
  | PhaseMessage
  | FrameMessage
  | ConfigAppliedMessage
  | ConfigRejectedMessage
  | TestEpisodeMessage
  | ActorExportedMessage
  | ActorImportedMessage
  | ActorFailedMessage
  | NoticeMessage
  | ErrorMessage;

/** Ends an exhaustive switch: compile error if a case is missing, runtime error for a malformed message. */
export function assertNever(value: never): never {
  const tag = typeof value === 'object' && value !== null && 'type' in value ? String((value as { type: unknown }).type) : String(value);
  throw new Error(`Unknown message type: ${tag}`);
}

const PAGE_TO_WORKER_TYPES: ReadonlySet<string> = new Set<PageToWorker['type']>([
  'start', 'pause', 'resume', 'setLiveConfig', 'setSpeed', 'startTest', 'stopTest', 'exportActor', 'importActor',
]);
const WORKER_TO_PAGE_TYPES: ReadonlySet<string> = new Set<WorkerToPage['type']>([
  'ready', 'backend', 'runStarted', 'progress', 'phase', 'frame', 'configApplied', 'configRejected',
  'testEpisode', 'actorExported', 'actorImported', 'actorFailed', 'notice', 'error',
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

/** Names of the two downloaded actor files for a run. */
export function actorFileNames(runName: string): { json: string; weights: string } {
  return { json: `sac-pendulum-${runName}.json`, weights: `sac-pendulum-${runName}.weights.bin` };
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
    default:
      return [];
  }
}
