/**
 * The lecture's claims, checked against the runs of a lecture comparison (issue 8), pure: per algorithm
 * the figures the claims rest on (steps to swing-up, samples relative to SAC, wall-clock to swing-up,
 * fall-backs, stability after swing-up, SAC's α), and one plain sentence per claim saying whether these
 * runs support it. Every verdict is computed from the data given; nothing here is a foregone conclusion.
 *
 * Definitions (all per run, then summarised over an algorithm's seeds):
 * - Swing-up step: the run's `swingUpStep` (the first env step at which the 10-episode mean exceeded
 *   −200, episodeRules.isSwingUp). When the run gives none (undefined), it is found in its episodes by the
 *   same rule; null means the run never swung up.
 * - Swing-up episode: the first episode whose `step` ≥ the swing-up step. "After swing-up" means the
 *   episodes after it, i.e. those with `step` > the swing-up step.
 * - Fall-back: a run that swung up *falls back* when any episode after its swing-up episode has a
 *   10-episode mean (`avg10`) strictly below FALL_BACK_THRESHOLD (−400). Runs that never swung up cannot
 *   fall back (they are counted apart).
 * - Stability after swing-up: over the episodes after swing-up, the lowest 10-episode mean and the lowest
 *   single score of any seed, and the mean over seeds of each seed's standard deviation of its scores.
 * - Samples relative to SAC: the algorithm's median swing-up step over the seeds that swung up, divided by
 *   SAC's (same rule); null when either has no seed that swung up.
 * - Wall-clock to swing-up: `wallSecondsToSwingUp` when given, else `wallSeconds` of the swing-up episode;
 *   median over the seeds that have one.
 * - α first → last: the first and the last finite `alpha` of each run, medians over the runs that have it.
 * - A run is `finished` unless it says otherwise; a run still going can still swing up or fall back, so
 *   it never counts as "never swung up" or "did not fall back".
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import { SWING_UP_MIN_EPISODES, SWING_UP_THRESHOLD } from '../rl/episodeRules';

/** A 10-episode mean strictly below this after swinging up is a fall-back (the lecture's "sudden failure"). */
export const FALL_BACK_THRESHOLD = -400;
/** An on-policy method is called sample-hungry when it needed at least this many times SAC's samples. */
export const SAMPLE_HUNGRY_RATIO = 2;

/** One episode as stored (EpisodeMetrics has these and more). */
export interface LectureEpisode {
  /** Env steps so far at the end of the episode. */
  step: number;
  score: number;
  avg10: number;
  /** 1-based index; the position + 1 when absent. */
  episode?: number;
  wallSeconds?: number;
  alpha?: number;
}

export interface LectureRunData {
  seed: number;
  episodes: readonly LectureEpisode[];
  /** The run's swing-up step (null: never); undefined: found from `episodes`. */
  swingUpStep?: number | null;
  /** Seconds of training to the swing-up; undefined/null: `wallSeconds` of the swing-up episode. */
  wallSecondsToSwingUp?: number | null;
  /** false while the run is still going (default true). */
  finished?: boolean;
}

export interface LectureGroupData {
  algorithm: AlgorithmId;
  runs: readonly LectureRunData[];
}

export interface SwingUpSummary {
  /** Median over the seeds that swung up (null: none did). */
  median: number | null;
  min: number | null;
  max: number | null;
  reached: number;
  total: number;
}

export interface LectureClaimRow {
  algorithm: AlgorithmId;
  label: string;
  family: 'off-policy' | 'on-policy';
  seeds: number[];
  /** Runs that have finished (a run still going may still swing up or fall back). */
  finished: number;
  swingUp: SwingUpSummary;
  /** e.g. "6,800 (6,200–7,400) · 3 of 3 seeds"; "— · 0 of 3 seeds". */
  swingUpText: string;
  /** Median swing-up step ÷ SAC's; 1 for SAC itself when it swung up; null when either never swung up. */
  samplesVsSac: number | null;
  /** e.g. "8.9× SAC's samples"; "SAC (baseline)"; "—". */
  samplesVsSacText: string;
  /** Median wall-clock seconds to swing-up (null: none). */
  wallSecondsToSwingUp: number | null;
  wallToSwingUpText: string;
  /** count: seeds that fell back; swungUp: seeds that swung up; total: seeds. */
  fallBacks: { count: number; swungUp: number; total: number };
  /** e.g. "1 of 3 seeds fell back below −400 after swinging up". */
  fallBacksText: string;
  /** Over the episodes after swing-up (nulls: no such episode). */
  afterSwingUp: { episodes: number; minAvg10: number | null; minScore: number | null; scoreSd: number | null };
  stabilityText: string;
  /** α first → last (medians over seeds); null for algorithms without α. */
  alpha: { first: number; last: number } | null;
  /** e.g. "α: 1.0 → 0.12"; "—". */
  alphaText: string;
}

export type ClaimVerdict = 'supported' | 'partly supported' | 'not supported' | 'not enough data yet';

export interface LectureClaimCheck {
  id: 'on-policy-sample-hungry' | 'ddpg-brittle' | 'sac-stable-efficient';
  /** The lecture's statement. */
  claim: string;
  verdict: ClaimVerdict;
  /** The numbers behind the verdict. */
  evidence: string;
  /** `${claim}: ${verdict} — ${evidence}` */
  sentence: string;
}

export interface LectureClaimsResult {
  rows: LectureClaimRow[];
  claims: LectureClaimCheck[];
}

const CLAIMS: Readonly<Record<LectureClaimCheck['id'], string>> = {
  'on-policy-sample-hungry': 'On-policy methods (TRPO, PPO) are sample-hungry',
  'ddpg-brittle': 'DDPG is brittle (its exploration noise causes sudden failures)',
  'sac-stable-efficient': "SAC's stochastic actor with automatic temperature is stable and efficient",
};

// ---------- formatting (en-US grouping, the typographic minus) ----------

function signed(text: string): string {
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}
export function formatSteps(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
export function formatScore(value: number): string {
  return signed(Math.round(value).toLocaleString('en-US'));
}
export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(1)}×`;
}
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')} min`;
}
function formatAlpha(value: number): string {
  return signed(value.toPrecision(2));
}

// ---------- per run ----------

function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

interface RunAnalysis {
  swingUpStep: number | null;
  wallToSwingUp: number | null;
  fellBack: boolean;
  finished: boolean;
  lastStep: number;
  after: LectureEpisode[];
  alphaFirst: number | null;
  alphaLast: number | null;
}

/** The run's swing-up step by episodeRules' rule (10-episode mean > −200 from episode 10 on), or null. */
export function swingUpStepOf(episodes: readonly LectureEpisode[]): number | null {
  for (let index = 0; index < episodes.length; index += 1) {
    const episode = episodes[index] as LectureEpisode;
    const number = episode.episode ?? index + 1;
    if (number >= SWING_UP_MIN_EPISODES && episode.avg10 > SWING_UP_THRESHOLD) return episode.step;
  }
  return null;
}

function analyseRun(run: LectureRunData): RunAnalysis {
  const episodes = run.episodes;
  const swingUpStep = run.swingUpStep === undefined ? swingUpStepOf(episodes) : run.swingUpStep;
  const swingUpEpisode = swingUpStep === null ? undefined : episodes.find((episode) => episode.step >= swingUpStep);
  const after = swingUpStep === null ? [] : episodes.filter((episode) => episode.step > swingUpStep);
  const alphas = episodes.map((episode) => episode.alpha).filter((alpha): alpha is number => typeof alpha === 'number' && Number.isFinite(alpha));
  return {
    swingUpStep,
    wallToSwingUp: swingUpStep === null ? null : (finiteOrNull(run.wallSecondsToSwingUp) ?? finiteOrNull(swingUpEpisode?.wallSeconds)),
    fellBack: after.some((episode) => episode.avg10 < FALL_BACK_THRESHOLD),
    finished: run.finished ?? true,
    lastStep: episodes.length === 0 ? 0 : (episodes[episodes.length - 1] as LectureEpisode).step,
    after,
    alphaFirst: alphas[0] ?? null,
    alphaLast: alphas[alphas.length - 1] ?? null,
  };
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
}

// ---------- per algorithm ----------

interface GroupAnalysis {
  row: LectureClaimRow;
  runs: RunAnalysis[];
}

function analyseGroup(group: LectureGroupData): GroupAnalysis {
  const runs = group.runs.map(analyseRun);
  const steps = runs.map((run) => run.swingUpStep).filter((step): step is number => step !== null);
  const swingUp: SwingUpSummary = {
    median: medianOf(steps),
    min: steps.length === 0 ? null : Math.min(...steps),
    max: steps.length === 0 ? null : Math.max(...steps),
    reached: steps.length,
    total: runs.length,
  };
  const seedsText = `${swingUp.reached} of ${swingUp.total} seed${swingUp.total === 1 ? '' : 's'}`;
  const range = swingUp.min !== null && swingUp.max !== null && swingUp.min !== swingUp.max ? ` (${formatSteps(swingUp.min)}–${formatSteps(swingUp.max)})` : '';
  const swingUpText = swingUp.median === null ? `— · ${seedsText}` : `${formatSteps(swingUp.median)}${range} · ${seedsText}`;

  const walls = runs.map((run) => run.wallToSwingUp).filter((wall): wall is number => wall !== null);
  const wallSecondsToSwingUp = medianOf(walls);

  const swungUp = runs.filter((run) => run.swingUpStep !== null);
  const fallBackCount = swungUp.filter((run) => run.fellBack).length;
  const neverText = swungUp.length < runs.length ? `; ${runs.length - swungUp.length} did not swing up` : '';
  const fallBacksText = swungUp.length === 0
    ? '— (no seed swung up)'
    : `${fallBackCount} of ${runs.length} seed${runs.length === 1 ? '' : 's'} fell back below ${formatScore(FALL_BACK_THRESHOLD)} after swinging up${neverText}`;

  const afterEpisodes = swungUp.flatMap((run) => run.after);
  const sds = swungUp.filter((run) => run.after.length > 0).map((run) => standardDeviation(run.after.map((episode) => episode.score)));
  const afterSwingUp = {
    episodes: afterEpisodes.length,
    minAvg10: afterEpisodes.length === 0 ? null : Math.min(...afterEpisodes.map((episode) => episode.avg10)),
    minScore: afterEpisodes.length === 0 ? null : Math.min(...afterEpisodes.map((episode) => episode.score)),
    scoreSd: sds.length === 0 ? null : sds.reduce((sum, sd) => sum + sd, 0) / sds.length,
  };
  const stabilityText = afterSwingUp.minAvg10 === null || afterSwingUp.minScore === null || afterSwingUp.scoreSd === null
    ? '—'
    : `lowest 10-ep. mean ${formatScore(afterSwingUp.minAvg10)}, lowest episode ${formatScore(afterSwingUp.minScore)}, score SD ${Math.round(afterSwingUp.scoreSd)}`;

  const withAlpha = runs.filter((run) => run.alphaFirst !== null && run.alphaLast !== null);
  const alphaFirst = medianOf(withAlpha.map((run) => run.alphaFirst as number));
  const alphaLast = medianOf(withAlpha.map((run) => run.alphaLast as number));
  const alpha = alphaFirst === null || alphaLast === null ? null : { first: alphaFirst, last: alphaLast };

  const settings = ALGORITHM_SETTINGS[group.algorithm];
  const row: LectureClaimRow = {
    algorithm: group.algorithm,
    label: ALGORITHMS[group.algorithm].label,
    family: settings.family,
    seeds: group.runs.map((run) => run.seed),
    finished: runs.filter((run) => run.finished).length,
    swingUp,
    swingUpText,
    samplesVsSac: null,
    samplesVsSacText: '—',
    wallSecondsToSwingUp,
    wallToSwingUpText: wallSecondsToSwingUp === null ? '—' : formatSeconds(wallSecondsToSwingUp),
    fallBacks: { count: fallBackCount, swungUp: swungUp.length, total: runs.length },
    fallBacksText,
    afterSwingUp,
    stabilityText,
    alpha,
    alphaText: alpha === null ? '—' : `α: ${formatAlpha(alpha.first)} → ${formatAlpha(alpha.last)}`,
  };
  return { row, runs };
}

// ---------- the claims ----------

function check(id: LectureClaimCheck['id'], verdict: ClaimVerdict, evidence: string): LectureClaimCheck {
  const claim = CLAIMS[id];
  return { id, claim, verdict, evidence, sentence: `${claim}: ${verdict} — ${evidence}` };
}

/** true: slower than SAC for sure; false: not; null: can't tell yet. */
type Decision = boolean | null;

/**
 * Whether an algorithm needed at least `ratio`× SAC's samples: from its median when it swung up; when
 * it never did, from its last step (it needed more than that) once its runs are all finished.
 */
function neededAtLeast(analysis: GroupAnalysis, sacMedian: number, ratio: number): { decision: Decision; text: string } {
  const { row, runs } = analysis;
  if (row.swingUp.median !== null) {
    const factor = row.swingUp.median / sacMedian;
    return { decision: factor >= ratio, text: `${row.label} needed ${formatRatio(factor)} SAC's samples (${row.swingUp.reached} of ${row.swingUp.total} seeds swung up)` };
  }
  const lastStep = runs.length === 0 ? 0 : Math.min(...runs.map((run) => run.lastStep));
  if (runs.length > 0 && runs.every((run) => run.finished)) {
    const bound = lastStep / sacMedian;
    return {
      decision: bound >= ratio ? true : null,
      text: `${row.label} did not swing up in ${formatSteps(lastStep)} steps (> ${formatRatio(bound)} SAC's samples)`,
    };
  }
  return { decision: null, text: `${row.label} has not swung up yet (${formatSteps(lastStep)} steps so far)` };
}

function combine(decisions: readonly Decision[]): ClaimVerdict {
  if (decisions.length === 0 || decisions.some((decision) => decision === null)) return 'not enough data yet';
  if (decisions.every((decision) => decision === true)) return 'supported';
  if (decisions.every((decision) => decision === false)) return 'not supported';
  return 'partly supported';
}

function sampleHungryClaim(byId: ReadonlyMap<AlgorithmId, GroupAnalysis>): LectureClaimCheck {
  const id = 'on-policy-sample-hungry';
  const sac = byId.get('sac');
  const onPolicy = [...byId.values()].filter((analysis) => analysis.row.family === 'on-policy');
  if (onPolicy.length === 0) return check(id, 'not enough data yet', 'no PPO or TRPO runs');
  const sacMedian = sac?.row.swingUp.median ?? null;
  if (sac === undefined || sacMedian === null) {
    return check(id, 'not enough data yet', sac === undefined ? 'no SAC runs to compare with' : 'SAC has not swung up, so there is no baseline to compare with');
  }
  const results = onPolicy.map((analysis) => neededAtLeast(analysis, sacMedian, SAMPLE_HUNGRY_RATIO));
  const verdict = combine(results.map((result) => result.decision));
  const evidence = `${results.map((result) => result.text).join('; ')}; SAC swung up at a median of ${formatSteps(sacMedian)} steps ("sample-hungry": at least ${SAMPLE_HUNGRY_RATIO}× SAC's samples)`;
  return check(id, verdict, evidence);
}

function brittleClaim(byId: ReadonlyMap<AlgorithmId, GroupAnalysis>): LectureClaimCheck {
  const id = 'ddpg-brittle';
  const ddpg = byId.get('ddpg');
  if (ddpg === undefined || ddpg.runs.length === 0) return check(id, 'not enough data yet', 'no DDPG runs');
  const { count, swungUp, total } = ddpg.row.fallBacks;
  const others = (['sac', 'td3'] as const)
    .map((other) => byId.get(other))
    .filter((analysis): analysis is GroupAnalysis => analysis !== undefined)
    .map((analysis) => `${analysis.row.label}: ${analysis.row.fallBacks.count} of ${analysis.row.fallBacks.total}`);
  const comparison = others.length > 0 ? ` (${others.join(', ')})` : '';
  const base = `${count} of ${total} DDPG seeds fell back below ${formatScore(FALL_BACK_THRESHOLD)} after swinging up${comparison}`;
  if (swungUp === 0) {
    const allDone = ddpg.runs.every((run) => run.finished);
    return check(id, 'not enough data yet', allDone ? 'no DDPG seed swung up, so none could fall back' : 'no DDPG seed has swung up yet');
  }
  const sac = byId.get('sac');
  const sacFraction = sac === undefined || sac.row.fallBacks.swungUp === 0 ? 0 : sac.row.fallBacks.count / sac.row.fallBacks.swungUp;
  if (count > 0) {
    const fraction = count / swungUp;
    return fraction > sacFraction
      ? check(id, 'supported', base)
      : check(id, 'not supported', `${base}: SAC fell back at least as often`);
  }
  // No fall-back yet: final only when every DDPG run has finished.
  const allDone = ddpg.runs.every((run) => run.finished);
  return check(id, allDone ? 'not supported' : 'not enough data yet', allDone ? base : `${base} so far`);
}

function sacClaim(byId: ReadonlyMap<AlgorithmId, GroupAnalysis>): LectureClaimCheck {
  const id = 'sac-stable-efficient';
  const sac = byId.get('sac');
  if (sac === undefined || sac.runs.length === 0) return check(id, 'not enough data yet', 'no SAC runs');
  const sacDone = sac.runs.every((run) => run.finished);
  const { count, swungUp, total } = sac.row.fallBacks;
  const alphaPart = sac.row.alpha === null ? '' : `; ${sac.row.alphaText} (tuned by gradient, median over seeds)`;

  // Stable: every seed swung up and none fell back.
  let stable: Decision;
  if (count > 0) stable = false;
  else if (swungUp === total) stable = sacDone ? true : null;
  else stable = sacDone ? false : null;
  const stableText = `SAC swung up on ${swungUp} of ${total} seeds and ${count} fell back below ${formatScore(FALL_BACK_THRESHOLD)}`;

  // Efficient: SAC's median swing-up step is no larger than any other algorithm's.
  const sacMedian = sac.row.swingUp.median;
  const others = [...byId.values()].filter((analysis) => analysis.row.algorithm !== 'sac');
  let efficient: Decision;
  let efficientText: string;
  if (sacMedian === null) {
    efficient = sacDone ? false : null;
    efficientText = 'SAC has no swing-up step';
  } else {
    const decisions = others.map((other): { decision: Decision; text: string } => {
      if (other.row.swingUp.median !== null) {
        return { decision: other.row.swingUp.median >= sacMedian, text: `${other.row.label} ${formatSteps(other.row.swingUp.median)}` };
      }
      const lastStep = other.runs.length === 0 ? 0 : Math.min(...other.runs.map((run) => run.lastStep));
      if (lastStep >= sacMedian || (other.runs.length > 0 && other.runs.every((run) => run.finished))) {
        return { decision: true, text: `${other.row.label} none in ${formatSteps(lastStep)}` };
      }
      return { decision: null, text: `${other.row.label} not yet` };
    });
    efficient = decisions.length === 0 ? null : decisions.some((d) => d.decision === false) ? false : decisions.some((d) => d.decision === null) ? null : true;
    efficientText = `median ${formatSteps(sacMedian)} steps to swing up${decisions.length > 0 ? ` (others: ${decisions.map((d) => d.text).join(', ')})` : ''}`;
  }
  const verdict = combine([stable, efficient]);
  return check(id, verdict, `${stableText}; ${efficientText}${alphaPart}`);
}

/**
 * Rows (one per group, in the order given) and the three lecture claims checked against them. Groups
 * of the same algorithm should be merged by the caller; the last one wins in the claims.
 */
export function lectureClaims(groups: readonly LectureGroupData[]): LectureClaimsResult {
  const analyses = groups.map(analyseGroup);
  const byId = new Map<AlgorithmId, GroupAnalysis>();
  for (const analysis of analyses) byId.set(analysis.row.algorithm, analysis);
  const sacMedian = byId.get('sac')?.row.swingUp.median ?? null;
  for (const { row } of analyses) {
    if (row.algorithm === 'sac') {
      row.samplesVsSac = row.swingUp.median === null ? null : 1;
      row.samplesVsSacText = 'SAC (baseline)';
    } else if (sacMedian !== null && row.swingUp.median !== null) {
      row.samplesVsSac = row.swingUp.median / sacMedian;
      row.samplesVsSacText = `${formatRatio(row.samplesVsSac)} SAC's samples`;
    }
  }
  return {
    rows: analyses.map((analysis) => analysis.row),
    claims: [sampleHungryClaim(byId), brittleClaim(byId), sacClaim(byId)],
  };
}
