/**
 * The page's client: implements the UI's commands (PlaygroundCommands) over the worker pool (pool.ts),
 * the store and storage (runKeeper.ts). It maps worker messages onto the store (workerMessages.ts) and
 * adds the side effects: saving progress and checkpoints, freeing slots, disposing finished sessions.
 * Never blocks on a worker; every command is safe in any state and says why when it can't act.
 */
import type { AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, isLiveSetting, type AlgorithmConfig } from '../rl/algorithmSettings';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics } from '../rl/types';
import type { PlaygroundStore } from '../store/index';
import { runsInOrder, selectedRun } from '../store/selectors';
import { clearPendulumFrame } from '../store/pendulumFrame';
import type { GroupRecord, RunRecord } from '../store/runTypes';
import type { CheckpointMessage, CreateSessionMessage, PageToWorker, RunId, SpeedSetting, TestReplay, WorkerToPage } from '../worker/protocol';
import { UNDO_DELETE_MS, type PlaygroundCommands } from './commands';
import { checkActorModelJson } from '../rl/sac/actorArchitecture';
import { modelFileNameFor, readActorFiles } from './actorFiles';
import { compareCsv, compareJson } from './compare';
import { configProblems, newRunRecord, newRunsFor } from './newRuns';
import type { LectureComparisonPlan } from './lectureComparison';
import { lectureBugsGroups, lectureBugsPlan } from './lectureBugs';
import { memberColors, pickColor } from './palette';
import type { RunPersistence, SavedCheckpoint, StorageReport } from './persistence';
import { WorkerPool, type WorkerFactory } from './pool';
import type { RunLocks } from './runLocks';
import { MAX_RUN_FILE_BYTES, exportRunFile, importRunFile, runFileName, RunFileError, type RunBundle } from './runFile';
import type { TabSync, TabSyncMessage } from './tabSync';
import { LOCKED_ELSEWHERE, RunKeeper, storageReporter } from './runKeeper';
import { applyWorkerMessage, type PageEffects } from './workerMessages';
import { InsightClient } from './insightClient';
import { BackendCache, browserStorage } from './backendCache';
import { RaceGate } from './raceGate';
import type { MeasureBackends } from './backendMeasure';
import type { BackendShape } from '../worker/protocol';
import type { PendulumPhysics } from '../rl/env/physics';

/** How long slider drags are coalesced before a live change is sent (ms). */
const LIVE_DEBOUNCE_MS = 120;
const MAX_NAME_LENGTH = 120;

export { LOCKED_ELSEWHERE } from './runKeeper';

export interface ClientOptions {
  store: PlaygroundStore;
  createWorker: WorkerFactory;
  maxConcurrent: number;
  locks: RunLocks;
  tabSync: TabSync | null;
  effects: PageEffects;
  newId: () => string;
  now?: () => number;
  /** The `auto` backend measurements (default: in localStorage where there is one). */
  backendCache?: BackendCache;
  /** "Measure again" in a worker of its own (backendMeasure.ts); absent: not offered here. */
  measureBackends?: MeasureBackends;
  /** Timers (injectable for tests). */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface DeletedRun {
  record: RunRecord;
  episodes: readonly EpisodeMetrics[];
  group: GroupRecord | null;
  timer: unknown;
}

export class PlaygroundClient implements PlaygroundCommands {
  readonly pool: WorkerPool;
  private readonly store: PlaygroundStore;
  private readonly keeper: RunKeeper;
  private readonly locks: RunLocks;
  private readonly effects: PageEffects;
  private readonly newId: () => string;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  private requestCounter = 0;
  /** Live values waiting for the debounce, for the selected run (always of its algorithm's table). */
  private pendingLive: Record<string, number | boolean> = {};
  private liveTimer: unknown = null;
  /** Runs paused while their session was being created. */
  private readonly pauseWhenRunning = new Set<RunId>();
  /** Runs asked to test: their session stays loaded while the test runs. */
  private readonly testing = new Set<RunId>();
  /** Runs whose final checkpoint (reason stop) was saved: their session can go. */
  private readonly finalSaved = new Set<RunId>();
  private readonly deleted = new Map<RunId, DeletedRun>();
  /** The files of the store's actorFileOffer (a picked actor of another hidden size), kept for "Start a run with hidden size N". */
  private offeredActor: ActorFiles | null = null;
  /** Issue 9: maps, pushes, physics, robustness. */
  private readonly insight: InsightClient;
  /** Issue 11: `auto` backend measurements by browser, GPU and shape. */
  readonly backendCache: BackendCache;
  /** One auto-backend race per shape at a time (raceGate.ts). */
  readonly raceGate: RaceGate;
  private readonly measureBackends: MeasureBackends | null;

  constructor(options: ClientOptions) {
    this.store = options.store;
    this.locks = options.locks;
    this.effects = options.effects;
    this.newId = options.newId;
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.keeper = new RunKeeper(this.store, this.locks, options.tabSync, this.now);
    this.backendCache = options.backendCache ?? new BackendCache(browserStorage());
    this.raceGate = new RaceGate({ set: this.setTimer, clear: this.clearTimer });
    this.measureBackends = options.measureBackends ?? null;
    this.pool = new WorkerPool(options.createWorker, options.maxConcurrent, {
      createSession: (runId, start) => this.createSession(runId, start),
      onMessage: (message, workerRuns) => this.handleWorkerMessage(message, workerRuns),
      onStarting: (runId) => this.store.getState().updateRun(runId, { status: 'starting', error: null }),
      onQueued: (runId) => this.store.getState().updateRun(runId, { status: 'queued' }),
      onUnloaded: (runId) => {
        this.raceGate.finished(runId);
        this.locks.release(runId);
      },
      onWorkerLost: (runIds, reason) => this.handleWorkerLost(runIds, reason),
      onBadMessage: (reason) => this.store.getState().setError(reason),
      backendChoice: () => this.store.getState().backendChoice,
    });
    this.insight = new InsightClient({
      store: this.store,
      post: (runId, message) => this.pool.post(runId, message),
      load: (runId) => this.pool.load(runId),
      isLoaded: (runId) => this.pool.isLoaded(runId),
      nextRequestId: () => this.nextRequestId(),
      now: this.now,
    });
  }

  /** Storage opened (or could not be, then runs are not kept): kept runs appear; the last one is selected if none is. */
  async attachStorage(persistence: RunPersistence | null): Promise<void> {
    const loaded = await this.keeper.attach(persistence);
    const last = loaded[loaded.length - 1];
    if (this.state.selectedRunId === null && last !== undefined) this.select(last);
  }

  private get state() {
    return this.store.getState();
  }

  private nextRequestId(): number {
    this.requestCounter += 1;
    return this.requestCounter;
  }

  /** Storage figures from persistence into the store. */
  static storageReporter(store: PlaygroundStore): (report: StorageReport) => void {
    return storageReporter(store);
  }

  /** Messages from other tabs. */
  async handleTabMessage(message: TabSyncMessage): Promise<void> {
    await this.keeper.handleTabMessage(message, (runId) => this.deleted.has(runId));
  }

  // -------------------------------------------------------------------------------------------------
  // Sessions
  // -------------------------------------------------------------------------------------------------

  private async createSession(runId: RunId, start: 'running' | 'paused'): Promise<CreateSessionMessage | null> {
    const run = this.state.runs[runId];
    if (!run) return null;
    if (!(await this.locks.acquire(runId))) {
      this.state.updateRun(runId, { status: 'paused', error: LOCKED_ELSEWHERE });
      this.state.setError(`${run.name}: ${LOCKED_ELSEWHERE}`);
      return null;
    }
    let saved: SavedCheckpoint | null = null;
    try {
      saved = await this.keeper.checkpointOf(runId);
    } catch (error) {
      this.state.setError(`Could not read the checkpoint of "${run.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
    // auto: while another run measures this shape, wait for its result (two races at once distort each other).
    const waiting = this.state.runs[runId];
    if (waiting && this.state.backendChoice === 'auto') {
      const number = (value: unknown): number => (typeof value === 'number' ? value : 64); // as the worker's raceShape reads it
      const shape = { algorithm: waiting.algorithm, hiddenSize: number(waiting.config.hiddenSize), batchSize: number(waiting.config.batchSize), members: 1 };
      await this.raceGate.enter(runId, shape, () => this.backendCache.latestFor(shape, userAgent()) !== null);
    }
    // Still there (not deleted while the checkpoint was read or a race was awaited)?
    const current = this.state.runs[runId];
    if (!current) {
      this.raceGate.finished(runId);
      this.locks.release(runId);
      return null;
    }
    const message: CreateSessionMessage = {
      type: 'createSession',
      runId,
      runName: current.name,
      algorithm: current.algorithm,
      config: { ...current.config },
      backend: this.state.backendChoice,
      speed: this.state.speed,
      start,
    };
    if (message.backend === 'auto') message.measuredBackends = this.backendCache.entries();
    if (saved) message.checkpoint = saved.checkpoint;
    return message;
  }

  private handleWorkerMessage(message: WorkerToPage, workerRuns: readonly RunId[]): void {
    // A test that ended: the run may leave its worker again.
    if (message.type === 'phase' && message.phase !== 'testing' && this.state.runs[message.runId]?.status === 'testing') this.testing.delete(message.runId);
    try {
      applyWorkerMessage(this.store, message, this.effects, workerRuns);
    } catch (error) {
      this.state.setError(`Could not handle the worker's "${message.type}" message: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    switch (message.type) {
      case 'sessionCreated':
        // A finished run loaded again (to test it) is already final; any other starts over.
        if (!this.isFinished(message.runId)) this.finalSaved.delete(message.runId);
        this.keeper.truncateEpisodes(message.runId, message.episodesDone);
        this.insight.onSessionCreated(message.runId);
        return;
      case 'progress':
        this.keeper.saveProgress(message.runId);
        return;
      case 'phase':
        if (message.phase === 'running' && this.pauseWhenRunning.delete(message.runId)) this.pool.post(message.runId, { type: 'pause', runId: message.runId });
        if (message.phase !== 'running' && message.phase !== 'starting') this.pool.releaseSlot(message.runId);
        void this.keeper.save(message.runId, null, true);
        if (message.phase === 'stopped') this.disposeIfFinished(message.runId);
        return;
      case 'checkpoint':
        void this.onCheckpoint(message);
        return;
      case 'backend':
        // Measured now (not taken from the cache): kept, so the next worker of this browser and shape starts at once.
        if (message.measured && message.cached === false) this.backendCache.put(message.measured);
        if (message.runId !== null) this.raceGate.finished(message.runId);
        return;
      case 'error':
        if (message.runId !== null) {
          this.raceGate.finished(message.runId);
          this.pool.releaseSlot(message.runId);
          void this.keeper.save(message.runId, null, true);
        }
        return;
      default:
        return;
    }
  }

  private async onCheckpoint(message: CheckpointMessage): Promise<void> {
    const saved: SavedCheckpoint = { checkpoint: message.checkpoint, finalActor: message.finalActor, bestActor: message.bestActor, best100: message.best100 };
    const result = await this.keeper.keepCheckpoint(message.runId, saved);
    // Now (saved, or held in memory when storage failed or is off: the storage line says which) the run's
    // checkpoint step is the one it resumes from.
    if (this.state.runs[message.runId]) this.state.updateRun(message.runId, { checkpointStep: message.checkpoint.counters.totalSteps });
    if (message.reason === 'stop' && (result === 'saved' || !this.keeper.kept)) {
      this.finalSaved.add(message.runId);
      this.disposeIfFinished(message.runId);
    }
  }

  private isFinished(runId: RunId): boolean {
    const status = this.state.runs[runId]?.status;
    return status === 'done' || status === 'failed';
  }

  /** A done run leaves its worker once its final checkpoint is kept (not while it is being tested). */
  private disposeIfFinished(runId: RunId): void {
    if (!this.isFinished(runId) || !this.finalSaved.has(runId) || this.testing.has(runId)) return;
    this.pool.dispose(runId);
    this.keeper.releaseCheckpoint(runId);
  }

  /** "Measure again": the selected run's shape (or the editor's), measured in a worker of its own; new runs of it use the result. */
  measureBackendsAgain(): void {
    const state = this.state;
    if (state.backendRemeasure?.state === 'measuring') return;
    const run = selectedRun(state);
    const algorithm = run?.algorithm ?? state.algorithm;
    const config: Readonly<Record<string, unknown>> = run?.config ?? state.config;
    const read = (key: string, fallback: number): number => {
      const value = config[key];
      return typeof value === 'number' ? value : fallback;
    };
    const shape: BackendShape = { algorithm, hiddenSize: read('hiddenSize', 64), batchSize: read('batchSize', 64), members: 1 };
    if (this.measureBackends === null) {
      state.setBackendRemeasure({ shape, state: 'failed', result: null, problem: 'measuring is not available here' });
      return;
    }
    state.setBackendRemeasure({ shape, state: 'measuring', result: null, problem: null });
    this.measureBackends(shape).then(
      (result) => {
        this.backendCache.put(result);
        this.state.setBackendRemeasure({ shape, state: 'done', result, problem: null });
      },
      (error: unknown) => {
        this.state.setBackendRemeasure({ shape, state: 'failed', result: null, problem: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  private handleWorkerLost(runIds: readonly RunId[], reason: string): void {
    const state = this.state;
    for (const runId of runIds) {
      this.insight.onRunLost(runId);
      const run = state.runs[runId];
      if (!run) continue;
      if (run.status === 'done' || run.status === 'failed') continue;
      const from = run.checkpointStep === null ? 'from the start' : `from its last checkpoint (step ${run.checkpointStep})`;
      state.updateRun(runId, { status: 'paused', error: `${reason}. Resume continues ${from}.` });
      void this.keeper.save(runId, null, true);
    }
    state.setError(`${reason}. The runs it held are paused; Resume continues each from its last checkpoint in a new worker.`);
  }

  // -------------------------------------------------------------------------------------------------
  // Commands
  // -------------------------------------------------------------------------------------------------

  addRun(): void {
    this.flushLive();
    const state = this.state;
    const used = [...Object.values(state.runs).map((run) => run.color), ...Object.values(state.groups).map((group) => group.color)];
    const made = newRunsFor(state.algorithm, { ...state.config }, state.seeds, used, this.newId, this.now());
    if ('problem' in made) {
      state.setError(made.problem);
      return;
    }
    state.setError(null);
    const { runs, group } = made;
    state.addRuns(runs, group);
    const first = runs[0];
    if (first) this.select(first.id);
    if (group) void this.keeper.saveGroup(group);
    for (const run of runs) {
      void this.keeper.save(run.id, null, true);
      void this.pool.train(run.id);
    }
  }

  startLectureComparison(plan: LectureComparisonPlan): void {
    this.flushLive();
    const state = this.state;
    const used = [...Object.values(state.runs).map((run) => run.color), ...Object.values(state.groups).map((group) => group.color)];
    const comparison = { id: this.newId(), sameSettingsAsSac: plan.sameSettingsAsSac };
    // Every group is made (and checked) before any is added: a refused entry starts nothing.
    const made: Array<{ runs: RunRecord[]; group: GroupRecord }> = [];
    for (const entry of plan.entries) {
      const result = newRunsFor(entry.algorithm, entry.config, entry.seeds.length, used, this.newId, this.now());
      if ('problem' in result) {
        state.setError(`Can't start the lecture comparison (${entry.label}): ${result.problem}`);
        return;
      }
      const first = result.runs[0];
      if (!first) continue;
      const group: GroupRecord = result.group ?? { id: this.newId(), name: entry.groupName, color: first.color, memberIds: result.runs.map((run) => run.id), createdAt: this.now() };
      group.name = entry.groupName;
      group.comparison = comparison;
      for (const run of result.runs) {
        run.groupId = group.id;
        // The group says what the runs share ("PPO (lecture comparison)"); a run needs only its algorithm and seed.
        // Marked as named so that later live changes do not rename it to the long list of its settings.
        run.name = `${entry.label} · seed ${String(run.config.seed)}`;
        run.nameEdited = true;
      }
      used.push(group.color, ...result.runs.map((run) => run.color));
      made.push({ runs: result.runs, group });
    }
    state.setError(null);
    for (const { runs, group } of made) {
      state.addRuns(runs, group);
      void this.keeper.saveGroup(group);
      for (const run of runs) {
        void this.keeper.save(run.id, null, true);
        void this.pool.train(run.id);
      }
    }
    // SAC's thousands of steps and TRPO's tens of thousands on one readable axis.
    state.setXAxis('logStep');
    const total = made.reduce((sum, { runs }) => sum + runs.length, 0);
    state.setNotice(`Lecture comparison: ${total} runs in ${made.length} groups, ${state.concurrency.maxConcurrent} training at a time (${state.concurrency.reason}); the rest wait in the queue.`);
  }

  startLectureBugsComparison(): void {
    this.flushLive();
    const state = this.state;
    const used = [...Object.values(state.runs).map((run) => run.color), ...Object.values(state.groups).map((group) => group.color)];
    const made = lectureBugsGroups(lectureBugsPlan(), used, this.newId, this.now());
    if ('problem' in made) {
      state.setError(made.problem);
      return;
    }
    state.setError(null);
    for (const { runs, group } of made.groups) {
      state.addRuns(runs, group);
      void this.keeper.saveGroup(group);
      for (const run of runs) {
        void this.keeper.save(run.id, null, true);
        void this.pool.train(run.id);
      }
    }
    const total = made.groups.reduce((sum, { runs }) => sum + runs.length, 0);
    state.setNotice(`Lecture as written vs fixed: ${total} SAC runs in 2 groups, ${state.concurrency.maxConcurrent} training at a time (${state.concurrency.reason}); the rest wait in the queue.`);
  }

  pause(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run) return;
    if (this.pool.isQueued(runId)) {
      this.pool.dequeue(runId);
      this.state.updateRun(runId, { status: 'paused' });
      void this.keeper.save(runId, null, true);
      return;
    }
    if (run.status === 'starting' && this.pool.isTraining(runId)) {
      // Its session is being created: pause it as soon as it runs.
      this.pauseWhenRunning.add(runId);
      return;
    }
    if (!this.pool.post(runId, { type: 'pause', runId })) this.state.setNotice(`"${run.name}" is not training.`);
  }

  resume(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run) return;
    if (run.status === 'done' || run.status === 'failed') {
      this.state.setNotice(`"${run.name}" has ended (${run.stopReason ?? run.status}); raise its limits or start a new run.`);
      return;
    }
    if (run.status === 'training' || run.status === 'queued' || run.status === 'starting') return;
    this.flushLive();
    this.state.updateRun(runId, { error: null });
    void this.pool.train(runId).then((result) => {
      if (result === 'failed' && this.state.runs[runId]?.status === 'starting') this.state.updateRun(runId, { status: 'paused' });
    });
  }

  stop(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run || run.status === 'done' || run.status === 'failed') return;
    if (this.pool.post(runId, { type: 'stop', runId })) return;
    // Not loaded (queued, or paused after a reload): its last checkpoint is its final state.
    this.pool.dequeue(runId);
    this.state.updateRun(runId, { status: 'done', stopReason: 'user' });
    void this.keeper.save(runId, null, true);
  }

  togglePauseSelected(): void {
    const run = selectedRun(this.state);
    if (!run) return;
    if (run.status === 'training' || run.status === 'queued' || run.status === 'starting') this.pause(run.id);
    else if (run.status === 'paused') this.resume(run.id);
  }

  duplicate(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run) return;
    this.flushLive();
    this.state.replaceConfig(run.config, run.algorithm);
    this.state.setNotice(`The editor now has the ${ALGORITHM_SETTINGS[run.algorithm].label} settings of "${run.name}": change what you like and press "Add run".`);
  }

  deleteRun(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run) return;
    if (this.locks.holds(runId)) {
      this.removeForUndo(runId);
      return;
    }
    // Not open here: make sure no other tab has it open before it leaves the list.
    void this.locks.withLock(runId, async () => undefined).then((free) => {
      if (free) this.removeForUndo(runId);
      else this.state.setError(`"${run.name}" is open in another tab; delete it there.`);
    });
  }

  private removeForUndo(runId: RunId): void {
    const state = this.state;
    const run = state.runs[runId];
    if (!run) return;
    const group = run.groupId ? (state.groups[run.groupId] ?? null) : null;
    const episodes = state.episodes[runId] ?? [];
    this.pool.releaseSlot(runId);
    this.pool.dispose(runId);
    state.removeRun(runId);
    const timer = this.setTimer(() => void this.purge(runId), UNDO_DELETE_MS);
    this.deleted.set(runId, { record: run, episodes, group, timer });
    state.addPendingDelete({ runId, expiresAt: this.now() + UNDO_DELETE_MS, name: run.name });
    if (state.selectedRunId === null) {
      const next = runsInOrder(this.state)[0];
      if (next) this.select(next.id);
    }
  }

  undoDelete(runId: RunId): void {
    const entry = this.deleted.get(runId);
    if (!entry) return;
    this.clearTimer(entry.timer);
    this.deleted.delete(runId);
    const state = this.state;
    const active = entry.record.status !== 'done' && entry.record.status !== 'failed';
    const record: RunRecord = { ...entry.record, status: active ? 'paused' : entry.record.status };
    const group = entry.group ? (state.groups[entry.group.id] ?? entry.group) : null;
    state.addRuns([record], group ? { ...group, memberIds: [...new Set([...group.memberIds, runId])] } : null);
    state.setEpisodes(runId, entry.episodes);
    state.removePendingDelete(runId);
    void this.keeper.save(runId, null, true);
  }

  /** The undo window passed: the run's stored data goes, and its storage is freed. */
  private async purge(runId: RunId): Promise<void> {
    const entry = this.deleted.get(runId);
    this.deleted.delete(runId);
    this.state.removePendingDelete(runId);
    await this.keeper.deleteRun(runId, entry?.record.name ?? runId, entry?.group ?? null);
  }

  /** Deletes at once every run whose undo window is open (page unload, tests). */
  async flushDeletes(): Promise<void> {
    const pending = [...this.deleted.entries()];
    for (const [runId, entry] of pending) {
      this.clearTimer(entry.timer);
      await this.purge(runId);
    }
  }

  renameRun(runId: RunId, name: string): void {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
      this.state.setError(`A run's name must have 1 to ${MAX_NAME_LENGTH} characters.`);
      return;
    }
    this.state.updateRun(runId, { name: trimmed, nameEdited: true });
    void this.keeper.saveChange(runId);
  }

  renameGroup(groupId: string, name: string): void {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
      this.state.setError(`A group's name must have 1 to ${MAX_NAME_LENGTH} characters.`);
      return;
    }
    this.state.updateGroup(groupId, { name: trimmed });
    const group = this.state.groups[groupId];
    if (group) void this.keeper.saveGroup(group);
  }

  setVisible(runId: RunId, visible: boolean): void {
    this.state.setRunVisible(runId, visible);
    void this.keeper.saveChange(runId);
  }

  setGroupVisible(groupId: string, visible: boolean): void {
    this.state.setGroupVisible(groupId, visible);
    for (const runId of this.state.groups[groupId]?.memberIds ?? []) void this.keeper.save(runId, null, true);
  }

  select(runId: RunId): void {
    const run = this.state.runs[runId];
    if (!run) return;
    this.flushLive();
    if (this.state.selectedRunId !== runId) clearPendulumFrame();
    this.state.selectRun(runId);
    // The editor shows the run's own algorithm and settings: live edits then reach it.
    this.state.replaceConfig(run.config, run.algorithm);
  }

  chooseAlgorithm(algorithm: AlgorithmId): void {
    if (algorithm === this.state.algorithm) return;
    // Edits waiting for the selected run are its algorithm's: send them before the editor shows another.
    this.flushLive();
    this.state.setAlgorithm(algorithm);
  }

  startTest(runId: RunId, replay?: TestReplay): void {
    const run = this.state.runs[runId];
    if (!run) return;
    if (this.isFinished(runId)) this.finalSaved.add(runId); // its stored checkpoint is final: it may go after the test
    this.testing.add(runId);
    void this.pool.load(runId).then((loaded) => {
      if (loaded) this.pool.post(runId, replay ? { type: 'startTest', runId, replay } : { type: 'startTest', runId });
      else if (!this.pool.isLoaded(runId)) this.state.setError(`"${run.name}" could not be loaded to test it.`);
    });
  }

  stopTest(runId: RunId): void {
    this.pool.post(runId, { type: 'stopTest', runId });
    this.testing.delete(runId);
  }

  downloadActor(runId: RunId, which: 'final' | 'best'): void {
    const run = this.state.runs[runId];
    if (!run) return;
    if (this.pool.post(runId, { type: 'exportActor', runId, requestId: this.nextRequestId(), runName: run.name, which })) return;
    void this.keeper.checkpointOf(runId).then((saved) => {
      const files = which === 'best' ? saved?.bestActor : saved?.finalActor;
      if (!files) {
        this.state.setError(`"${run.name}" has no ${which} actor saved yet: it is written at the first checkpoint (within 10 s of training).`);
        return;
      }
      this.saveActorFiles(files, run.name, run.algorithm);
    });
  }

  private saveActorFiles(files: ActorFiles, runName: string, algorithm: AlgorithmId): void {
    const jsonName = modelFileNameFor(files, runName, algorithm);
    this.effects.saveFile(jsonName, new Blob([files.modelJson], { type: 'application/json' }));
    this.effects.saveFile(files.weightsFileName, new Blob([files.weightsBin], { type: 'application/octet-stream' }));
    this.state.setNotice(`Downloaded ${jsonName} and ${files.weightsFileName} (load them with tf.loadLayersModel).`);
  }

  async loadActor(files: readonly File[]): Promise<void> {
    this.dismissActorFileOffer();
    let actorFiles: ActorFiles;
    try {
      actorFiles = await readActorFiles(files);
    } catch (error) {
      this.state.setError(error instanceof Error ? error.message : String(error));
      return;
    }
    // The network the file describes against the one it would go into (the selected run's, else the
    // editor's SAC settings): a file of another hidden size gets an offer of a run that fits, and nothing
    // changes. Actor files are SAC's: a run of another algorithm is left to its worker, which says why
    // it can't take them (on-policy runs) or checks them against its own actor.
    const target = selectedRun(this.state);
    const sacTarget = target === null || target.algorithm === 'sac';
    const mismatch = sacTarget ? checkActorModelJson(actorFiles.modelJson, Number(target ? target.config.hiddenSize : this.state.configs.sac.hiddenSize)) : null;
    if (mismatch) {
      const fileName = files.find((file) => file.name.toLowerCase().endsWith('.json'))?.name ?? 'The model file';
      this.offeredActor = mismatch.fittingHiddenSize === null ? null : actorFiles;
      const where = target ? `"${target.name}" is untouched` : 'no run was made';
      this.state.setActorFileOffer({ message: `${fileName}: ${mismatch.message} Nothing was loaded (${where}).`, fittingHiddenSize: mismatch.fittingHiddenSize });
      return;
    }
    let run = target;
    if (!run) {
      // No run: a new paused SAC run with the editor's SAC settings takes the actor.
      const made = this.addPausedRun('sac', { ...this.state.configs.sac }, "Can't make a run for the actor");
      if (!made) return;
      run = made;
    }
    await this.importActorInto(run, actorFiles);
  }

  async startRunForActorFile(): Promise<void> {
    const offer = this.state.actorFileOffer;
    const files = this.offeredActor;
    if (!offer || offer.fittingHiddenSize === null || !files) {
      this.state.setNotice('No actor file is waiting for a run: pick the files with "Load actor weights".');
      return;
    }
    const run = this.addPausedRun('sac', { ...this.state.configs.sac, hiddenSize: offer.fittingHiddenSize }, "Can't make a run for the actor file");
    if (!run) return;
    this.dismissActorFileOffer();
    await this.importActorInto(run, files);
  }

  dismissActorFileOffer(): void {
    this.offeredActor = null;
    if (this.state.actorFileOffer !== null) this.state.setActorFileOffer(null);
  }

  /** A new paused run of `algorithm` with `config`, selected and saved; null (with the message) when the config is refused. */
  private addPausedRun(algorithm: AlgorithmId, config: AlgorithmConfig, refusal: string): RunRecord | null {
    const problems = configProblems(algorithm, config);
    if (problems.length > 0) {
      this.state.setError(`${refusal}: ${problems.join('; ')}`);
      return null;
    }
    const run = newRunRecord(this.newId(), algorithm, config, pickColor(Object.values(this.state.runs).map((other) => other.color)), 'paused', this.now());
    this.state.addRuns([run]);
    this.select(run.id);
    void this.keeper.save(run.id, null, true);
    return run;
  }

  /** Loads the run paused if needed, then sends it the actor (the worker validates it fully; answered by actorImported or actorFailed). */
  private async importActorInto(run: RunRecord, actorFiles: ActorFiles): Promise<void> {
    const runId = run.id;
    if (!(await this.pool.load(runId)) && !this.pool.isLoaded(runId)) {
      this.state.setError(`"${run.name}" could not be loaded to take the actor; nothing changed.`);
      return;
    }
    this.pool.post(runId, { type: 'importActor', runId, requestId: this.nextRequestId(), files: actorFiles });
  }

  /** The selected run when the editor shows its algorithm and it can still take live changes. */
  private liveTarget(): RunRecord | null {
    const run = selectedRun(this.state);
    if (!run || run.algorithm !== this.state.algorithm || run.status === 'done' || run.status === 'failed') return null;
    return run;
  }

  changeParameter(key: string, value: number | boolean): string | null {
    const error = this.state.setParameter(key, value);
    if (error !== null) return error;
    const run = this.liveTarget();
    if (run && isLiveSetting(run.algorithm, key)) {
      this.pendingLive = { ...this.pendingLive, [key]: value };
      if (this.liveTimer !== null) this.clearTimer(this.liveTimer);
      this.liveTimer = this.setTimer(() => this.flushLive(), LIVE_DEBOUNCE_MS);
    }
    return null;
  }

  syncLiveConfig(): void {
    const state = this.state;
    const run = this.liveTarget();
    if (!run) return;
    for (const key of ALGORITHM_SETTINGS[run.algorithm].keys) {
      const value = state.config[key];
      if (value !== undefined && isLiveSetting(run.algorithm, key) && value !== run.config[key]) this.pendingLive = { ...this.pendingLive, [key]: value };
    }
    this.flushLive();
  }

  /** Sends coalesced live changes to the selected run now; a run not loaded takes them into its config (applied when it loads). */
  flushLive(): void {
    if (this.liveTimer !== null) this.clearTimer(this.liveTimer);
    this.liveTimer = null;
    const partial = this.pendingLive;
    this.pendingLive = {};
    const run = selectedRun(this.state);
    if (Object.keys(partial).length === 0 || !run) return;
    const requestId = this.nextRequestId();
    this.state.markLiveSending(requestId, partial, run.algorithm);
    const message: PageToWorker = { type: 'setLiveConfig', runId: run.id, requestId, partial };
    if (this.pool.post(run.id, message)) return;
    // createSession passes the run's config; the worker applies its live keys over the checkpoint's.
    this.state.markLiveApplied(run.id, requestId, partial, null);
    void this.keeper.save(run.id, null, true);
  }

  /**
   * TEST HOOK (exposed only under `?debug`, as window.sacPlayground.loseWebglContext): makes the worker
   * that hosts the run lose its WebGL context for real. False (with a notice) when the run is not loaded.
   */
  debugLoseWebglContext(runId: RunId): boolean {
    const posted = this.pool.post(runId, { type: 'debugLoseWebglContext', runId });
    if (!posted) this.state.setNotice(`No WebGL context was lost: run ${runId} is not loaded in a worker.`);
    return posted;
  }

  setSpeed(speed: SpeedSetting): void {
    this.state.setSpeed(speed);
    const run = selectedRun(this.state);
    if (run) this.pool.post(run.id, { type: 'setSpeed', runId: run.id, speed: this.state.speed });
  }

  private async bundleOf(runId: RunId): Promise<RunBundle | null> {
    const run = this.state.runs[runId];
    if (!run) return null;
    if (this.pool.isLoaded(runId)) {
      const fresh = await this.pool.requestCheckpoint(runId);
      if (fresh) await this.onCheckpoint(fresh);
    }
    const current = this.state.runs[runId] ?? run;
    return { record: current, episodes: this.state.episodes[runId] ?? [], saved: await this.keeper.checkpointOf(runId) };
  }

  async exportRun(runId: RunId): Promise<void> {
    const bundle = await this.bundleOf(runId);
    if (!bundle) return;
    this.effects.saveFile(runFileName(bundle.record.name), new Blob([exportRunFile([bundle]) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
    this.state.setNotice(`Exported "${bundle.record.name}" as ${runFileName(bundle.record.name)}.`);
  }

  async exportGroup(groupId: string): Promise<void> {
    const group = this.state.groups[groupId];
    if (!group) return;
    const bundles: RunBundle[] = [];
    for (const runId of group.memberIds) {
      const bundle = await this.bundleOf(runId);
      if (bundle) bundles.push(bundle);
    }
    this.effects.saveFile(runFileName(group.name), new Blob([exportRunFile(bundles, group) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
    this.state.setNotice(`Exported "${group.name}" (${bundles.length} runs) as ${runFileName(group.name)}.`);
  }

  async importRuns(file: File): Promise<void> {
    let imported;
    try {
      // Size first: a wrong pick (a disk image) costs a message, not the tab's memory.
      if (file.size > MAX_RUN_FILE_BYTES) throw new RunFileError(`The file is ${Math.round(file.size / 1e6)} MB; run files up to ${MAX_RUN_FILE_BYTES / 1e6} MB are read.`);
      imported = importRunFile(new Uint8Array(await file.arrayBuffer()), this.newId);
    } catch (error) {
      const reason = error instanceof RunFileError ? error.message : `The file could not be read (${error instanceof Error ? error.message : String(error)}).`;
      this.state.setError(`Nothing was imported from ${file.name}: ${reason}`);
      return;
    }
    const state = this.state;
    const used = [...Object.values(state.runs).map((run) => run.color), ...Object.values(state.groups).map((group) => group.color)];
    const group = imported.group ? { ...imported.group, color: pickColor(used) } : null;
    const colors = group ? memberColors(group.color, imported.runs.length) : [];
    const runs = imported.runs.map((bundle, index) => {
      const color = group ? (colors[index] ?? group.color) : pickColor([...used, ...imported.runs.slice(0, index).map((other) => other.record.color)]);
      bundle.record = { ...bundle.record, color };
      return bundle;
    });
    state.addRuns(runs.map((bundle) => bundle.record), group);
    for (const bundle of runs) state.setEpisodes(bundle.record.id, bundle.episodes);
    const first = runs[0];
    if (first) this.select(first.record.id);
    state.setError(null);
    state.setNotice(`Imported ${runs.length === 1 ? `"${first?.record.name ?? ''}"` : `${runs.length} runs`} from ${file.name}.`);
    if (group) await this.keeper.saveGroup(group);
    for (const bundle of runs) {
      if (bundle.saved) await this.keeper.keepCheckpoint(bundle.record.id, bundle.saved, true);
      else await this.keeper.save(bundle.record.id, null, true, true);
    }
  }

  exportCompareCsv(): void {
    const state = this.state;
    this.effects.saveFile('sac-compare.csv', new Blob([compareCsv(runsInOrder(state), state.episodes)], { type: 'text/csv' }));
  }

  showInsightFor(runIds: readonly RunId[]): void {
    this.insight.showInsightFor(runIds);
  }

  push(runId: RunId, push: { deltaThetaDot?: number; theta?: number }): void {
    this.insight.push(runId, push);
  }

  setPhysics(runId: RunId, physics: PendulumPhysics, applyToTraining: boolean): string | null {
    return this.insight.setPhysics(runId, physics, applyToTraining);
  }

  runRobustness(runId: RunId, parameter: keyof PendulumPhysics, values: readonly number[]): void {
    this.insight.runRobustness(runId, parameter, values);
  }

  exportCompareJson(): void {
    const state = this.state;
    this.effects.saveFile('sac-compare.json', new Blob([compareJson(runsInOrder(state), state.groups, state.episodes)], { type: 'application/json' }));
  }
}

/** This browser's user agent (the backend cache's key part); empty where there is no navigator (Node 20 tests). */
function userAgent(): string {
  return typeof navigator === 'undefined' ? '' : navigator.userAgent;
}
