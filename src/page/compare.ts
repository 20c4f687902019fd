/**
 * The compare table's data (pure): one row per visible run outside a group and one per group with a
 * visible member, each with its algorithm; the settings that differ between the rows shown (table
 * names; across algorithms only the settings every shown algorithm has); a sort; the CSV and JSON
 * exports. The UI renders these rows and never recomputes the figures.
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, type AlgorithmConfig } from '../rl/algorithmSettings';
import { metricsColumns } from '../rl/metricsCsv';
import type { EpisodeMetrics } from '../rl/types';
import type { GroupRecord, RunRecord } from '../store/runTypes';
import type { RunId } from '../worker/protocol';
import { describeSetting } from './describeRun';

/** Steps to swing-up of a group's members: median and range over the members that swung up, "k of N seeds". */
export interface GroupSwingUp {
  median: number | null;
  min: number | null;
  max: number | null;
  reached: number;
  total: number;
}

export interface CompareRow {
  kind: 'run' | 'group';
  /** Run id or group id. */
  id: string;
  name: string;
  color: string;
  /** The algorithm's short name, e.g. "PPO" (a group's members share one). */
  algorithm: string;
  /** The runs behind the row (one for a run row; the visible members for a group). */
  runIds: RunId[];
  /** Settings that differ between the rows shown, e.g. ["actor_lr 3e-4"]; a group's seeds are named in `seeds`. */
  settings: string[];
  /** Seeds of the row's runs (one for a run). */
  seeds: number[];
  /** Run: its step or null. Group: see swingUpGroup. */
  swingUpStep: number | null;
  swingUpGroup: GroupSwingUp | null;
  /** Run: its value; group: the members' mean (null when none has one). */
  best100: number | null;
  final100: number | null;
  updatesPerSecond: number;
  /** Seconds spent training (group: the longest member). */
  wallSeconds: number;
  episodes: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function meanOrNull(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
}

/** Rows for the visible runs, in list order (a group at the place of its first visible member). */
export function compareRows(runs: readonly RunRecord[], groups: Readonly<Record<string, GroupRecord>>): CompareRow[] {
  const rows: CompareRow[] = [];
  const configs: Array<{ algorithm: AlgorithmId; config: AlgorithmConfig }> = [];
  const seenGroups = new Set<string>();
  for (const run of runs) {
    if (!run.visible) continue;
    const group = run.groupId ? groups[run.groupId] : undefined;
    if (!group) {
      rows.push({
        kind: 'run', id: run.id, name: run.name, color: run.color, algorithm: ALGORITHMS[run.algorithm].label, runIds: [run.id], settings: [], seeds: [Number(run.config.seed)],
        swingUpStep: run.swingUpStep, swingUpGroup: null, best100: run.best100?.value ?? null, final100: run.final100,
        updatesPerSecond: run.updatesPerSecond, wallSeconds: run.elapsedSeconds, episodes: run.episodesDone,
      });
      configs.push({ algorithm: run.algorithm, config: run.config });
      continue;
    }
    if (seenGroups.has(group.id)) continue;
    seenGroups.add(group.id);
    const members = runs.filter((member) => member.visible && member.groupId === group.id);
    const reachedSteps = members.map((member) => member.swingUpStep).filter((step): step is number => step !== null);
    rows.push({
      kind: 'group', id: group.id, name: group.name, color: group.color, algorithm: ALGORITHMS[(members[0] ?? run).algorithm].label,
      runIds: members.map((member) => member.id), settings: [],
      seeds: members.map((member) => Number(member.config.seed)),
      swingUpStep: null,
      swingUpGroup: {
        median: median(reachedSteps),
        min: reachedSteps.length ? Math.min(...reachedSteps) : null,
        max: reachedSteps.length ? Math.max(...reachedSteps) : null,
        reached: reachedSteps.length,
        total: members.length,
      },
      best100: meanOrNull(members.map((member) => member.best100?.value ?? null)),
      final100: meanOrNull(members.map((member) => member.final100)),
      updatesPerSecond: meanOrNull(members.map((member) => member.updatesPerSecond)) ?? 0,
      wallSeconds: Math.max(0, ...members.map((member) => member.elapsedSeconds)),
      episodes: Math.max(0, ...members.map((member) => member.episodesDone)),
    });
    const first = members[0] ?? run;
    configs.push({ algorithm: first.algorithm, config: first.config });
  }
  const differing = differingSharedKeys(configs);
  rows.forEach((row, index) => {
    const entry = configs[index];
    if (entry) row.settings = differing.map((key) => describeSetting(entry.algorithm, key, entry.config[key]));
  });
  return rows;
}

/**
 * The settings that differ between the rows, among those every row's algorithm has (a PPO run has no
 * tau to compare with a TD3 run's; the Algorithm column tells them apart), in the first row's table
 * order; the seed (its own column) and the log interval (changes nothing learned) aside.
 */
export function differingSharedKeys(configs: ReadonlyArray<{ algorithm: AlgorithmId; config: AlgorithmConfig }>): string[] {
  const first = configs[0];
  if (!first) return [];
  const shared = ALGORITHM_SETTINGS[first.algorithm].keys.filter(
    (key) => key !== 'seed' && key !== 'logInterval' && configs.every((entry) => key in ALGORITHM_SETTINGS[entry.algorithm].table),
  );
  return shared.filter((key) => configs.some((entry) => entry.config[key] !== first.config[key]));
}

export type CompareColumn = 'name' | 'algorithm' | 'swingUpStep' | 'best100' | 'final100' | 'updatesPerSecond' | 'wallSeconds';

/** The value a row sorts by (group swing-up: its median); null sorts last in both directions. */
function sortValue(row: CompareRow, column: CompareColumn): number | string | null {
  if (column === 'name' || column === 'algorithm') return row[column];
  if (column === 'swingUpStep') return row.kind === 'group' ? (row.swingUpGroup?.median ?? null) : row.swingUpStep;
  return row[column];
}

/** A sorted copy; rows without a value go last whatever the direction; ties keep list order. */
export function sortRows(rows: readonly CompareRow[], column: CompareColumn, direction: 'ascending' | 'descending'): CompareRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: sortValue(row, column) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order = typeof a.value === 'string' || typeof b.value === 'string' ? String(a.value).localeCompare(String(b.value)) : a.value - b.value;
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map((entry) => entry.row);
}

/** A CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Every visible run's episodes in one CSV: `run` (name), `runId` and `algorithm` first, then the metrics
 * columns of the algorithms shown (their union, in the order first met; a run without a column gets NaN).
 */
export function compareCsv(runs: readonly RunRecord[], episodes: Readonly<Record<RunId, readonly EpisodeMetrics[]>>): string {
  const visible = runs.filter((run) => run.visible);
  const columns: string[] = [];
  for (const algorithm of visible.length > 0 ? visible.map((run) => run.algorithm) : (['sac'] as const)) {
    for (const column of metricsColumns(ALGORITHMS[algorithm])) if (!columns.includes(column)) columns.push(column);
  }
  const lines = [['run', 'runId', 'algorithm', ...columns].join(',')];
  for (const run of visible) {
    const prefix = `${csvField(run.name)},${csvField(run.id)},${run.algorithm}`;
    for (const row of episodes[run.id] ?? []) lines.push(`${prefix},${columns.map((column) => String(row[column] ?? Number.NaN)).join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

export const COMPARE_JSON_FORMAT = 'sac-playground-compare';

/** The visible runs' records and episodes, and their groups, as JSON text. */
export function compareJson(
  runs: readonly RunRecord[],
  groups: Readonly<Record<string, GroupRecord>>,
  episodes: Readonly<Record<RunId, readonly EpisodeMetrics[]>>,
): string {
  const visible = runs.filter((run) => run.visible);
  const groupIds = new Set(visible.map((run) => run.groupId).filter((id): id is string => id !== null));
  return JSON.stringify({
    format: COMPARE_JSON_FORMAT,
    version: 1,
    runs: visible.map((run) => ({ record: run, episodes: episodes[run.id] ?? [] })),
    groups: [...groupIds].map((id) => groups[id]).filter((group): group is GroupRecord => group !== undefined),
  });
}
