/**
 * "Lecture as written vs fixed" (issue 9, "Lecture bugs, measured"), pure: two 3-seed SAC groups on the
 * same seeds and the same step budget, one with the lecture code's two bugs (SAC-SPEC.md: torque
 * tanh(z) ∈ (−1, 1), i.e. action scale 1; target entropy −0.0) and one with SAC's defaults (scale 2,
 * H̄ = −dim(A) = −1). Everything else is SAC's defaults. The page makes the records (lectureBugsGroups)
 * and queues them like "Add run"; latestLectureBugs() reads the newest pair's swing-up steps back.
 *
 * Both run the same 30,000 env steps with the stop rule off: SAC-SPEC.md measured the lecture's code
 * over 30,000 steps, and the same budget keeps the curves comparable to the end (the fixed runs would
 * otherwise stop at the goal around 20,000 steps while the others go on).
 */
import { defaultConfig, lectureAsWrittenOverrides, type SacConfig } from '../rl/sac/config';
import type { GroupRecord, RunRecord } from '../store/runTypes';
import { median } from './compare';
import { newRunsFor } from './newRuns';

export type LectureBugsVariant = 'asWritten' | 'fixed';

/** Env steps per run (SAC-SPEC.md's measurement of the lecture's code used 30,000). */
export const LECTURE_BUGS_BUDGET = 30_000;
/** Seeds per variant and the first of them (the same seeds for both). */
export const LECTURE_BUGS_SEED_COUNT = 3;
export const LECTURE_BUGS_FIRST_SEED = 1;

export interface LectureBugsEntry {
  variant: LectureBugsVariant;
  /** "Lecture as written" or "Fixed". */
  label: string;
  /** The group's name in the runs list. */
  groupName: string;
  /** The group's config (seed = the first seed); valid for SAC's table. */
  config: SacConfig;
  seeds: number[];
}

export interface LectureBugsPlan {
  budget: number;
  /** As written first, then fixed. */
  entries: [LectureBugsEntry, LectureBugsEntry];
}

export interface LectureBugsOptions {
  seeds?: number;
  firstSeed?: number;
  budget?: number;
}

function entry(variant: LectureBugsVariant, overrides: Partial<SacConfig>, seeds: number[], budget: number): LectureBugsEntry {
  const config: SacConfig = { ...defaultConfig(), ...overrides, seed: seeds[0] ?? LECTURE_BUGS_FIRST_SEED, maxSteps: budget, stopAtGoal: false };
  const label = variant === 'asWritten' ? 'Lecture as written' : 'Fixed';
  const settings = `action_scale ${config.actionScale}, target_entropy ${String(config.targetEntropy).replace('-', '−')}`;
  const groupName = variant === 'asWritten' ? `${label} (SAC, ${settings})` : `${label} (SAC defaults: ${settings})`;
  return { variant, label, groupName, config, seeds };
}

/** The two groups: the lecture's code as written, and SAC's defaults; same seeds, same budget. */
export function lectureBugsPlan(options: LectureBugsOptions = {}): LectureBugsPlan {
  const count = options.seeds ?? LECTURE_BUGS_SEED_COUNT;
  const first = options.firstSeed ?? LECTURE_BUGS_FIRST_SEED;
  const budget = options.budget ?? LECTURE_BUGS_BUDGET;
  const seeds = Array.from({ length: count }, (_, index) => first + index);
  return {
    budget,
    entries: [entry('asWritten', lectureAsWrittenOverrides(), seeds, budget), entry('fixed', {}, seeds, budget)],
  };
}

export interface LectureBugsGroupRecords {
  runs: RunRecord[];
  group: GroupRecord;
}

/**
 * The records of the plan's two groups (queued, tagged with one lectureBugs id), or why the page
 * refuses them; nothing is made unless both are. Runs are named "<label> · seed N".
 */
export function lectureBugsGroups(
  plan: LectureBugsPlan,
  usedColors: readonly string[],
  newId: () => string,
  createdAt: number,
): { groups: LectureBugsGroupRecords[] } | { problem: string } {
  const tag = newId();
  const used = [...usedColors];
  const groups: LectureBugsGroupRecords[] = [];
  for (const item of plan.entries) {
    const result = newRunsFor('sac', { ...item.config }, item.seeds.length, used, newId, createdAt);
    if ('problem' in result) return { problem: `Can't start "Lecture as written vs fixed" (${item.label}): ${result.problem}` };
    const first = result.runs[0];
    if (!first) return { problem: `Can't start "Lecture as written vs fixed": no seeds.` };
    const group: GroupRecord = result.group ?? { id: newId(), name: item.groupName, color: first.color, memberIds: result.runs.map((run) => run.id), createdAt };
    group.name = item.groupName;
    group.lectureBugs = { id: tag, variant: item.variant };
    for (const run of result.runs) {
      run.groupId = group.id;
      run.name = `${item.label} · seed ${String(run.config.seed)}`;
    }
    used.push(group.color, ...result.runs.map((run) => run.color));
    groups.push({ runs: result.runs, group });
  }
  return { groups };
}

/** One variant of the newest pair as the swing-up table shows it. */
export interface LectureBugsResult {
  variant: LectureBugsVariant;
  label: string;
  groupName: string;
  actionScale: number;
  targetEntropy: number;
  /** Per member in seed order: its seed and first step where the last-10 mean exceeded −200 (null: not yet / never). */
  seeds: Array<{ seed: number; swingUpStep: number | null; finished: boolean }>;
  /** Median over the members that swung up (null when none has). */
  median: number | null;
  /** k of N: members that swung up, and all members. */
  reached: number;
  total: number;
  /** Members still queued, starting or training. */
  running: number;
}

const ACTIVE: ReadonlySet<RunRecord['status']> = new Set<RunRecord['status']>(['queued', 'starting', 'training']);

/** The newest "Lecture as written vs fixed" pair in the store (as written first), or [] when none was made. */
export function latestLectureBugs(state: {
  runs: Readonly<Record<string, RunRecord>>;
  groups: Readonly<Record<string, GroupRecord>>;
}): LectureBugsResult[] {
  const tagged = Object.values(state.groups).filter((group) => group.lectureBugs !== undefined);
  // Ties (two presses within a millisecond): the group added later wins.
  const newest = tagged.reduce<GroupRecord | null>((latest, group) => (latest === null || group.createdAt >= latest.createdAt ? group : latest), null);
  if (newest?.lectureBugs === undefined) return [];
  const tag = newest.lectureBugs.id;
  const results: LectureBugsResult[] = [];
  for (const variant of ['asWritten', 'fixed'] as const) {
    const group = tagged.find((candidate) => candidate.lectureBugs?.id === tag && candidate.lectureBugs.variant === variant);
    if (!group) continue;
    const members = group.memberIds.map((id) => state.runs[id]).filter((run): run is RunRecord => run !== undefined);
    members.sort((a, b) => Number(a.config.seed) - Number(b.config.seed));
    const reachedSteps = members.map((run) => run.swingUpStep).filter((step): step is number => step !== null);
    const config = members[0]?.config;
    results.push({
      variant,
      label: variant === 'asWritten' ? 'Lecture as written' : 'Fixed',
      groupName: group.name,
      actionScale: Number(config?.actionScale ?? Number.NaN),
      targetEntropy: Number(config?.targetEntropy ?? Number.NaN),
      seeds: members.map((run) => ({ seed: Number(run.config.seed), swingUpStep: run.swingUpStep, finished: run.status === 'done' || run.status === 'failed' })),
      median: median(reachedSteps),
      reached: reachedSteps.length,
      total: members.length,
      running: members.filter((run) => ACTIVE.has(run.status)).length,
    });
  }
  return results;
}
