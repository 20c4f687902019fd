/**
 * Worker slots. At most `maxConcurrent` runs TRAIN at once, each in its own worker (created lazily);
 * further runs wait in a queue and start in order as slots free. Loading a session (a new run, or a saved
 * one from its checkpoint) is asked of the client (`createSession`), which knows the run's config,
 * checkpoint and lock. Paused sessions may stay loaded (fast resume) but hold no slot; a run that must
 * train while its worker trains another moves to a free worker through a fresh checkpoint.
 *
 * A worker that crashes or fails to load is dropped: its runs are reported lost (the client marks them
 * paused with a message) and load again from their last checkpoint in a new worker when resumed.
 * The worker factory is injected, so the pool runs in Node tests with fake workers.
 */
import { assertNever, isWorkerToPage, transferablesOf, type BackendChoice, type CheckpointMessage, type CreateSessionMessage, type PageToWorker, type RunId, type WorkerToPage } from '../worker/protocol';

/** The part of a Worker the pool uses. */
export interface WorkerLike {
  postMessage(message: PageToWorker, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
  onmessageerror: (() => void) | null;
}
export type WorkerFactory = () => WorkerLike;

/** How long a requested checkpoint is waited for (ms). */
export const CHECKPOINT_REQUEST_TIMEOUT_MS = 5_000;

/** What the pool needs from the client. */
export interface PoolHooks {
  /**
   * The createSession message for a run (config, checkpoint…), having taken its lock; null when it can't
   * be loaded here (the client has said why). `start` says whether it trains at once.
   */
  createSession: (runId: RunId, start: 'running' | 'paused') => Promise<CreateSessionMessage | null>;
  /** Every message of every worker, with the runs loaded in that worker (for worker-level messages). */
  onMessage: (message: WorkerToPage, workerRuns: readonly RunId[]) => void;
  /** A queued run got a slot and is being loaded or resumed. */
  onStarting: (runId: RunId) => void;
  /** A run waits for a slot. */
  onQueued: (runId: RunId) => void;
  /** A session is gone from its worker (disposed, failed to load, or its worker crashed). */
  onUnloaded: (runId: RunId) => void;
  /** A worker crashed or failed to load: these runs lost their session. */
  onWorkerLost: (runIds: readonly RunId[], reason: string) => void;
  /** A message that is not a WorkerToPage, or could not be read. */
  onBadMessage: (reason: string) => void;
  /**
   * The Backend selector's choice now. A worker's tfjs backend is fixed by its first session, so new
   * runs go to a worker made for this choice (an idle worker made for another is ended). Omitted: one choice.
   */
  backendChoice?: () => BackendChoice;
}

interface WorkerSlot {
  id: number;
  worker: WorkerLike;
  sessions: Set<RunId>;
  /** The run training in this worker (holding a slot), or null. */
  trainer: RunId | null;
  /** The worker's script has loaded (it said `ready`): an error before that is a load failure. */
  ready: boolean;
  /** The Backend choice the worker was made for (its first session selects the backend from it). */
  backend: BackendChoice | null;
}

export class WorkerPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly loadedIn = new Map<RunId, WorkerSlot>();
  /** Runs holding a training slot (training or being loaded to train). */
  private readonly training = new Set<RunId>();
  private readonly queue: RunId[] = [];
  /** Runs whose session is being created (awaiting the client). */
  private readonly loading = new Set<RunId>();
  private nextWorkerId = 1;
  private checkpointRequests = 0;
  private readonly pendingCheckpoints = new Map<number, (message: CheckpointMessage | null) => void>();

  constructor(
    private readonly createWorker: WorkerFactory,
    private readonly maxConcurrent: number,
    private readonly hooks: PoolHooks,
  ) {}

  get limit(): number {
    return this.maxConcurrent;
  }
  isLoaded(runId: RunId): boolean {
    return this.loadedIn.has(runId);
  }
  isTraining(runId: RunId): boolean {
    return this.training.has(runId);
  }
  isQueued(runId: RunId): boolean {
    return this.queue.includes(runId);
  }
  queuedRuns(): readonly RunId[] {
    return this.queue;
  }
  workerCount(): number {
    return this.slots.length;
  }

  /** Posts to the run's worker; false when the run is not loaded. */
  post(runId: RunId, message: PageToWorker): boolean {
    const slot = this.loadedIn.get(runId);
    if (!slot) return false;
    slot.worker.postMessage(message, transferablesOf(message));
    return true;
  }

  /** Train (new run, resume): now if a slot is free, else queued. */
  async train(runId: RunId): Promise<'training' | 'queued' | 'failed'> {
    if (this.training.has(runId)) return 'training';
    if (this.training.size >= this.maxConcurrent) {
      if (!this.queue.includes(runId)) this.queue.push(runId);
      this.hooks.onQueued(runId);
      return 'queued';
    }
    this.dequeue(runId);
    this.training.add(runId);
    this.hooks.onStarting(runId);
    const ok = await this.startTraining(runId);
    if (!ok) this.releaseSlot(runId);
    return ok ? 'training' : 'failed';
  }

  private async startTraining(runId: RunId): Promise<boolean> {
    const current = this.loadedIn.get(runId);
    if (current && (current.trainer === null || current.trainer === runId)) {
      current.trainer = runId;
      this.post(runId, { type: 'resume', runId });
      return true;
    }
    if (current) {
      // Its worker trains another run: move it to a free worker through a fresh checkpoint.
      const checkpoint = await this.requestCheckpoint(runId);
      if (checkpoint) this.hooks.onMessage(checkpoint, []);
      this.dispose(runId);
    }
    const slot = this.slotForTraining();
    slot.trainer = runId;
    const loaded = await this.loadInto(slot, runId, 'running');
    if (!loaded && slot.trainer === runId) slot.trainer = null;
    return loaded;
  }

  /** Loads the run paused (to test it, export it, take a live change or an actor); true when loaded. */
  async load(runId: RunId): Promise<boolean> {
    if (this.loadedIn.has(runId)) return true;
    if (this.loading.has(runId)) return false;
    return this.loadInto(this.slotForLoading(), runId, 'paused');
  }

  private async loadInto(slot: WorkerSlot, runId: RunId, start: 'running' | 'paused'): Promise<boolean> {
    this.loading.add(runId);
    let message: CreateSessionMessage | null;
    try {
      message = await this.hooks.createSession(runId, start);
    } finally {
      this.loading.delete(runId);
    }
    if (!message) return false;
    // The worker may have crashed while the client prepared the session: the run is not loaded (its lock goes).
    if (!this.slots.includes(slot)) {
      this.hooks.onUnloaded(runId);
      return false;
    }
    slot.sessions.add(runId);
    this.loadedIn.set(runId, slot);
    slot.worker.postMessage(message, transferablesOf(message));
    return true;
  }

  /** The run no longer trains (paused, stopped, failed, deleted): frees its slot and starts the next queued run. */
  releaseSlot(runId: RunId): void {
    this.dequeue(runId);
    if (!this.training.delete(runId)) return;
    const slot = this.loadedIn.get(runId);
    if (slot && slot.trainer === runId) slot.trainer = null;
    for (const other of this.slots) if (other.trainer === runId) other.trainer = null;
    const next = this.queue.shift();
    if (next !== undefined) void this.train(next);
  }

  /** Takes a run out of the queue (paused or deleted while waiting). */
  dequeue(runId: RunId): void {
    const index = this.queue.indexOf(runId);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** Frees the run's session in its worker (answered by sessionDisposed, which unloads it). */
  dispose(runId: RunId): void {
    const slot = this.loadedIn.get(runId);
    if (!slot) return;
    slot.worker.postMessage({ type: 'disposeSession', runId }, []);
    this.unload(runId);
  }

  /** Asks the run's worker for a checkpoint now; null when not loaded or the worker went away. */
  requestCheckpoint(runId: RunId): Promise<CheckpointMessage | null> {
    if (!this.loadedIn.has(runId)) return Promise.resolve(null);
    this.checkpointRequests += 1;
    const requestId = -this.checkpointRequests; // negative: the pool's own, apart from the client's request ids
    return new Promise((resolve) => {
      // A worker busy for longer than this (or hung) must not hold up an export or a move: the last saved checkpoint serves.
      const timeout = setTimeout(() => {
        this.pendingCheckpoints.delete(requestId);
        resolve(null);
      }, CHECKPOINT_REQUEST_TIMEOUT_MS);
      this.pendingCheckpoints.set(requestId, (message) => {
        clearTimeout(timeout);
        resolve(message);
      });
      this.post(runId, { type: 'requestCheckpoint', runId, requestId });
    });
  }

  private unload(runId: RunId): void {
    const slot = this.loadedIn.get(runId);
    if (!slot) return;
    slot.sessions.delete(runId);
    if (slot.trainer === runId) slot.trainer = null;
    this.loadedIn.delete(runId);
    this.hooks.onUnloaded(runId);
    if (slot.sessions.size === 0 && slot.trainer === null && slot.backend !== this.currentBackend()) this.retire(slot);
  }

  private currentBackend(): BackendChoice | null {
    return this.hooks.backendChoice?.() ?? null;
  }

  /** Ends an idle worker made for another backend choice (the user changed the Backend selector since). */
  private retire(slot: WorkerSlot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || slot.sessions.size > 0 || slot.trainer !== null) return;
    this.slots.splice(index, 1);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    slot.worker.terminate();
  }

  /** Idle workers of another backend choice are ended; the rest, of this choice, are candidates. */
  private slotsForCurrentBackend(): WorkerSlot[] {
    const choice = this.currentBackend();
    for (const slot of [...this.slots]) if (slot.backend !== choice && slot.sessions.size === 0 && slot.trainer === null) this.retire(slot);
    return this.slots.filter((slot) => slot.backend === choice);
  }

  /** A worker with no training run (the least loaded one), created if all have one and the limit allows. */
  private slotForTraining(): WorkerSlot {
    const free = this.slotsForCurrentBackend().filter((slot) => slot.trainer === null).sort((a, b) => a.sessions.size - b.sessions.size);
    return free[0] ?? this.spawn();
  }

  /** A worker for a paused session: the least loaded of the current backend choice, or a new one. */
  private slotForLoading(): WorkerSlot {
    const candidates = this.slotsForCurrentBackend();
    const sorted = [...candidates].sort((a, b) => a.sessions.size - b.sessions.size);
    if (sorted[0] && (sorted[0].sessions.size === 0 || candidates.length >= this.maxConcurrent)) return sorted[0];
    return this.spawn();
  }

  private spawn(): WorkerSlot {
    const worker = this.createWorker();
    const slot: WorkerSlot = { id: this.nextWorkerId, worker, sessions: new Set(), trainer: null, ready: false, backend: this.currentBackend() };
    this.nextWorkerId += 1;
    this.slots.push(slot);
    worker.onmessage = (event) => this.handleMessage(slot, event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.lose(slot, workerErrorReason(slot.ready, event.message));
    };
    worker.onmessageerror = () => this.hooks.onBadMessage('A message from a training worker could not be read.');
    return slot;
  }

  private handleMessage(slot: WorkerSlot, data: unknown): void {
    if (!this.slots.includes(slot)) return; // a message from a worker already dropped
    if (!isWorkerToPage(data)) {
      this.hooks.onBadMessage('A training worker sent a message the page does not understand.');
      return;
    }
    switch (data.type) {
      case 'checkpoint': {
        const resolve = data.requestId === null ? undefined : this.pendingCheckpoints.get(data.requestId);
        if (resolve && data.requestId !== null) {
          this.pendingCheckpoints.delete(data.requestId);
          resolve(data);
          return; // startTraining hands it to the client itself
        }
        break;
      }
      case 'sessionDisposed':
        if (this.loadedIn.get(data.runId) === slot) this.unload(data.runId);
        break;
      case 'error':
        // A fatal error: the session could not be created or restored, it is not there.
        if (data.fatal && data.runId !== null && this.loadedIn.get(data.runId) === slot) this.unload(data.runId);
        break;
      case 'ready':
        slot.ready = true;
        break;
      case 'backend': case 'sessionCreated': case 'progress': case 'phase': case 'frame': case 'configApplied':
      case 'configRejected': case 'testEpisode': case 'actorExported': case 'actorImported': case 'actorFailed': case 'notice':
      case 'insight': case 'pushApplied': case 'pushRejected': case 'physicsApplied': case 'physicsRejected': case 'robustnessResult': case 'robustnessFailed':
        break;
      default:
        assertNever(data);
    }
    this.hooks.onMessage(data, [...slot.sessions]);
  }

  /** Drops a crashed worker: its runs lose their session and their slots; queued runs may take the slots. */
  private lose(slot: WorkerSlot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    try {
      slot.worker.terminate();
    } catch {
      // Already gone.
    }
    const runIds = [...slot.sessions];
    for (const runId of runIds) this.unload(runId);
    // Runs the worker was about to load never got their session either.
    const lostTraining = [...this.training].filter((runId) => !this.loadedIn.has(runId) && (runIds.includes(runId) || slot.trainer === runId));
    for (const [requestId, resolve] of this.pendingCheckpoints) {
      this.pendingCheckpoints.delete(requestId);
      resolve(null);
    }
    this.hooks.onWorkerLost([...new Set([...runIds, ...lostTraining])], reason);
    for (const runId of new Set([...runIds, ...lostTraining])) this.releaseSlot(runId);
  }

  /** Ends every worker (page unload, tests). */
  terminateAll(): void {
    for (const slot of this.slots.splice(0)) slot.worker.terminate();
    this.loadedIn.clear();
    this.training.clear();
    this.queue.length = 0;
  }
}

/**
 * Why a worker's `error` event ended it. A script that never loaded (a 404, the network gone: the
 * event then carries no message) is not a crash of the training, and Resume can succeed once the
 * script is reachable again; say which.
 */
export function workerErrorReason(ready: boolean, message: string | undefined): string {
  if (message) return `The training worker crashed: ${message}`;
  if (!ready) return "The training worker's script could not be loaded (the server did not deliver it, or the network is down)";
  return 'The training worker crashed: it stopped unexpectedly';
}
