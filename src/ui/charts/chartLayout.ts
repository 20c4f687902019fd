/**
 * Which charts the page draws, derived from the algorithms' metric descriptors (src/rl/algorithm.ts)
 * rather than from SAC's field names: every metric goes on the chart its descriptor names, charts in
 * the order their first metric is declared. A new algorithm's metrics appear without touching the UI.
 */
import { ALGORITHMS, COMMON_METRICS, type AlgorithmId, type MetricDescriptor } from '../../rl/algorithm';

export interface ChartSpec {
  /** The descriptor's chart title, also the chart's accessible name. */
  title: string;
  metrics: readonly MetricDescriptor[];
  /** The score chart carries the lecture's goal line (goal_score). */
  showsGoal: boolean;
}

/**
 * Common metrics left off the charts: the 10-episode mean would add one more line per run to the
 * crowded score chart; it is what "steps to swing-up" in the runs list and the compare table is
 * measured on, so it is still shown there.
 */
const OFF_CHART_KEYS: ReadonlySet<string> = new Set(['avg10']);
const SCORE_KEY = 'score';

export function chartsFor(algorithms: readonly AlgorithmId[]): ChartSpec[] {
  const byTitle = new Map<string, MetricDescriptor[]>();
  const seenKeys = new Set<string>();
  const descriptors = [...COMMON_METRICS, ...algorithms.flatMap((id) => ALGORITHMS[id].metrics)];
  for (const metric of descriptors) {
    if (OFF_CHART_KEYS.has(metric.key) || seenKeys.has(metric.key)) continue;
    seenKeys.add(metric.key);
    const list = byTitle.get(metric.chart) ?? [];
    list.push(metric);
    byTitle.set(metric.chart, list);
  }
  return [...byTitle.entries()].map(([title, metrics]) => ({
    title,
    metrics,
    showsGoal: metrics.some((metric) => metric.key === SCORE_KEY),
  }));
}

/** Line styles that tell the metrics of one chart apart while colour tells the runs apart. */
export const METRIC_DASHES: readonly (readonly number[])[] = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

export function dashFor(metricIndex: number): number[] {
  return [...(METRIC_DASHES[metricIndex % METRIC_DASHES.length] ?? [])];
}
