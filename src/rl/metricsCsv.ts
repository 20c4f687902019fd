/** Episode metrics as CSV (header + one row per episode): shared by the CLI's metrics.csv and the page's export. */
import type { EpisodeMetrics } from './types';

export const METRICS_COLUMNS: ReadonlyArray<keyof EpisodeMetrics> = [
  'episode', 'step', 'score', 'avg100', 'avg10', 'alpha', 'criticLoss', 'actorLoss', 'alphaLoss',
  'entropy', 'qMean', 'updates', 'updatesPerSecond', 'wallSeconds',
];

export function metricsToCsv(rows: readonly EpisodeMetrics[]): string {
  const lines = [METRICS_COLUMNS.join(',')];
  for (const row of rows) lines.push(METRICS_COLUMNS.map((column) => String(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}
