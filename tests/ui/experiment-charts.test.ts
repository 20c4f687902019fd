/**
 * The experiment charts' data (src/ui/charts): which charts the descriptors give, what a set of runs and
 * groups draws, and that incremental appends give the same points as drawing everything at once, with
 * group means and bands worked out here by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Point } from 'chart.js';
import { ALGORITHMS, COMMON_METRICS } from '../../src/rl/algorithm';
import { defaultConfig } from '../../src/rl/sac/config';
import type { EpisodeMetrics } from '../../src/rl/types';
import type { GroupRecord, RunRecord } from '../../src/store/runTypes';
import { chartsFor } from '../../src/ui/charts/chartLayout';
import { ChartModel, roleOfDataset } from '../../src/ui/charts/chartModel';
import { curveSetOf } from '../../src/ui/charts/curveSet';
import { withAlpha } from '../../src/ui/charts/colors';
import { runListRows } from '../../src/ui/runList/runListRows';
import { pauseToggle } from '../../src/ui/runList/runText';

function run(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id, name: `run ${id}`, nameEdited: false, algorithm: 'sac', config: defaultConfig(), groupId: null, color: '#0072b2', status: 'training',
    stopReason: null, error: null, createdAt: 0, totalSteps: 0, episodesDone: 0, updates: 0, updatesPerSecond: 0, elapsedSeconds: 0,
    swingUpStep: null, best100: null, final100: null, goalReachedAtEpisode: null, visible: true, backend: null, checkpointStep: null, ...patch,
  };
}

function episode(index: number, score: number): EpisodeMetrics {
  return {
    episode: index, step: index * 200, score, avg100: score / 2, avg10: score, alpha: 1 / index, criticLoss: index, actorLoss: -index,
    alphaLoss: 0.1, entropy: 0.5, qMean: -index, updates: 200, updatesPerSecond: 100, wallSeconds: index * 1.5,
  };
}

function pointsOf(model: ChartModel, label: string): Point[] {
  const dataset = model.datasets.find((candidate) => candidate.label === label);
  if (!dataset) throw new Error(`no dataset ${label}: ${model.datasets.map((d) => d.label).join(' | ')}`);
  return dataset.data;
}

describe('chart layout from the metric descriptors', () => {
  it('puts every SAC metric on the chart its descriptor names, the score chart first with the goal', () => {
    const specs = chartsFor(['sac']);
    expect(specs.map((spec) => spec.title)).toEqual(['Episode score', 'Temperature α', 'Critic and actor loss', 'α loss and entropy', 'Q value']);
    expect(specs[0]?.metrics.map((metric) => metric.key)).toEqual(['score', 'avg100']);
    expect(specs.map((spec) => spec.showsGoal)).toEqual([true, false, false, false, false]);
    const drawn = specs.flatMap((spec) => spec.metrics.map((metric) => metric.key)).sort();
    const declared = [...COMMON_METRICS, ...ALGORITHMS.sac.metrics].map((metric) => metric.key).filter((key) => key !== 'avg10').sort();
    expect(drawn).toEqual(declared);
  });
});

describe('curve set', () => {
  it('draws visible runs alone and a group once, with its visible members, in list order', () => {
    const group: GroupRecord = { id: 'g', name: 'group g', color: '#e69f00', memberIds: ['b', 'c', 'd'], createdAt: 0 };
    const runs = { a: run('a'), b: run('b', { groupId: 'g' }), c: run('c', { groupId: 'g' }), d: run('d', { groupId: 'g', visible: false }), e: run('e', { visible: false }) };
    const set = curveSetOf({ runs, runOrder: ['a', 'b', 'c', 'd', 'e'], groups: { g: group } });
    expect(set.curves.map((curve) => (curve.kind === 'run' ? curve.runId : `${curve.groupId}:${curve.members.map((m) => m.runId).join(',')}`))).toEqual(['a', 'g:b,c']);
    expect(set.algorithms).toEqual(['sac']);
  });

  it('runs list rows: group header where its first member stands, members under it', () => {
    const runs = { a: run('a'), b: run('b', { groupId: 'g' }), c: run('c'), d: run('d', { groupId: 'g' }) };
    const rows = runListRows(['a', 'b', 'c', 'd'], runs, { g: { memberIds: ['d', 'b'] } });
    expect(rows).toEqual([
      { kind: 'run', runId: 'a', inGroup: false },
      { kind: 'group', groupId: 'g' },
      { kind: 'run', runId: 'b', inGroup: true },
      { kind: 'run', runId: 'd', inGroup: true },
      { kind: 'run', runId: 'c', inGroup: false },
    ]);
  });
});

describe('chart model', () => {
  const scoreSpec = chartsFor(['sac'])[0];
  if (!scoreSpec) throw new Error('no score chart');

  it('appending in batches gives the same points as appending at once; smoothing is the debiased EMA', () => {
    const scores = [-1200, -900, -1000, -400, -300, -250];
    const episodes = scores.map((score, index) => episode(index + 1, score));
    const set = curveSetOf({ runs: { a: run('a') }, runOrder: ['a'], groups: {} });
    const weight = 0.5;
    const batched = new ChartModel({ spec: scoreSpec, curves: set, xAxis: 'episode', band: 'minmax', smoothing: weight });
    batched.sync({ episodes: { a: episodes.slice(0, 2) }, metricsEpoch: { a: 0 } });
    batched.sync({ episodes: { a: episodes.slice(0, 5) }, metricsEpoch: { a: 0 } });
    batched.sync({ episodes: { a: episodes }, metricsEpoch: { a: 0 } });
    const whole = new ChartModel({ spec: scoreSpec, curves: set, xAxis: 'episode', band: 'minmax', smoothing: weight });
    whole.sync({ episodes: { a: episodes }, metricsEpoch: { a: 0 } });
    expect(pointsOf(batched, 'run a · Episode score')).toEqual(pointsOf(whole, 'run a · Episode score'));
    // TensorBoard's debiased EMA by hand: s_n = w s_{n-1} + (1 − w) v_n, shown as s_n / (1 − w^n).
    let ema = 0;
    const expected = scores.map((score, index) => {
      ema = weight * ema + (1 - weight) * score;
      return { x: index + 1, y: ema / (1 - weight ** (index + 1)) };
    });
    const shown = pointsOf(batched, 'run a · Episode score');
    expect(shown.map((p) => p.x)).toEqual(expected.map((p) => p.x));
    shown.forEach((point, index) => expect(point.y).toBeCloseTo(expected[index]?.y ?? Number.NaN, 10));
    // Raw values faint underneath; the 100-episode mean (not smoothed by its descriptor) as is.
    expect(pointsOf(batched, 'run a · Episode score (raw)').map((p) => p.y)).toEqual(scores);
    expect(pointsOf(batched, 'run a · 100-episode mean').map((p) => p.y)).toEqual(scores.map((score) => score / 2));
    expect(batched.mainPointCount()).toBe(12);
  });

  it('a run whose episodes were replaced (metricsEpoch bump) is drawn again from scratch', () => {
    const set = curveSetOf({ runs: { a: run('a') }, runOrder: ['a'], groups: {} });
    const model = new ChartModel({ spec: scoreSpec, curves: set, xAxis: 'step', band: 'minmax', smoothing: 0 });
    model.sync({ episodes: { a: [episode(1, -1000), episode(2, -900), episode(3, -800)] }, metricsEpoch: { a: 0 } });
    expect(model.sync({ episodes: { a: [episode(1, -1000), episode(2, -700)] }, metricsEpoch: { a: 1 } })).toBe(true);
    expect(pointsOf(model, 'run a · Episode score')).toEqual([{ x: 200, y: -1000 }, { x: 400, y: -700 }]);
  });

  it('a group is its mean with a min–max or ±1 s.d. band, worked by hand; members thin; goal line spans the data', () => {
    const group: GroupRecord = { id: 'g', name: 'G', color: '#e69f00', memberIds: ['b', 'c', 'd'], createdAt: 0 };
    const runs = { b: run('b', { groupId: 'g' }), c: run('c', { groupId: 'g' }), d: run('d', { groupId: 'g' }) };
    const set = curveSetOf({ runs, runOrder: ['b', 'c', 'd'], groups: { g: group } });
    // Episode-aligned; d has one episode more than the others: the grid stops where every member has data.
    const source = {
      episodes: {
        b: [episode(1, -1000), episode(2, -600)],
        c: [episode(1, -800), episode(2, -500)],
        d: [episode(1, -900), episode(2, -100), episode(3, -50)],
      },
      metricsEpoch: {},
    };
    for (const band of ['minmax', 'sd'] as const) {
      const model = new ChartModel({ spec: scoreSpec, curves: set, xAxis: 'episode', band, smoothing: 0 });
      model.setGoal(-300);
      model.sync(source);
      model.prepare(source);
      expect(pointsOf(model, 'G · Episode score (mean)')).toEqual([{ x: 1, y: -900 }, { x: 2, y: -400 }]);
      const bandName = band === 'sd' ? '±1 s.d.' : 'min–max';
      const low = pointsOf(model, `G · Episode score (${bandName}) low`).map((p) => p.y);
      const high = pointsOf(model, `G · Episode score (${bandName}) high`).map((p) => p.y);
      if (band === 'minmax') {
        expect(low).toEqual([-1000, -600]);
        expect(high).toEqual([-800, -100]);
      } else {
        // Sample s.d. (n − 1): episode 1 {-1000,-800,-900}: 100; episode 2 {-600,-500,-100}: sqrt(70000).
        const sd2 = Math.sqrt(((-600 + 400) ** 2 + (-500 + 400) ** 2 + (-100 + 400) ** 2) / 2);
        expect(low[0]).toBeCloseTo(-1000, 9);
        expect(high[0]).toBeCloseTo(-800, 9);
        expect(low[1]).toBeCloseTo(-400 - sd2, 9);
        expect(high[1]).toBeCloseTo(-400 + sd2, 9);
      }
      expect(pointsOf(model, 'run d · Episode score').length).toBe(3);
      expect(roleOfDataset(model.datasets.find((d) => d.label === 'run d · Episode score') ?? {})).toBe('member');
      expect(pointsOf(model, 'Goal')).toEqual([{ x: 1, y: -300 }, { x: 3, y: -300 }]);
    }
  });
});

describe('run list helpers', () => {
  it('pause toggle by state, translucent colours', () => {
    expect(pauseToggle('training')).toEqual({ label: 'Pause', enabled: true });
    expect(pauseToggle('paused')).toEqual({ label: 'Resume', enabled: true });
    expect(pauseToggle('done').enabled).toBe(false);
    expect(withAlpha('#0072b2', 0.5)).toBe('rgba(0, 114, 178, 0.5)');
    expect(withAlpha('hsl(210, 80%, 45%)', 0.2)).toBe('hsla(210, 80%, 45%, 0.2)');
  });
});

describe('charts shared by several algorithms', () => {
  it('draw each run or group only with the metrics its own algorithm reports', () => {
    const runs = {
      s1: run('s1', { algorithm: 'sac', groupId: 'g' }),
      s2: run('s2', { algorithm: 'sac', groupId: 'g' }),
      p: run('p', { algorithm: 'ppo', name: 'ppo run' }),
      t: run('t', { algorithm: 'trpo', name: 'trpo run' }),
    };
    const groups: Record<string, GroupRecord> = { g: { id: 'g', name: 'sac group', color: '#009e73', memberIds: ['s1', 's2'], createdAt: 0 } };
    const set = curveSetOf({ runs, runOrder: ['s1', 's2', 'p', 't'], groups });
    const specs = chartsFor(set.algorithms);
    const policyChange = specs.find((spec) => spec.title === 'Policy change');
    const score = specs.find((spec) => spec.title === 'Episode score');
    if (!policyChange || !score) throw new Error(`charts: ${specs.map((spec) => spec.title).join(', ')}`);
    const labels = (spec: typeof score) => new ChartModel({ spec, curves: set, xAxis: 'step', band: 'minmax', smoothing: 0 }).datasets.map((d) => String(d.label));

    // PPO's metrics for the PPO run, TRPO's for the TRPO run, nothing for SAC (which has no policy-change metric).
    const changeLabels = labels(policyChange);
    const ppoKeys = ALGORITHMS.ppo.metrics.filter((metric) => metric.chart === 'Policy change').map((metric) => metric.label);
    const trpoKeys = ALGORITHMS.trpo.metrics.filter((metric) => metric.chart === 'Policy change').map((metric) => metric.label);
    expect(changeLabels.filter((label) => label.startsWith('ppo run · ')).sort()).toEqual(ppoKeys.map((key) => `ppo run · ${key}`).sort());
    expect(changeLabels.filter((label) => label.startsWith('trpo run · ')).sort()).toEqual(trpoKeys.map((key) => `trpo run · ${key}`).sort());
    expect(changeLabels.filter((label) => label.includes('sac') || label.startsWith('run s'))).toEqual([]);
    // The score chart is common: every run and the group have it.
    const scoreLabels = labels(score);
    for (const name of ['sac group · Episode score (mean)', 'ppo run · Episode score', 'trpo run · Episode score']) expect(scoreLabels).toContain(name);
  });
});

