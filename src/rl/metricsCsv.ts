/**
 * Episode metrics as CSV (header + one row per episode): shared by the CLI's metrics.csv and the page's
 * exports. Columns come from the algorithm's descriptor: the common fields, the algorithm's metrics in
 * its order, then the counts and timing. For SAC that is the order metrics.csv has always had.
 */
import { SAC_DESCRIPTOR, metricValue, type AlgorithmDescriptor } from './algorithm';
import type { EpisodeMetrics } from './types';

/** The columns of an algorithm's metrics CSV, in order. */
export function metricsColumns(descriptor: AlgorithmDescriptor = SAC_DESCRIPTOR): string[] {
  return ['episode', 'step', 'score', 'avg100', 'avg10', ...descriptor.metrics.map((metric) => metric.key), 'updates', 'updatesPerSecond', 'wallSeconds'];
}

/** SAC's columns (kept for callers written before other algorithms existed). */
export const METRICS_COLUMNS: readonly string[] = metricsColumns(SAC_DESCRIPTOR);

/** One episode's values in `columns` order; a metric the record lacks is written NaN, as a NaN loss is. */
function csvRow(row: EpisodeMetrics, columns: readonly string[]): string {
  return columns.map((column) => String(metricValue(row, column))).join(',');
}

export function metricsToCsv(rows: readonly EpisodeMetrics[], descriptor: AlgorithmDescriptor = SAC_DESCRIPTOR): string {
  const columns = metricsColumns(descriptor);
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(csvRow(row, columns));
  return `${lines.join('\n')}\n`;
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Several runs' episodes in one file, a leading `run` column naming each row's run (the compare table's
 * export). Columns: the union over the runs' algorithms, in the order first met; a run without a
 * column gets NaN there.
 */
export function runsMetricsToCsv(runs: ReadonlyArray<{ name: string; descriptor: AlgorithmDescriptor; episodes: readonly EpisodeMetrics[] }>): string {
  const columns: string[] = [];
  for (const run of runs.length > 0 ? runs : [{ descriptor: SAC_DESCRIPTOR }]) {
    for (const column of metricsColumns(run.descriptor)) if (!columns.includes(column)) columns.push(column);
  }
  const lines = [['run', ...columns].join(',')];
  for (const run of runs) {
    const name = csvField(run.name);
    for (const episode of run.episodes) lines.push(`${name},${csvRow(episode, columns)}`);
  }
  return `${lines.join('\n')}\n`;
}
