/**
 * CONTRACT of the experiments store (issue 7): the runs the page knows, as plain data. The page side
 * (src/page/: pool, client, persistence) writes it; the UI reads it. The same records are what
 * IndexedDB keeps (minus the transient fields) and what a run file carries.
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import type { EpisodeMetrics, StopReason } from '../rl/types';
import type { BackendName, RunId } from '../worker/protocol';

/**
 * A run's state as the runs list shows it.
 * - queued: waiting for a free worker slot;
 * - starting: a worker is creating or restoring it;
 * - training; paused (also: every run that was training when the page closed comes back paused);
 * - testing: the deterministic actor runs in its worker (no learning);
 * - done: stopped (goal, limits, the user's Stop); failed: NaN, or could not be created/restored.
 */
export type RunStatus = 'queued' | 'starting' | 'training' | 'paused' | 'testing' | 'done' | 'failed';

/** What the list, the table and the charts show of one run. Persisted (IndexedDB `runs` store). */
export interface RunRecord {
  id: RunId;
  /** Editable; default from describeRun() e.g. "SAC · actor_lr 3e-4 · seed 2". */
  name: string;
  /** True once the user renamed it (then the default name is not recomputed). */
  nameEdited: boolean;
  /** The run's algorithm (records stored before issue 8 have none: they are read as 'sac'). */
  algorithm: AlgorithmId;
  /** The run's config, keyed as its algorithm's table, including confirmed live changes. */
  config: AlgorithmConfig;
  /** The group (seeds of one configuration) this run belongs to, or null. */
  groupId: string | null;
  /** CSS colour of its swatch and curves. */
  color: string;
  status: RunStatus;
  stopReason: StopReason | null;
  /** Why it failed, or the last error of its session. */
  error: string | null;
  /** Date.now() at creation (sort order of the list). */
  createdAt: number;
  totalSteps: number;
  episodesDone: number;
  updates: number;
  /** Over the last second or so while training; the run's mean once it stopped. */
  updatesPerSecond: number;
  /** Seconds spent training (queued and paused time excluded). */
  elapsedSeconds: number;
  /** First env step at which the last-10 mean exceeded −200, or null. */
  swingUpStep: number | null;
  /** Best 100-episode mean so far and its episode. */
  best100: { value: number; episode: number } | null;
  /** Last 100-episode mean. */
  final100: number | null;
  goalReachedAtEpisode: number | null;
  /** Shown on the charts and in the compare table. */
  visible: boolean;
  /** Backend of its worker when last trained. */
  backend: BackendName | null;
  /** Env step of the last checkpoint saved to storage, or null before the first. */
  checkpointStep: number | null;
}

/** Seeds of one configuration started together by "Add run" with Seeds > 1. Persisted. */
export interface GroupRecord {
  id: string;
  /** e.g. "SAC · actor_lr 3e-4 · 3 seeds". Editable. */
  name: string;
  color: string;
  memberIds: RunId[];
  createdAt: number;
  /**
   * Set on the groups "Compare algorithms (lecture)" made (one per algorithm, same `id` for all five), so
   * the claims table finds the latest comparison's runs even after they were renamed. Absent otherwise.
   */
  comparison?: { id: string; sameSettingsAsSac: boolean };
  /**
   * (additive, issue 9) Set on the two groups "Lecture as written vs fixed" made (same `id` for both), so
   * the swing-up table finds the latest such pair even after renames. Absent otherwise.
   */
  lectureBugs?: { id: string; variant: 'asWritten' | 'fixed' };
}

/** Storage as the page shows it (navigator.storage.estimate + what the last write said). */
export interface StorageInfo {
  usedBytes: number | null;
  quotaBytes: number | null;
  /** Set when a write failed (e.g. QuotaExceededError): what happened and what to delete. Cleared by the next successful write. */
  problem: string | null;
  /** (additive) False when IndexedDB is unavailable (e.g. private mode): the page works but keeps no runs. */
  available: boolean;
  /** (additive) Bytes this page stored per run (records, episodes, checkpoint, actors); usedBytes is their sum. */
  byRun: Record<RunId, number>;
  /** (additive) navigator.storage.estimate().usage for the whole origin, where available (includes the app's own caches). */
  originUsageBytes: number | null;
}

/** How many runs train at once and why (shown beside "Add run"). */
export interface ConcurrencyInfo {
  maxConcurrent: number;
  reason: string;
}

/** x of the charts: episode, env step (linear or log scale: on-policy runs take 10× the steps), wall-clock seconds. */
export type ChartXAxis = 'episode' | 'step' | 'logStep' | 'wall';
export type GroupBand = 'minmax' | 'sd';

/**
 * The runs slice of the store. Episodes live per run in `episodes` (append-only arrays, replaced on
 * append so subscribers see a change; `metricsEpoch[runId]` bumps when a run's list is replaced, e.g.
 * truncated to a checkpoint, so charts redraw that run from scratch).
 */
export interface RunsSliceState {
  runs: Record<RunId, RunRecord>;
  /** Display order (oldest first). */
  runOrder: RunId[];
  groups: Record<string, GroupRecord>;
  episodes: Record<RunId, readonly EpisodeMetrics[]>;
  metricsEpoch: Record<RunId, number>;
  /** The run the canvas, status, sliders (live changes), Test and downloads act on. */
  selectedRunId: RunId | null;
  /** Deleted runs that can still be brought back ("Undo"), with when the undo expires (Date.now()). */
  pendingDeletes: Array<{ runId: RunId; expiresAt: number; /** (additive) for "Deleted <name> · Undo" */ name: string }>;
  storage: StorageInfo;
  concurrency: ConcurrencyInfo;
  /** Chart/table view options. */
  xAxis: ChartXAxis;
  band: GroupBand;
  smoothing: number;
  /** Seeds for the next "Add run" (1–10). */
  seeds: number;
}
