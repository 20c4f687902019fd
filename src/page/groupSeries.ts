/**
 * A group's curve: the members' values of one metric on a common x grid, with their mean, min, max and
 * mean ± 1 s.d. (the sample s.d., n − 1; 0 for one member). Pure; the charts draw it as a line and a band.
 *
 * - x = episode: members align by episode index; the grid runs while every member has data.
 * - x = step or wall (seconds): every member is linearly interpolated onto the grid made of all members'
 *   x values inside the range that every member covers (no extrapolation).
 */
import type { EpisodeMetrics } from '../rl/types';
import type { ChartXAxis } from '../store/runTypes';

export interface GroupSeries {
  x: number[];
  mean: number[];
  min: number[];
  max: number[];
  sdLow: number[];
  sdHigh: number[];
}

/** A metric of an episode by its key (NaN when absent): the charts work from descriptors' keys. */
export function readMetric(episode: EpisodeMetrics, key: string): number {
  const value: unknown = Reflect.get(episode, key);
  return typeof value === 'number' ? value : Number.NaN;
}

/** The x value of an episode on the chosen axis. */
export function xOf(episode: EpisodeMetrics, axis: ChartXAxis): number {
  if (axis === 'episode') return episode.episode;
  if (axis === 'step' || axis === 'logStep') return episode.step;
  return episode.wallSeconds;
}

/** y at x on the polyline (xs ascending), or NaN outside it. */
function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  let low = 0;
  let high = xs.length - 1;
  if (high < 0) return Number.NaN;
  const first = xs[0] ?? Number.NaN;
  const last = xs[high] ?? Number.NaN;
  if (x < first || x > last) return Number.NaN;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if ((xs[middle] ?? Number.NaN) <= x) low = middle;
    else high = middle;
  }
  const x0 = xs[low] ?? Number.NaN;
  const x1 = xs[high] ?? Number.NaN;
  const y0 = ys[low] ?? Number.NaN;
  const y1 = ys[high] ?? Number.NaN;
  if (x === x0) return y0;
  if (x === x1) return y1;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

function statsOf(values: readonly number[]): { mean: number; min: number; max: number; sd: number } {
  const count = values.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / count;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const sd = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  return { mean, min, max, sd };
}

export function groupSeries(episodesPerMember: ReadonlyArray<readonly EpisodeMetrics[]>, axis: ChartXAxis, metricKey: string): GroupSeries {
  const series: GroupSeries = { x: [], mean: [], min: [], max: [], sdLow: [], sdHigh: [] };
  if (episodesPerMember.length === 0) return series;
  const push = (x: number, values: number[]): void => {
    const { mean, min, max, sd } = statsOf(values);
    series.x.push(x);
    series.mean.push(mean);
    series.min.push(min);
    series.max.push(max);
    series.sdLow.push(mean - sd);
    series.sdHigh.push(mean + sd);
  };

  if (axis === 'episode') {
    const length = Math.min(...episodesPerMember.map((episodes) => episodes.length));
    for (let index = 0; index < length; index += 1) {
      const values = episodesPerMember.map((episodes) => readMetric(episodes[index] as EpisodeMetrics, metricKey));
      push(episodesPerMember[0]?.[index]?.episode ?? index + 1, values);
    }
    return series;
  }

  const members = episodesPerMember.map((episodes) => ({
    xs: episodes.map((episode) => xOf(episode, axis)),
    ys: episodes.map((episode) => readMetric(episode, metricKey)),
  }));
  if (members.some((member) => member.xs.length === 0)) return series;
  const start = Math.max(...members.map((member) => member.xs[0] ?? Number.NaN));
  const end = Math.min(...members.map((member) => member.xs[member.xs.length - 1] ?? Number.NaN));
  if (!(start <= end)) return series;
  const grid = new Set<number>();
  for (const member of members) for (const x of member.xs) if (x >= start && x <= end) grid.add(x);
  for (const x of [...grid].sort((a, b) => a - b)) {
    push(x, members.map((member) => interpolate(member.xs, member.ys, x)));
  }
  return series;
}
