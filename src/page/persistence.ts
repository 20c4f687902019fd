/**
 * Runs kept across reloads, in IndexedDB (through `idb`). Object stores:
 *   runs         RunRecord by id
 *   groups       GroupRecord by id
 *   episodes     { runId, episode, metrics } by [runId, episode]; appended per progress batch
 *   checkpoints  { runId, checkpoint, finalActor, bestActor, best100 } by runId; each save replaces the last
 *   meta         { runId, bytes: { record, episodes, checkpoint }, checkpoint: counters | null } by runId
 * Every save is one transaction: it lands whole or not at all, so a failed write (QuotaExceededError
 * above all) never corrupts what was there. What did not land is written by the next save (episodes
 * not yet saved are counted per run; a newer checkpoint replaces the one that failed).
 *
 * A run's data is only written while this tab holds the run's Web Lock (RunLocks): a run open in
 * another tab is never overwritten from here.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isAlgorithmId } from '../rl/algorithmSettings';
import type { RunCheckpoint } from '../rl/runCheckpoint';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics } from '../rl/types';
import type { GroupRecord, RunRecord } from '../store/runTypes';
import type { RunId } from '../worker/protocol';
import { byteSize, formatBytes } from './byteSize';
import type { RunLocks } from './runLocks';

export const DATABASE_NAME = 'sac-playground';
const DATABASE_VERSION = 1;

/** Everything needed to resume a run and to download its actors without a worker. */
export interface SavedCheckpoint {
  checkpoint: RunCheckpoint;
  finalActor: ActorFiles;
  bestActor: ActorFiles | null;
  best100: { value: number; episode: number } | null;
}

/** The counters of a run's saved checkpoint (kept small, apart from the checkpoint itself, so loading the list is cheap). */
export interface CheckpointCounters {
  totalSteps: number;
  episodesDone: number;
  updates: number;
  trainingSeconds: number;
}

interface RunBytes {
  record: number;
  episodes: number;
  checkpoint: number;
}

interface RunMeta {
  runId: RunId;
  bytes: RunBytes;
  checkpoint: CheckpointCounters | null;
}

interface PlaygroundDatabase extends DBSchema {
  runs: { key: string; value: RunRecord };
  groups: { key: string; value: GroupRecord };
  episodes: { key: [string, number]; value: { runId: RunId; episode: number; metrics: EpisodeMetrics } };
  checkpoints: { key: string; value: SavedCheckpoint & { runId: RunId } };
  meta: { key: string; value: RunMeta };
}

/** What the page finds in storage at start. */
export interface LoadedRuns {
  runs: RunRecord[];
  groups: GroupRecord[];
  episodes: Record<RunId, EpisodeMetrics[]>;
  checkpoints: Record<RunId, CheckpointCounters | null>;
}

/** Storage figures and problems, for the store. */
export interface StorageReport {
  usedBytes: number;
  byRun: Record<RunId, number>;
  quotaBytes: number | null;
  originUsageBytes: number | null;
  problem: string | null;
}

export type WriteResult = 'saved' | 'locked' | 'failed';

export interface PersistenceOptions {
  locks: RunLocks;
  /** Called after every write attempt with the figures to show. */
  onStorage: (report: StorageReport) => void;
  databaseName?: string;
  /** navigator.storage.estimate where available. */
  estimate?: (() => Promise<{ usage?: number; quota?: number }>) | null;
}

const EPISODE_RANGE_END = Number.MAX_SAFE_INTEGER;

function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    return { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}

/**
 * A record as stored: records saved before the page ran other algorithms than SAC have no `algorithm`
 * (they are SAC runs, and their config is SAC's); nothing else of them changes.
 */
export function readStoredRecord(stored: RunRecord): RunRecord {
  const algorithm: unknown = (stored as Partial<RunRecord>).algorithm;
  return isAlgorithmId(algorithm) ? stored : { ...stored, algorithm: 'sac' };
}

export class RunPersistence {
  private readonly bytes = new Map<RunId, RunBytes>();
  /** Episodes of each run already in storage (the first N of the store's list). */
  private readonly savedEpisodes = new Map<RunId, number>();
  private readonly names = new Map<RunId, string>();
  private problem: string | null = null;

  private constructor(
    private readonly database: IDBPDatabase<PlaygroundDatabase>,
    private readonly options: PersistenceOptions,
  ) {}

  /** Opens (creating if needed) the database; null when IndexedDB is unavailable (private mode, blocked). */
  static async open(options: PersistenceOptions): Promise<RunPersistence | null> {
    if (typeof indexedDB === 'undefined') return null;
    try {
      let opened: IDBPDatabase<PlaygroundDatabase> | null = null;
      const database = await openDB<PlaygroundDatabase>(options.databaseName ?? DATABASE_NAME, DATABASE_VERSION, {
        // A newer version of the page in another tab wants to upgrade the database: let it (this tab's writes then fail with a message).
        blocking() {
          opened?.close();
        },
        upgrade(upgrading) {
          upgrading.createObjectStore('runs', { keyPath: 'id' });
          upgrading.createObjectStore('groups', { keyPath: 'id' });
          upgrading.createObjectStore('episodes', { keyPath: ['runId', 'episode'] });
          upgrading.createObjectStore('checkpoints', { keyPath: 'runId' });
          upgrading.createObjectStore('meta', { keyPath: 'runId' });
        },
      });
      opened = database;
      return new RunPersistence(database, options);
    } catch {
      return null;
    }
  }

  close(): void {
    this.database.close();
  }

  /**
   * Everything kept. A run that was queued, starting, training or testing when its page closed comes back
   * `paused` at its last checkpoint: counters from the checkpoint, episodes beyond it dropped (resuming
   * produces them again, identically). Runs open in another tab are returned as they are stored.
   */
  async loadAll(): Promise<LoadedRuns> {
    const [runs, groups, metas, episodeRows] = await Promise.all([
      this.database.getAll('runs'),
      this.database.getAll('groups'),
      this.database.getAll('meta'),
      this.database.getAll('episodes'),
    ]);
    const episodes: Record<RunId, EpisodeMetrics[]> = {};
    for (const row of episodeRows) (episodes[row.runId] ??= []).push(row.metrics);
    const checkpoints: Record<RunId, CheckpointCounters | null> = {};
    for (const meta of metas) {
      this.bytes.set(meta.runId, meta.bytes);
      checkpoints[meta.runId] = meta.checkpoint;
    }
    const restored: RunRecord[] = [];
    for (const run of runs.map(readStoredRecord).sort((a, b) => a.createdAt - b.createdAt)) {
      const list = (episodes[run.id] ??= []);
      list.sort((a, b) => a.episode - b.episode);
      this.names.set(run.id, run.name);
      const counters = checkpoints[run.id] ?? null;
      checkpoints[run.id] = counters;
      if (run.status === 'queued' || run.status === 'starting' || run.status === 'training' || run.status === 'testing') {
        const kept = counters?.episodesDone ?? 0;
        list.length = Math.min(list.length, kept);
        restored.push({
          ...run,
          status: 'paused',
          totalSteps: counters?.totalSteps ?? 0,
          episodesDone: counters?.episodesDone ?? 0,
          updates: counters?.updates ?? 0,
          elapsedSeconds: counters?.trainingSeconds ?? 0,
          // The run's mean rate up to its checkpoint (it is not training now).
          updatesPerSecond: counters && counters.trainingSeconds > 0 ? counters.updates / counters.trainingSeconds : 0,
        });
      } else {
        restored.push(run);
      }
      this.savedEpisodes.set(run.id, list.length);
    }
    await this.report();
    return { runs: restored, groups, episodes, checkpoints };
  }

  /** One run as stored (another tab changed it). */
  async loadRun(runId: RunId): Promise<{ run: RunRecord; episodes: EpisodeMetrics[]; checkpoint: CheckpointCounters | null } | null> {
    const stored = await this.database.get('runs', runId);
    if (!stored) return null;
    const run = readStoredRecord(stored);
    const rows = await this.database.getAll('episodes', IDBKeyRange.bound([runId, 0], [runId, EPISODE_RANGE_END]));
    const meta = await this.database.get('meta', runId);
    if (meta) this.bytes.set(runId, meta.bytes);
    this.savedEpisodes.set(runId, rows.length);
    this.names.set(runId, run.name);
    return { run, episodes: rows.map((row) => row.metrics), checkpoint: meta?.checkpoint ?? null };
  }

  async loadGroup(groupId: string): Promise<GroupRecord | null> {
    return (await this.database.get('groups', groupId)) ?? null;
  }

  async loadCheckpoint(runId: RunId): Promise<SavedCheckpoint | null> {
    const saved = await this.database.get('checkpoints', runId);
    if (!saved) return null;
    return { checkpoint: saved.checkpoint, finalActor: saved.finalActor, bestActor: saved.bestActor, best100: saved.best100 };
  }

  /** How many of the run's episodes are in storage. */
  savedEpisodeCount(runId: RunId): number {
    return this.savedEpisodes.get(runId) ?? 0;
  }

  /**
   * Saves the record, the episodes not yet saved (`episodes` is the run's whole list) and, when given,
   * the checkpoint, all in one transaction. `replaceEpisodes` rewrites the run's episodes from scratch
   * (after a truncation, an import).
   */
  async saveRun(
    run: RunRecord,
    episodes: readonly EpisodeMetrics[],
    checkpoint: SavedCheckpoint | null = null,
    replaceEpisodes = false,
  ): Promise<WriteResult> {
    this.names.set(run.id, run.name);
    let result: WriteResult = 'failed';
    const wrote = await this.options.locks.withLock(run.id, async () => {
      result = await this.write(run, episodes, checkpoint, replaceEpisodes);
    });
    if (!wrote) return 'locked';
    return result;
  }

  private async write(run: RunRecord, episodes: readonly EpisodeMetrics[], checkpoint: SavedCheckpoint | null, replaceEpisodes: boolean): Promise<WriteResult> {
    const previousBytes = this.bytes.get(run.id) ?? { record: 0, episodes: 0, checkpoint: 0 };
    const alreadySaved = replaceEpisodes ? 0 : Math.min(this.savedEpisodeCount(run.id), episodes.length);
    const transaction = this.database.transaction(['runs', 'episodes', 'checkpoints', 'meta'], 'readwrite');
    try {
      // The record always names the checkpoint stored beside it (the store's checkpointStep follows the save: client.ts).
      const record: RunRecord = checkpoint ? { ...run, checkpointStep: checkpoint.checkpoint.counters.totalSteps } : run;
      const bytes: RunBytes = { ...previousBytes, record: byteSize(record) };
      const metaStore = transaction.objectStore('meta');
      const previousMeta = await metaStore.get(run.id);
      // Every write below is issued at once and the transaction awaited once: awaiting each put cost a
      // round trip to the browser's storage thread apiece (seconds for a few hundred episodes on a busy
      // machine, long enough for a reload to lose the checkpoint of a fast run).
      const requests: Array<Promise<unknown>> = [];
      if (replaceEpisodes) {
        requests.push(transaction.objectStore('episodes').delete(IDBKeyRange.bound([run.id, 0], [run.id, EPISODE_RANGE_END])));
        bytes.episodes = 0;
      }
      const episodeStore = transaction.objectStore('episodes');
      for (let index = alreadySaved; index < episodes.length; index += 1) {
        const metrics = episodes[index];
        if (!metrics) continue;
        requests.push(episodeStore.put({ runId: run.id, episode: metrics.episode, metrics }));
        bytes.episodes += byteSize(metrics);
      }
      let counters = previousMeta?.checkpoint ?? null;
      if (checkpoint) {
        requests.push(transaction.objectStore('checkpoints').put({ runId: run.id, ...checkpoint }));
        bytes.checkpoint = byteSize(checkpoint);
        counters = { ...checkpoint.checkpoint.counters };
      }
      requests.push(transaction.objectStore('runs').put(record));
      requests.push(metaStore.put({ runId: run.id, bytes, checkpoint: counters }));
      // A failed request aborts the transaction, which transaction.done reports; the requests' own rejections are expected then.
      for (const request of requests) request.catch(() => undefined);
      await Promise.all(requests);
      await transaction.done;
      this.bytes.set(run.id, bytes);
      this.savedEpisodes.set(run.id, episodes.length);
      this.problem = null;
      await this.report();
      return 'saved';
    } catch (error) {
      try {
        transaction.abort();
      } catch {
        // Already aborted by the failure itself.
      }
      transaction.done.catch(() => undefined);
      this.problem = this.describeFailure(run.name, error);
      await this.report();
      return 'failed';
    }
  }

  /** Drops stored episodes after the first `count` (the run resumed from a checkpoint before them). */
  async truncateEpisodes(runId: RunId, count: number): Promise<WriteResult> {
    if (this.savedEpisodeCount(runId) <= count) return 'saved';
    let result: WriteResult = 'failed';
    const wrote = await this.options.locks.withLock(runId, async () => {
      try {
        const transaction = this.database.transaction(['episodes', 'meta'], 'readwrite');
        const store = transaction.objectStore('episodes');
        let cursor = await store.openCursor(IDBKeyRange.bound([runId, count + 1], [runId, EPISODE_RANGE_END]));
        let freed = 0;
        while (cursor) {
          freed += byteSize(cursor.value.metrics);
          await cursor.delete();
          cursor = await cursor.continue();
        }
        const meta = await transaction.objectStore('meta').get(runId);
        if (meta) {
          meta.bytes.episodes = Math.max(0, meta.bytes.episodes - freed);
          await transaction.objectStore('meta').put(meta);
          this.bytes.set(runId, meta.bytes);
        }
        await transaction.done;
        this.savedEpisodes.set(runId, count);
        result = 'saved';
      } catch (error) {
        this.problem = this.describeFailure(this.names.get(runId) ?? runId, error);
      }
      await this.report();
    });
    return wrote ? result : 'locked';
  }

  async saveGroup(group: GroupRecord): Promise<WriteResult> {
    try {
      await this.database.put('groups', group);
      return 'saved';
    } catch (error) {
      this.problem = this.describeFailure(group.name, error);
      await this.report();
      return 'failed';
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.database.delete('groups', groupId);
  }

  /** Removes every record of the run (refused while another tab has it open). Frees its bytes. */
  async deleteRun(runId: RunId): Promise<WriteResult> {
    let result: WriteResult = 'failed';
    const wrote = await this.options.locks.withLock(runId, async () => {
      const transaction = this.database.transaction(['runs', 'episodes', 'checkpoints', 'meta'], 'readwrite');
      try {
        await transaction.objectStore('runs').delete(runId);
        await transaction.objectStore('episodes').delete(IDBKeyRange.bound([runId, 0], [runId, EPISODE_RANGE_END]));
        await transaction.objectStore('checkpoints').delete(runId);
        await transaction.objectStore('meta').delete(runId);
        await transaction.done;
        this.bytes.delete(runId);
        this.savedEpisodes.delete(runId);
        this.names.delete(runId);
        result = 'saved';
      } catch (error) {
        transaction.done.catch(() => undefined);
        this.problem = `Could not delete the run's stored data: ${describeError(error).message}`;
      }
      await this.report();
    });
    return wrote ? result : 'locked';
  }

  /** Bytes this page stored for each run. */
  bytesByRun(): Record<RunId, number> {
    const byRun: Record<RunId, number> = {};
    for (const [runId, bytes] of this.bytes) byRun[runId] = bytes.record + bytes.episodes + bytes.checkpoint;
    return byRun;
  }

  /** The message for a failed write: what happened, that nothing kept was lost, and which runs to delete. */
  private describeFailure(itemName: string, error: unknown): string {
    const { name, message } = describeError(error);
    const biggest = Object.entries(this.bytesByRun())
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([runId, bytes]) => `"${this.names.get(runId) ?? runId}" (${formatBytes(bytes)})`);
    const advice = biggest.length > 0 ? ` Delete runs you no longer need to free space; the biggest: ${biggest.join(', ')}.` : '';
    if (name === 'QuotaExceededError') {
      return `Storage is full: the latest progress of "${itemName}" could not be saved (it stays on this page and is saved again at the next checkpoint). Runs saved before are unchanged.${advice}`;
    }
    return `Could not save "${itemName}" (${name}: ${message}); runs saved before are unchanged. It is tried again at the next checkpoint.${advice}`;
  }

  private async report(): Promise<void> {
    const byRun = this.bytesByRun();
    const usedBytes = Object.values(byRun).reduce((sum, bytes) => sum + bytes, 0);
    let quotaBytes: number | null = null;
    let originUsageBytes: number | null = null;
    if (this.options.estimate) {
      try {
        const estimate = await this.options.estimate();
        quotaBytes = estimate.quota ?? null;
        originUsageBytes = estimate.usage ?? null;
      } catch {
        // No estimate: the page's own count stands.
      }
    }
    this.options.onStorage({ usedBytes, byRun, quotaBytes, originUsageBytes, problem: this.problem });
  }
}
