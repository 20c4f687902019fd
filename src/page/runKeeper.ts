/**
 * The storage side of the page's client: keeps runs in IndexedDB (through RunPersistence), holds each
 * run's latest checkpoint in memory while it may be needed (resume, move, export, downloads), tells the
 * other tabs what changed and takes in what they changed. Works without storage too (private mode):
 * then it keeps checkpoints in memory only and says that runs are not kept.
 */
import type { PlaygroundStore } from '../store/index';
import type { GroupRecord } from '../store/runTypes';
import type { RunId } from '../worker/protocol';
import type { RunPersistence, SavedCheckpoint, StorageReport } from './persistence';
import type { RunLocks } from './runLocks';
import type { TabSync, TabSyncMessage } from './tabSync';

/** Progress (episodes, counters) is saved at most this often per run (ms); checkpoints and state changes always. */
const PROGRESS_SAVE_INTERVAL_MS = 1_000;

export const LOCKED_ELSEWHERE = 'This run is open in another tab: pause or close it there to train it here.';
export const STORAGE_UNAVAILABLE = 'This browser does not let the page store data (private mode?): runs work but are not kept after the page closes.';

export type SaveResult = 'saved' | 'locked' | 'failed' | 'none';

/** Storage figures from persistence into the store. */
export function storageReporter(store: PlaygroundStore): (report: StorageReport) => void {
  return (report) =>
    store.getState().setStorage({
      usedBytes: report.usedBytes,
      byRun: report.byRun,
      quotaBytes: report.quotaBytes,
      originUsageBytes: report.originUsageBytes,
      problem: report.problem,
    });
}

export class RunKeeper {
  private persistence: RunPersistence | null = null;
  private readonly checkpoints = new Map<RunId, SavedCheckpoint>();
  private readonly lastProgressSave = new Map<RunId, number>();

  constructor(
    private readonly store: PlaygroundStore,
    private readonly locks: RunLocks,
    private readonly tabSync: TabSync | null,
    private readonly now: () => number,
  ) {}

  get kept(): boolean {
    return this.persistence !== null;
  }

  private get state() {
    return this.store.getState();
  }

  /**
   * Storage opened (or could not be): kept runs join the store (those that were training come back
   * paused; those another tab has open are marked), and runs made meanwhile are saved. Returns the ids
   * of the runs loaded.
   */
  async attach(persistence: RunPersistence | null): Promise<RunId[]> {
    this.persistence = persistence;
    if (!persistence) {
      this.state.setStorage({ available: false, problem: STORAGE_UNAVAILABLE });
      return [];
    }
    const madeBefore = [...this.state.runOrder];
    const loadedIds = await this.loadKept(persistence);
    for (const group of Object.values(this.state.groups)) if (group.memberIds.some((id) => madeBefore.includes(id))) await this.saveGroup(group);
    for (const runId of madeBefore) await this.save(runId, this.checkpoints.get(runId) ?? null, true);
    return loadedIds;
  }

  private async loadKept(persistence: RunPersistence): Promise<RunId[]> {
    try {
      const loaded = await persistence.loadAll();
      const state = this.state;
      const known = new Set(state.runOrder);
      const runs = loaded.runs.filter((run) => !known.has(run.id));
      for (const group of loaded.groups) state.addRuns([], group);
      state.addRuns(runs);
      for (const run of runs) state.setEpisodes(run.id, loaded.episodes[run.id] ?? []);
      // A run another tab has open (training there) is shown, marked, and left to that tab.
      for (const run of runs) {
        if (run.status === 'done' || run.status === 'failed') continue;
        if (!(await this.locks.withLock(run.id, async () => undefined))) state.updateRun(run.id, { error: LOCKED_ELSEWHERE });
      }
      return runs.map((run) => run.id);
    } catch (error) {
      this.state.setError(`Could not read the kept runs: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Saves the run's record, its episodes not saved yet and (given) a checkpoint; tells other tabs when asked to. */
  async save(runId: RunId, checkpoint: SavedCheckpoint | null = null, tellTabs = false, replaceEpisodes = false): Promise<SaveResult> {
    const run = this.state.runs[runId];
    if (!run || !this.persistence) return 'none';
    const result = await this.persistence.saveRun(run, this.state.episodes[runId] ?? [], checkpoint, replaceEpisodes);
    if (result === 'saved' && tellTabs) this.tabSync?.tell({ type: 'runSaved', runId });
    return result;
  }

  /** Progress, at most once a second per run (the rest follows with the next save). */
  saveProgress(runId: RunId): void {
    const last = this.lastProgressSave.get(runId) ?? Number.NEGATIVE_INFINITY;
    if (this.now() - last < PROGRESS_SAVE_INTERVAL_MS) return;
    this.lastProgressSave.set(runId, this.now());
    void this.save(runId);
  }

  /** A change the user made to a run's record; says so when another tab has the run (shown here, not saved). */
  async saveChange(runId: RunId): Promise<void> {
    if ((await this.save(runId, null, true)) === 'locked') {
      this.state.setNotice(`"${this.state.runs[runId]?.name ?? runId}" is open in another tab: this change shows here but is not saved.`);
    }
  }

  async saveGroup(group: GroupRecord): Promise<void> {
    if (!this.persistence) return;
    if ((await this.persistence.saveGroup(group)) === 'saved') this.tabSync?.tell({ type: 'groupSaved', groupId: group.id });
  }

  /** A checkpoint from a worker (or a run file): held in memory and saved with the run. */
  async keepCheckpoint(runId: RunId, saved: SavedCheckpoint, replaceEpisodes = false): Promise<SaveResult> {
    this.checkpoints.set(runId, saved);
    return this.save(runId, saved, true, replaceEpisodes);
  }

  /** The run's latest checkpoint: from memory, else from storage; null before its first. */
  async checkpointOf(runId: RunId): Promise<SavedCheckpoint | null> {
    const cached = this.checkpoints.get(runId);
    if (cached) return cached;
    if (!this.persistence) return null;
    const saved = await this.persistence.loadCheckpoint(runId);
    if (saved) this.checkpoints.set(runId, saved);
    return saved;
  }

  /** Drops the in-memory copy once storage has it (done runs); without storage it must stay. */
  releaseCheckpoint(runId: RunId): void {
    if (this.persistence) this.checkpoints.delete(runId);
  }

  truncateEpisodes(runId: RunId, count: number): void {
    void this.persistence?.truncateEpisodes(runId, count);
  }

  /** Deletes the run's stored data (its undo window passed), and its group's when it was the last member. */
  async deleteRun(runId: RunId, name: string, group: GroupRecord | null): Promise<void> {
    this.checkpoints.delete(runId);
    this.lastProgressSave.delete(runId);
    if (!this.persistence) return;
    const result = await this.persistence.deleteRun(runId);
    if (result === 'locked') {
      this.state.setError(`"${name}" is open in another tab, so its stored data was kept; delete it there.`);
      return;
    }
    if (result === 'saved') this.tabSync?.tell({ type: 'runDeleted', runId });
    if (!group) return;
    const current = this.state.groups[group.id];
    if (current) await this.saveGroup(current);
    else {
      await this.persistence.deleteGroup(group.id);
      this.tabSync?.tell({ type: 'groupDeleted', groupId: group.id });
    }
  }

  /** Messages from other tabs: read the changed records, unless this tab has the run open (or is deleting it). */
  async handleTabMessage(message: TabSyncMessage, deletingHere: (runId: RunId) => boolean): Promise<void> {
    if (!this.persistence) return;
    const state = this.state;
    switch (message.type) {
      case 'runSaved': {
        if (this.locks.holds(message.runId) || deletingHere(message.runId)) return;
        const loaded = await this.persistence.loadRun(message.runId);
        if (!loaded) return;
        this.checkpoints.delete(message.runId);
        if (state.runs[message.runId]) state.updateRun(message.runId, loaded.run);
        else state.addRuns([loaded.run]);
        if ((this.state.episodes[message.runId]?.length ?? -1) !== loaded.episodes.length) state.setEpisodes(message.runId, loaded.episodes);
        return;
      }
      case 'runDeleted':
        if (!this.locks.holds(message.runId)) state.removeRun(message.runId);
        return;
      case 'groupSaved': {
        const group = await this.persistence.loadGroup(message.groupId);
        if (group) state.addRuns([], group);
        return;
      }
      case 'groupDeleted':
        return;
      default:
        return;
    }
  }
}
