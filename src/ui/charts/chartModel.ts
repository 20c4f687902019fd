/**
 * The data behind one chart.js chart: datasets for every curve (run or group) and metric of the chart,
 * filled incrementally from the store. A run's new episodes are appended to its point arrays (no copy
 * of the history per batch); a group's mean and band are recomputed from its members with
 * `groupSeries` only when the chart is about to be redrawn (at most 4 times a second).
 *
 * No chart.js import here beyond types: the model is plain data, the component owns the chart.
 */
import type { ChartDataset, Point } from 'chart.js';
import { ALGORITHMS, COMMON_METRICS, type AlgorithmId } from '../../rl/algorithm';
import type { EpisodeMetrics } from '../../rl/types';
import type { ChartXAxis, GroupBand } from '../../store/runTypes';
import type { RunId } from '../../worker/protocol';
import { groupSeries, readMetric, xOf } from '../../page/groupSeries';
import { Smoother } from '../smoothing';
import { dashFor, type ChartSpec } from './chartLayout';
import { withAlpha } from './colors';
import type { CurveSet, GroupCurve, RunCurve } from './curveSet';

export type LineDataset = ChartDataset<'line', Point[]>;

/** Dataset roles, kept in the dataset's `role` option: the legend and the tooltip show only 'main'. */
export type DatasetRole = 'main' | 'raw' | 'member' | 'band' | 'goal';

export interface ChartOptionsIn {
  spec: ChartSpec;
  curves: CurveSet;
  xAxis: ChartXAxis;
  band: GroupBand;
  /** TensorBoard smoothing weight 0…0.99, for metrics whose descriptor says `smoothed`. */
  smoothing: number;
}

export interface EpisodeSource {
  episodes: Readonly<Record<RunId, readonly EpisodeMetrics[]>>;
  metricsEpoch: Readonly<Record<RunId, number>>;
}

/**
 * One metric of one run: its datasets (raw and, for smoothed metrics, the EMA), whose point arrays grow
 * as episodes come. New points go in with one push per batch: chart.js listens to pushes on its data
 * arrays and does work per push call, so a point-by-point push of a long history is slow.
 */
interface RunMetricLine {
  metricKey: string;
  raw: LineDataset | null;
  shown: LineDataset;
  smoother: Smoother | null;
}

interface RunTrack {
  runId: RunId;
  processed: number;
  epoch: number;
  lines: RunMetricLine[];
}

/** A group's lines for one metric; recomputed whole, so each gets a new array (chart.js then re-reads it once). */
interface GroupMetricLines {
  metricKey: string;
  smoothed: boolean;
  mean: LineDataset;
  low: LineDataset;
  high: LineDataset;
}

interface GroupTrack {
  curve: GroupCurve;
  lines: GroupMetricLines[];
  dirty: boolean;
}

const GOAL_COLOR = '#16a34a';
const BASE = { pointRadius: 0, pointHitRadius: 4, tension: 0, spanGaps: true, fill: false } as const;

function label(name: string, metricLabel: string): string {
  return `${name} · ${metricLabel}`;
}


/** Whether runs of `algorithm` report `key` (the common metrics, or one of its descriptor's). */
export function reportsMetric(algorithm: AlgorithmId, key: string): boolean {
  return COMMON_METRICS.some((metric) => metric.key === key) || ALGORITHMS[algorithm].metrics.some((metric) => metric.key === key);
}

export class ChartModel {
  readonly datasets: LineDataset[] = [];
  private goalDataset: LineDataset | null = null;
  private readonly tracks = new Map<RunId, RunTrack>();
  private readonly groupTracks: GroupTrack[] = [];
  private readonly groupsOfRun = new Map<RunId, GroupTrack>();
  private goal: number | null = null;
  private extent: { min: number; max: number } | null = null;

  constructor(private readonly options: ChartOptionsIn) {
    const { spec, curves } = options;
    for (const curve of curves.curves) {
      if (curve.kind === 'run') this.addRun(curve, 'main');
      else this.addGroup(curve);
    }
    if (spec.showsGoal) {
      this.goalDataset = { ...BASE, label: 'Goal', data: [], borderColor: GOAL_COLOR, borderDash: [4, 4], borderWidth: 1.5, ...roleOf('goal') };
      this.datasets.push(this.goalDataset);
    }
  }

  private addRun(curve: RunCurve, as: 'main' | 'member'): void {
    const lines: RunMetricLine[] = [];
    this.options.spec.metrics.forEach((metric, index) => {
      // A chart shared by several algorithms (e.g. PPO's and TRPO's "Policy change") draws each run's own metrics only.
      if (!reportsMetric(curve.algorithm, metric.key)) return;
      const smoothed = metric.smoothed && this.options.smoothing > 0;
      let raw: LineDataset | null = null;
      if (smoothed && as === 'main') {
        raw = { ...BASE, label: `${label(curve.name, metric.label)} (raw)`, data: [], borderColor: withAlpha(curve.color, 0.22), borderWidth: 1, ...roleOf('raw') };
        this.datasets.push(raw);
      }
      const shown: LineDataset = {
        ...BASE,
        label: label(curve.name, metric.label),
        data: [],
        borderColor: as === 'main' ? curve.color : withAlpha(curve.color, 0.45),
        borderWidth: as === 'main' ? 1.8 : 1,
        borderDash: dashFor(index),
        ...roleOf(as),
      };
      this.datasets.push(shown);
      lines.push({ metricKey: metric.key, raw, shown, smoother: smoothed ? new Smoother(this.options.smoothing) : null });
    });
    this.tracks.set(curve.runId, { runId: curve.runId, processed: 0, epoch: Number.NaN, lines });
  }

  private addGroup(curve: GroupCurve): void {
    for (const member of curve.members) this.addRun(member, 'member');
    const track: GroupTrack = { curve, lines: [], dirty: true };
    this.options.spec.metrics.forEach((metric, index) => {
      if (!reportsMetric(curve.algorithm, metric.key)) return;
      const bandLabel = `${label(curve.name, metric.label)} (${this.options.band === 'sd' ? '±1 s.d.' : 'min–max'})`;
      // The band is two lines; the upper one fills down to the lower one ('-1': the dataset before it).
      const low: LineDataset = { ...BASE, label: `${bandLabel} low`, data: [], borderColor: 'transparent', borderWidth: 0, ...roleOf('band') };
      const high: LineDataset = {
        ...BASE,
        label: `${bandLabel} high`,
        data: [],
        borderColor: 'transparent',
        borderWidth: 0,
        backgroundColor: withAlpha(curve.color, 0.22),
        fill: '-1',
        ...roleOf('band'),
      };
      const mean: LineDataset = { ...BASE, label: `${label(curve.name, metric.label)} (mean)`, data: [], borderColor: curve.color, borderWidth: 2.4, borderDash: dashFor(index), ...roleOf('main') };
      this.datasets.push(low, high, mean);
      track.lines.push({ metricKey: metric.key, smoothed: metric.smoothed && this.options.smoothing > 0, mean, low, high });
    });
    this.groupTracks.push(track);
    for (const member of curve.members) this.groupsOfRun.set(member.runId, track);
  }

  /** Takes the episodes the store holds now: appends what is new, restarts a run whose list was replaced. */
  sync(source: EpisodeSource): boolean {
    let changed = false;
    for (const track of this.tracks.values()) {
      const episodes = source.episodes[track.runId] ?? [];
      const epoch = source.metricsEpoch[track.runId] ?? 0;
      if (epoch !== track.epoch || episodes.length < track.processed) {
        if (track.processed > 0) changed = true;
        this.resetTrack(track);
        track.epoch = epoch;
      }
      if (episodes.length === track.processed) continue;
      this.append(track, episodes);
      changed = true;
      const group = this.groupsOfRun.get(track.runId);
      if (group) group.dirty = true;
    }
    if (changed) this.recomputeExtent();
    return changed;
  }

  private resetTrack(track: RunTrack): void {
    track.processed = 0;
    for (const line of track.lines) {
      line.shown.data = [];
      if (line.raw) line.raw.data = [];
      if (line.smoother) line.smoother = new Smoother(this.options.smoothing);
    }
    const group = this.groupsOfRun.get(track.runId);
    if (group) group.dirty = true;
  }

  private append(track: RunTrack, episodes: readonly EpisodeMetrics[]): void {
    for (const line of track.lines) {
      const raw: Point[] = [];
      const shown: Point[] = [];
      for (let index = track.processed; index < episodes.length; index += 1) {
        const episode = episodes[index];
        if (!episode) continue;
        const y = readMetric(episode, line.metricKey);
        if (!Number.isFinite(y)) continue;
        const x = xOf(episode, this.options.xAxis);
        raw.push({ x, y });
        shown.push({ x, y: line.smoother ? line.smoother.next(y) : y });
      }
      pushAll(line.shown.data, shown);
      if (line.raw) pushAll(line.raw.data, raw);
    }
    track.processed = episodes.length;
  }

  /** Group means and bands, recomputed from the members' episodes (only for groups that changed). */
  prepare(source: EpisodeSource): void {
    for (const group of this.groupTracks) {
      if (!group.dirty) continue;
      group.dirty = false;
      const members = group.curve.members.map((member) => source.episodes[member.runId] ?? []);
      for (const lines of group.lines) {
        const series = groupSeries(members, this.options.xAxis, lines.metricKey);
        const lowValues = this.options.band === 'sd' ? series.sdLow : series.min;
        const highValues = this.options.band === 'sd' ? series.sdHigh : series.max;
        const smoothing = lines.smoothed ? this.options.smoothing : 0;
        lines.mean.data = smoothedPoints(series.x, series.mean, smoothing);
        lines.low.data = smoothedPoints(series.x, lowValues, smoothing);
        lines.high.data = smoothedPoints(series.x, highValues, smoothing);
      }
    }
  }

  setGoal(goal: number | null): void {
    this.goal = goal;
    this.updateGoalLine();
  }

  private recomputeExtent(): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const track of this.tracks.values()) {
      const points = track.lines[0]?.shown.data;
      const first = points?.[0];
      const last = points?.[points.length - 1];
      if (first?.x != null) min = Math.min(min, first.x);
      if (last?.x != null) max = Math.max(max, last.x);
    }
    this.extent = Number.isFinite(min) && Number.isFinite(max) ? { min, max } : null;
    this.updateGoalLine();
  }

  private updateGoalLine(): void {
    if (!this.goalDataset) return;
    this.goalDataset.data = this.goal === null || !this.extent ? [] : [{ x: this.extent.min, y: this.goal }, { x: this.extent.max, y: this.goal }];
  }

  /** Points on the main lines (runs and group means): what the browser tests read to see curves drawn. */
  mainPointCount(): number {
    let count = 0;
    for (const dataset of this.datasets) if (roleOfDataset(dataset) === 'main') count += dataset.data.length;
    return count;
  }
}

/** Appends in one push per chunk (spread arguments stay far below the engines' argument limits). */
function pushAll(target: Point[], points: readonly Point[]): void {
  const CHUNK = 10_000;
  for (let start = 0; start < points.length; start += CHUNK) target.push(...points.slice(start, start + CHUNK));
}

function smoothedPoints(xs: readonly number[], ys: readonly number[], smoothing: number): Point[] {
  const target: Point[] = [];
  const smoother = smoothing > 0 ? new Smoother(smoothing) : null;
  for (let index = 0; index < xs.length; index += 1) {
    const x = xs[index];
    const y = ys[index];
    if (x === undefined || y === undefined || !Number.isFinite(y)) continue;
    target.push({ x, y: smoother ? smoother.next(y) : y });
  }
  return target;
}

/** chart.js keeps unknown dataset options; the role travels with the dataset for legend/tooltip filters. */
function roleOf(role: DatasetRole): { role: DatasetRole } {
  return { role };
}

export function roleOfDataset(dataset: object): DatasetRole | undefined {
  const role: unknown = (dataset as { role?: unknown }).role;
  return role === 'main' || role === 'raw' || role === 'member' || role === 'band' || role === 'goal' ? role : undefined;
}
