/**
 * The runs of the latest "Compare algorithms (lecture)" from the store, as lectureClaims() reads them:
 * the groups tagged with the newest comparison id (GroupRecord.comparison), one per algorithm in the
 * page's algorithm order. Pure: the UI calls it at most about once a second.
 */
import { ALGORITHM_IDS } from '../rl/algorithm';
import type { EpisodeMetrics } from '../rl/types';
import type { GroupRecord, RunRecord } from '../store/runTypes';
import type { LectureGroupData } from './lectureClaims';

export interface LectureComparisonRuns {
  /** The comparison's groups as lectureClaims() takes them (empty when none was made). */
  groups: LectureGroupData[];
  /** True while any of its runs is queued, starting or training. */
  running: boolean;
  sameSettingsAsSac: boolean;
}

const ACTIVE: ReadonlySet<RunRecord['status']> = new Set<RunRecord['status']>(['queued', 'starting', 'training']);

export function latestLectureComparison(state: {
  runs: Readonly<Record<string, RunRecord>>;
  groups: Readonly<Record<string, GroupRecord>>;
  episodes: Readonly<Record<string, readonly EpisodeMetrics[]>>;
}): LectureComparisonRuns {
  const tagged = Object.values(state.groups).filter((group) => group.comparison !== undefined);
  const newest = tagged.reduce<GroupRecord | null>((latest, group) => (latest === null || group.createdAt > latest.createdAt ? group : latest), null);
  if (newest?.comparison === undefined) return { groups: [], running: false, sameSettingsAsSac: false };
  const comparisonId = newest.comparison.id;
  const groups = tagged.filter((group) => group.comparison?.id === comparisonId);
  let running = false;
  const data: LectureGroupData[] = [];
  for (const algorithm of ALGORITHM_IDS) {
    const members = groups.flatMap((group) => group.memberIds.map((id) => state.runs[id])).filter((run): run is RunRecord => run !== undefined && run.algorithm === algorithm);
    if (members.length === 0) continue;
    if (members.some((run) => ACTIVE.has(run.status))) running = true;
    data.push({
      algorithm,
      runs: members.map((run) => ({
        seed: Number(run.config.seed),
        episodes: state.episodes[run.id] ?? [],
        swingUpStep: run.swingUpStep,
        // A run still going may swing up later: it is not yet a failure.
        finished: run.status === 'done' || run.status === 'failed',
      })),
    });
  }
  return { groups: data, running, sameSettingsAsSac: newest.comparison.sameSettingsAsSac };
}
