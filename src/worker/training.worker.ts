/// <reference lib="webworker" />
/**
 * The training worker: a thin router over the sessions (runs) it hosts. All run logic lives in
 * TrainingSession (session.ts); this file only
 *  - selects the tfjs backend once, for the first session (later sessions share it),
 *  - routes each page message to its session by runId, one message after another,
 *  - ticks the sessions that want to run, round robin, one slice per macrotask (MessageChannel for
 *    "as soon as possible": no timer clamping; setTimeout for a delay), so two running sessions share
 *    the worker fairly and page messages are handled between slices,
 *  - re-creates every session on wasm from its last checkpoint when WebGL loses its context.
 * Unknown messages and unknown runIds are answered with an `error`: never dropped silently.
 */
import { errorText, selectBackend, watchWebglContext } from './backend';
import { earliestDue, pickNextDue } from './pacing';
import {
  isPageToWorker,
  transferablesOf,
  type BackendMessage,
  type CreateSessionMessage,
  type PageToWorker,
  type RunId,
  type WorkerToPage,
} from './protocol';
import { TrainingSession } from './session';

declare const self: DedicatedWorkerGlobalScope;

function post(message: WorkerToPage, transfer?: Transferable[]): void {
  self.postMessage(message, transfer ?? transferablesOf(message));
}

const now = (): number => performance.now();

const sessions = new Map<RunId, TrainingSession>();
/** What each session was created from: re-created from it (with its latest checkpoint) after a context loss. */
const createdFrom = new Map<RunId, CreateSessionMessage>();

/** The backend every session of this worker trains on; null until the first session selects it. */
let backendInfo: BackendMessage | null = null;
let stopWatchingContext: () => void = () => undefined;

// ---------------------------------------------------------------------------------------------------
// One thing at a time: messages and slices run in this queue, never interleaved inside one another
// (a checkpoint awaits its actor export while no slice may change the weights).
// ---------------------------------------------------------------------------------------------------

let queue: Promise<void> = Promise.resolve();

function enqueue(job: () => Promise<void>): Promise<void> {
  queue = queue.then(job).catch((error: unknown) => post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(error)}` }));
  return queue;
}

// ---------------------------------------------------------------------------------------------------
// Scheduler: when each session wants its next slice; one wake-up armed at a time.
// ---------------------------------------------------------------------------------------------------

/** performance.now() at which a session wants to run; absent = idle (paused, stopped). */
const dueAt = new Map<RunId, number>();
let lastTicked: RunId | null = null;
/** A tick is queued or running; it re-arms the scheduler when done. */
let tickQueued = false;
let wakePosted = false;
let timer: ReturnType<typeof setTimeout> | null = null;
let timerAt = Number.POSITIVE_INFINITY;

const channel = new MessageChannel();
channel.port1.onmessage = () => {
  wakePosted = false;
  wake();
};

function clearTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  timerAt = Number.POSITIVE_INFINITY;
}

/** Records when a session wants to run next (null: idle) and arms a wake-up. */
function wantsToRun(runId: RunId, delayMs: number | null): void {
  if (delayMs === null) dueAt.delete(runId);
  else dueAt.set(runId, now() + delayMs);
  arm();
}

function arm(): void {
  if (tickQueued) return;
  const earliest = earliestDue(dueAt);
  if (earliest === null) {
    clearTimer();
    return;
  }
  const delay = earliest - now();
  if (delay <= 0) {
    clearTimer();
    if (!wakePosted) {
      wakePosted = true;
      channel.port2.postMessage(null);
    }
  } else if (earliest < timerAt) {
    clearTimer();
    timerAt = earliest;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Number.POSITIVE_INFINITY;
      wake();
    }, delay);
  }
}

/** Runs one slice of the next due session (round robin), then re-arms. */
function wake(): void {
  if (tickQueued) return;
  const runId = pickNextDue([...sessions.keys()], dueAt, lastTicked, now());
  if (runId === null) {
    arm();
    return;
  }
  tickQueued = true;
  lastTicked = runId;
  dueAt.delete(runId);
  void enqueue(async () => {
    const session = sessions.get(runId);
    if (!session) return;
    const next = await session.tick();
    // The session may have been disposed or replaced while its slice awaited a checkpoint.
    if (sessions.get(runId) === session && next !== null) dueAt.set(runId, now() + next);
  }).finally(() => {
    tickQueued = false;
    arm();
  });
}

// ---------------------------------------------------------------------------------------------------
// Backend
// ---------------------------------------------------------------------------------------------------

/** Selects the backend for the first session; later sessions share it (told so, with their runId). */
async function ensureBackend(message: CreateSessionMessage): Promise<BackendMessage> {
  if (backendInfo !== null) {
    post({ ...backendInfo, runId: message.runId });
    return backendInfo;
  }
  const hiddenSize = message.checkpoint?.config.hiddenSize ?? message.config.hiddenSize;
  const info = await selectBackend(message.backend, hiddenSize);
  backendInfo = info;
  post({ ...info, runId: message.runId });
  if (info.fallbackReason) post({ type: 'notice', runId: message.runId, message: info.fallbackReason });
  stopWatchingContext = watchWebglContext(() => void enqueue(recoverFromContextLoss));
  return info;
}

// ---------------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------------

async function createSession(message: CreateSessionMessage): Promise<void> {
  const { runId } = message;
  if (sessions.has(runId)) {
    post({ type: 'error', runId, message: `Run ${runId} already has a session in this worker; the second create was ignored.` });
    return;
  }
  post({ type: 'phase', runId, phase: 'starting', stopReason: null });
  let backend: BackendMessage;
  try {
    backend = await ensureBackend(message);
  } catch (error) {
    post({ type: 'error', runId, message: errorText(error), fatal: true });
    return;
  }
  // Only a WebGL context can be lost: only then is a copy of the last checkpoint worth its memory.
  const onWebgl = backend.backend === 'webgl';
  const session = await TrainingSession.create(message, { post, now, keepLastCheckpoint: onWebgl });
  if (!session) return;
  sessions.set(runId, session);
  // Off WebGL the restore checkpoint is never needed again: don't hold its replay buffer.
  createdFrom.set(runId, onWebgl ? message : { ...message, checkpoint: undefined });
  wantsToRun(runId, 0);
}

/**
 * WebGL lost its context: the tensors of every session are gone. Each session is re-created on wasm
 * from its latest checkpoint (or from its start if it has none yet: the same seed replays the same
 * run); the page drops the episodes beyond the restored `episodesDone` on `sessionCreated`.
 */
async function recoverFromContextLoss(): Promise<void> {
  stopWatchingContext();
  stopWatchingContext = () => undefined;
  const lost = [...sessions.values()];
  const plans = lost.map((session): CreateSessionMessage => {
    const original = createdFrom.get(session.runId);
    const checkpoint = session.lastCheckpoint ?? original?.checkpoint;
    return {
      type: 'createSession',
      runId: session.runId,
      runName: session.name,
      config: session.config,
      backend: 'wasm',
      speed: session.speed,
      start: session.phase === 'running' ? 'running' : 'paused',
      ...(checkpoint ? { checkpoint } : {}),
    };
  });
  for (const session of lost) {
    try {
      session.release();
    } catch {
      // Its tensors lived in the lost context: freeing them may fail, and there is nothing left to free.
    }
  }
  sessions.clear();
  createdFrom.clear();
  dueAt.clear();
  backendInfo = null;
  for (const plan of plans) {
    const step = plan.checkpoint?.counters.totalSteps ?? 0;
    post({
      type: 'notice',
      runId: plan.runId,
      message: `The WebGL context was lost; its tensors are gone. "${plan.runName}" goes on on wasm from step ${step}${plan.checkpoint ? ' (its last checkpoint)' : ' (the start: no checkpoint yet)'}.`,
    });
    await createSession(plan);
  }
}

// ---------------------------------------------------------------------------------------------------
// Messages: handled one after another (a create awaits its backend before the next message runs)
// ---------------------------------------------------------------------------------------------------

async function handleMessage(message: PageToWorker): Promise<void> {
  if (message.type === 'createSession') {
    await createSession(message);
    return;
  }
  const session = sessions.get(message.runId);
  if (!session) {
    post({ type: 'error', runId: message.runId, message: `This worker has no run ${message.runId}: "${message.type}" was ignored.` });
    return;
  }
  await session.handle(message);
  if (message.type === 'disposeSession') {
    sessions.delete(message.runId);
    createdFrom.delete(message.runId);
    dueAt.delete(message.runId);
    return;
  }
  // A message may have started, paused or retimed the session: let its next tick say when it runs.
  wantsToRun(message.runId, 0);
}

function runIdOf(data: unknown): RunId | null {
  if (typeof data === 'object' && data !== null && 'runId' in data && typeof data.runId === 'string') return data.runId;
  return null;
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (!isPageToWorker(data)) {
    let shown: string;
    try {
      shown = JSON.stringify(data) ?? String(data);
    } catch {
      shown = String(data);
    }
    post({ type: 'error', runId: runIdOf(data), message: `The training worker got a message it does not understand: ${shown.slice(0, 200)}` });
    return;
  }
  void enqueue(() => handleMessage(data));
};

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(event.reason)}` });
});

self.addEventListener('error', (event) => {
  event.preventDefault();
  post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(event.error ?? event.message)}` });
});

post({ type: 'ready', runId: null });
