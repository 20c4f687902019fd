/**
 * The worker's router over the sessions (runs) it hosts, without worker globals: the host gives it
 * `post`, a clock, backend selection, a WebGL context-loss watch and two ways to schedule work, so it is
 * unit-tested in Node (tests/worker/router.test.ts). training.worker.ts wires it to the real worker.
 *
 * It only
 *  - selects the tfjs backend once, for the first session (later sessions share it),
 *  - routes each page message to its session by runId, one message after another,
 *  - ticks the sessions that want to run, round robin, one slice per scheduled call ("soon" for as soon
 *    as possible, "later" for a delay), so two running sessions share the worker fairly and page
 *    messages are handled between slices,
 *  - re-creates every session on wasm from its last checkpoint when WebGL loses its context.
 * Unknown messages and unknown runIds are answered with an `error`: never dropped silently.
 */
import { isPlainObject } from '../rl/plainData';
import { earliestDue, pickNextDue } from './pacing';
import {
  isPageToWorker,
  type BackendChoice,
  type BackendMessage,
  type BackendShape,
  type MeasuredBackends,
  type CreateSessionMessage,
  type PageToWorker,
  type RunId,
  type WorkerToPage,
} from './protocol';
import { outsideTfjsNote } from './backendNotes';
import { TrainingSession, errorText, type SessionCarryOver } from './session';

export interface RouterHost {
  post: (message: WorkerToPage, transfer?: Transferable[]) => void;
  /** Monotonic clock in ms. */
  now: () => number;
  /**
   * Activates a backend for `choice` (backend.ts's selectBackend in the worker); `auto` measures at the
   * first session's shape unless `cached` (the page's measurements) holds one for this browser and shape.
   */
  selectBackend: (choice: BackendChoice, shape: BackendShape, cached: readonly MeasuredBackends[]) => Promise<BackendMessage>;
  /** Calls `onLost` when the active backend's WebGL context is lost; returns a function that stops watching. */
  watchContextLoss: (onLost: () => void) => () => void;
  /** Runs `run` as soon as possible, in a later task (a MessageChannel message: no timer clamping). */
  runSoon: (run: () => void) => void;
  /** Runs `run` after `delayMs`; returns a function that cancels it. */
  runLater: (run: () => void, delayMs: number) => () => void;
  /**
   * TEST HOOK (the `debugLoseWebglContext` message): loses the active WebGL context for real. Returns
   * why it could not (not on WebGL), or null. Absent: the hook is answered as unavailable.
   */
  loseWebglContext?: () => string | null;
}

export class SessionRouter {
  private readonly host: RouterHost;
  private readonly sessions = new Map<RunId, TrainingSession>();
  /** What each session was created from: re-created from it (with its latest checkpoint) after a context loss. */
  private readonly createdFrom = new Map<RunId, CreateSessionMessage>();
  /** The backend every session trains on; null until the first session selects it. */
  private backendInfo: BackendMessage | null = null;
  private stopWatchingContext: () => void = () => undefined;
  /** Set while sessions are re-created after a WebGL context loss: the backend they get says why (the status shows it). */
  private contextLossFallback: { requested: BackendChoice; reason: string } | null = null;

  /** Messages and slices run in this queue one at a time (a checkpoint awaits its actor export while no slice may change the weights). */
  private queue: Promise<void> = Promise.resolve();

  /** now() at which a session wants its next slice; absent = idle (paused, stopped). */
  private readonly dueAt = new Map<RunId, number>();
  private lastTicked: RunId | null = null;
  /** A tick is queued or running; it re-arms the scheduler when done. */
  private tickQueued = false;
  private wakeRequested = false;
  private cancelTimer: (() => void) | null = null;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(host: RouterHost) {
    this.host = host;
  }

  /** Takes one message from the page (anything: it is checked here). Resolves once it has been handled. */
  receive(data: unknown): Promise<void> {
    if (!isPageToWorker(data)) {
      let shown: string;
      try {
        shown = JSON.stringify(data) ?? String(data);
      } catch {
        shown = String(data);
      }
      this.host.post({ type: 'error', runId: runIdOf(data), message: `The training worker got a message it does not understand: ${shown.slice(0, 200)}` });
      return Promise.resolve();
    }
    return this.enqueue(() => this.handle(data));
  }

  /** Resolves when everything queued so far has run (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** The ids of the sessions hosted now. */
  get runIds(): RunId[] {
    return [...this.sessions.keys()];
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((error: unknown) => {
      this.host.post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(error)}` });
    });
    return this.queue;
  }

  // -------------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------------

  private async handle(message: PageToWorker): Promise<void> {
    if (message.type === 'createSession') {
      await this.createSession(message);
      return;
    }
    if (message.type === 'debugLoseWebglContext') {
      // Test hook: the context-loss watch (ensureBackend) then runs recoverFromContextLoss as for a real loss.
      const problem = this.host.loseWebglContext ? this.host.loseWebglContext() : 'this worker has no way to lose its WebGL context';
      if (problem !== null) this.host.post({ type: 'notice', runId: message.runId, message: `No WebGL context was lost: ${problem}.` });
      return;
    }
    const session = this.sessions.get(message.runId);
    if (!session) {
      this.host.post({ type: 'error', runId: message.runId, message: `This worker has no run ${message.runId}: "${message.type}" was ignored.` });
      return;
    }
    await session.handle(message);
    if (message.type === 'disposeSession') {
      this.forget(message.runId);
      return;
    }
    // The message may have started, paused or retimed the session: its next tick says when it runs.
    this.wantsToRun(message.runId, 0);
  }

  private forget(runId: RunId): void {
    this.sessions.delete(runId);
    this.createdFrom.delete(runId);
    this.dueAt.delete(runId);
  }

  private async createSession(message: CreateSessionMessage, carried: SessionCarryOver | null = null): Promise<void> {
    const { runId } = message;
    const post = this.host.post;
    if (this.sessions.has(runId)) {
      post({ type: 'error', runId, message: `Run ${runId} already has a session in this worker; the second create was ignored.` });
      return;
    }
    post({ type: 'phase', runId, phase: 'starting', stopReason: null });
    let backend: BackendMessage;
    try {
      backend = await this.ensureBackend(message);
    } catch (error) {
      post({ type: 'error', runId, message: errorText(error), fatal: true });
      return;
    }
    // Only a WebGL context can be lost: only then is a copy of the last checkpoint worth its memory.
    const onWebgl = backend.backend === 'webgl';
    const session = await TrainingSession.create(message, { post, now: this.host.now, keepLastCheckpoint: onWebgl });
    if (!session) return;
    // Issue 9: a re-created session keeps its maps setting and physics (and shows its maps at once).
    if (carried) await session.applyCarryOver(carried);
    const note = outsideTfjsNote(session.algorithm, backend.backend);
    if (note !== null) post({ type: 'notice', runId, message: note });
    this.sessions.set(runId, session);
    // Off WebGL the restore checkpoint is never needed again: don't hold on to its replay buffer.
    this.createdFrom.set(runId, onWebgl ? message : { ...message, checkpoint: undefined });
    this.wantsToRun(runId, 0);
  }

  /** Selects the backend for the first session; later sessions share it (told so, with their runId). */
  private async ensureBackend(message: CreateSessionMessage): Promise<BackendMessage> {
    if (this.backendInfo !== null) {
      this.host.post({ ...this.backendInfo, runId: message.runId });
      return this.backendInfo;
    }
    const selected = await this.host.selectBackend(message.backend, raceShape(message), Array.isArray(message.measuredBackends) ? message.measuredBackends : []);
    const loss = this.contextLossFallback;
    const info: BackendMessage = loss
      ? { ...selected, requested: loss.requested, fallbackReason: `${loss.reason}: training goes on on ${selected.backend}` }
      : selected;
    this.backendInfo = info;
    this.host.post({ ...info, runId: message.runId });
    // After a context loss, the recovery's own notice (from which step) has been posted already.
    if (info.fallbackReason && !loss) this.host.post({ type: 'notice', runId: message.runId, message: info.fallbackReason });
    this.stopWatchingContext = this.host.watchContextLoss(() => void this.enqueue(() => this.recoverFromContextLoss()));
    return info;
  }

  /**
   * WebGL lost its context: the tensors of every session are gone. Each session is re-created on wasm
   * from its latest checkpoint (or from its start when it has none yet: the same seed replays the same
   * run); the page drops the episodes beyond the restored `episodesDone` on `sessionCreated`.
   */
  private async recoverFromContextLoss(): Promise<void> {
    this.stopWatchingContext();
    this.stopWatchingContext = () => undefined;
    const lost = [...this.sessions.values()];
    const carried = new Map<RunId, SessionCarryOver>(lost.map((session) => [session.runId, session.carryOver]));
    const plans = lost.map((session): CreateSessionMessage => {
      const checkpoint = session.lastCheckpoint ?? this.createdFrom.get(session.runId)?.checkpoint;
      return {
        type: 'createSession',
        runId: session.runId,
        runName: session.name,
        algorithm: session.algorithm,
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
      this.forget(session.runId);
    }
    this.contextLossFallback = { requested: this.backendInfo?.requested ?? 'webgl', reason: 'WebGL lost its context (its tensors are gone)' };
    this.backendInfo = null;
    for (const plan of plans) {
      const step = plan.checkpoint?.counters.totalSteps ?? 0;
      this.host.post({
        type: 'notice',
        runId: plan.runId,
        message: `The WebGL context was lost; its tensors are gone. "${plan.runName}" goes on on wasm from step ${step}${plan.checkpoint ? ' (its last checkpoint)' : ' (the start: no checkpoint yet)'}.`,
      });
      await this.createSession(plan, carried.get(plan.runId) ?? null);
    }
    this.contextLossFallback = null;
  }

  // -------------------------------------------------------------------------------------------------
  // Scheduler: when each session wants its next slice; one wake-up armed at a time.
  // -------------------------------------------------------------------------------------------------

  /** Records when a session wants to run next (null: idle) and arms a wake-up. */
  private wantsToRun(runId: RunId, delayMs: number | null): void {
    if (delayMs === null) this.dueAt.delete(runId);
    else this.dueAt.set(runId, this.host.now() + delayMs);
    this.arm();
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    if (this.tickQueued) return;
    const earliest = earliestDue(this.dueAt);
    if (earliest === null) {
      this.clearTimer();
      return;
    }
    const delay = earliest - this.host.now();
    if (delay <= 0) {
      this.clearTimer();
      if (!this.wakeRequested) {
        this.wakeRequested = true;
        this.host.runSoon(() => {
          this.wakeRequested = false;
          this.wake();
        });
      }
    } else if (earliest < this.timerAt) {
      this.clearTimer();
      this.timerAt = earliest;
      this.cancelTimer = this.host.runLater(() => {
        this.cancelTimer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wake();
      }, delay);
    }
  }

  /** Runs one slice of the next due session (round robin), then re-arms. */
  private wake(): void {
    if (this.tickQueued) return;
    const runId = pickNextDue([...this.sessions.keys()], this.dueAt, this.lastTicked, this.host.now());
    if (runId === null) {
      this.arm();
      return;
    }
    this.tickQueued = true;
    this.lastTicked = runId;
    this.dueAt.delete(runId);
    void this.enqueue(async () => {
      const session = this.sessions.get(runId);
      if (!session) return;
      const next = await session.tick();
      // The session may have been disposed or replaced while its slice awaited a checkpoint.
      if (this.sessions.get(runId) === session && next !== null) this.dueAt.set(runId, this.host.now() + next);
    }).finally(() => {
      this.tickQueued = false;
      this.arm();
    });
  }
}

/**
 * The hidden size the `fastest` race trains at (the run's; its checkpoint's when restoring). The race
 * is SAC-shaped (fastestBackend.ts), so for any algorithm it is only the size of the networks; every
 * table's default, 64, when the message lacks one (creating the run then says what is wrong).
 */
/** The shape the backend is measured at: the run's algorithm, hidden and batch size (a checkpoint's config first). */
function raceShape(message: CreateSessionMessage): BackendShape {
  // The message came over postMessage: read it as data that may lack any part.
  const checkpoint: unknown = message.checkpoint;
  const saved = isPlainObject(checkpoint) && isPlainObject(checkpoint.config) ? checkpoint.config : undefined;
  const config: unknown = message.config;
  const given = isPlainObject(config) ? config : undefined;
  const read = (key: string, fallback: number): number => {
    const value = saved?.[key] ?? given?.[key];
    return typeof value === 'number' ? value : fallback;
  };
  return { algorithm: message.algorithm, hiddenSize: read('hiddenSize', 64), batchSize: read('batchSize', 64), members: 1 };
}

function runIdOf(data: unknown): RunId | null {
  if (typeof data === 'object' && data !== null && 'runId' in data && typeof data.runId === 'string') return data.runId;
  return null;
}
