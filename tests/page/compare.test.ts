import { describe, expect, it } from 'vitest';
import { compareCsv, compareJson, compareRows, median, sortRows } from '../../src/page/compare';
import { groupSeries } from '../../src/page/groupSeries';
import { defaultAlgorithmConfig } from '../../src/rl/algorithmSettings';
import { episode, runRecord } from './fixtures';

const group = { id: 'g', name: 'SAC · actor_lr 3e-4 · 3 seeds', color: '#e69f00', memberIds: ['g1', 'g2', 'g3'], createdAt: 2 };
function fixture() {
  return [
    runRecord('a', { name: 'SAC · seed 500', swingUpStep: 5400, best100: { value: -180, episode: 90 }, final100: -190, updatesPerSecond: 300, elapsedSeconds: 20 }),
    runRecord('g1', { groupId: 'g', swingUpStep: 6000, best100: { value: -200, episode: 80 }, final100: -210, updatesPerSecond: 100, elapsedSeconds: 30 }, { actorLr: 3e-4, seed: 1 }),
    runRecord('g2', { groupId: 'g', swingUpStep: null, best100: { value: -400, episode: 80 }, final100: -500, updatesPerSecond: 200, elapsedSeconds: 40 }, { actorLr: 3e-4, seed: 2 }),
    runRecord('g3', { groupId: 'g', swingUpStep: 8000, best100: null, final100: null, updatesPerSecond: 300, elapsedSeconds: 35 }, { actorLr: 3e-4, seed: 3 }),
    runRecord('hidden', { visible: false }, { gamma: 0.9 }),
  ];
}

describe('compare rows', () => {
  it('one row per visible run and per group; group figures worked by hand; settings that differ between rows', () => {
    const rows = compareRows(fixture(), { g: group });
    expect(rows.map((row) => [row.kind, row.id])).toEqual([['run', 'a'], ['group', 'g']]);
    const [run, grouped] = rows;
    expect(run?.settings).toEqual(['actor_lr 1e-3']);
    expect(run?.algorithm).toBe('SAC');
    expect(run?.swingUpStep).toBe(5400);
    expect(run?.best100).toBe(-180);
    expect(grouped?.settings).toEqual(['actor_lr 3e-4']); // gamma of the hidden run does not count
    expect(grouped?.seeds).toEqual([1, 2, 3]);
    // 2 of 3 seeds swung up: 6000 and 8000 → median 7000, range 6000…8000.
    expect(grouped?.swingUpGroup).toEqual({ median: 7000, min: 6000, max: 8000, reached: 2, total: 3 });
    expect(grouped?.best100).toBe(-300); // (−200 − 400) / 2: g3 has none yet
    expect(grouped?.final100).toBe(-355); // (−210 − 500) / 2
    expect(grouped?.updatesPerSecond).toBe(200);
    expect(grouped?.wallSeconds).toBe(40);
  });

  it('across algorithms: an Algorithm per row, and only the settings every shown algorithm has are compared', () => {
    const ppo = runRecord('p', { name: 'PPO · gamma 0.95 · seed 500', algorithm: 'ppo', config: { ...defaultAlgorithmConfig('ppo'), gamma: 0.95 } });
    const td3 = runRecord('t', { name: 'TD3 · tau 0.01 · seed 1', algorithm: 'td3', config: { ...defaultAlgorithmConfig('td3'), tau: 0.01, seed: 1 } });
    const rows = compareRows([runRecord('a', { name: 'SAC · seed 500' }), ppo, td3], {});
    expect(rows.map((row) => row.algorithm)).toEqual(['SAC', 'PPO', 'TD3']);
    // SAC's γ is 0.99, PPO's 0.95 here, TD3's zoo 0.98; tau is not PPO's, so it is not compared; batch
    // sizes differ (64, 64, 256), and PPO's default step limit (1e5, ALGORITHMS.md) is not the others' 0;
    // hidden size and goal are equal everywhere.
    expect(rows.map((row) => row.settings)).toEqual([
      ['gamma 0.99', 'batch_size 64', 'max_steps 0'],
      ['gamma 0.95', 'batch_size 64', 'max_steps 1e5'],
      ['gamma 0.98', 'batch_size 256', 'max_steps 0'],
    ]);
    expect(rows.map((row) => row.seeds)).toEqual([[500], [500], [1]]);
    expect(sortRows(rows, 'algorithm', 'ascending').map((row) => row.id)).toEqual(['p', 'a', 't']);
    // Two runs of one algorithm compare all its keys.
    const pair = compareRows([ppo, runRecord('p2', { algorithm: 'ppo', config: { ...defaultAlgorithmConfig('ppo'), nSteps: 512 } })], {});
    expect(pair.map((row) => row.settings)).toEqual([['n_steps 1024', 'gamma 0.95'], ['n_steps 512', 'gamma 0.9']]);
  });

  it('a hidden member leaves the group row; a group with no visible member has none', () => {
    const runs = fixture().map((run) => (run.id === 'g2' ? { ...run, visible: false } : run));
    const grouped = compareRows(runs, { g: group })[1];
    expect(grouped?.swingUpGroup?.total).toBe(2);
    const none = fixture().map((run) => (run.groupId === 'g' ? { ...run, visible: false } : run));
    expect(compareRows(none, { g: group }).map((row) => row.id)).toEqual(['a']);
  });

  it('sorts by a column both ways with missing values last', () => {
    const runs = [
      runRecord('x', { name: 'x', best100: { value: -300, episode: 1 } }),
      runRecord('y', { name: 'y', best100: null }),
      runRecord('z', { name: 'z', best100: { value: -100, episode: 1 } }),
    ];
    const rows = compareRows(runs, {});
    expect(sortRows(rows, 'best100', 'ascending').map((row) => row.id)).toEqual(['x', 'z', 'y']);
    expect(sortRows(rows, 'best100', 'descending').map((row) => row.id)).toEqual(['z', 'x', 'y']);
    expect(sortRows(rows, 'name', 'descending').map((row) => row.id)).toEqual(['z', 'y', 'x']);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('compare exports', () => {
  it('CSV: run name (quoted when needed), id and algorithm first, one line per episode of every visible run', () => {
    const runs = [runRecord('a', { name: 'SAC, "fast"' }), runRecord('b', { visible: false })];
    const csv = compareCsv(runs, { a: [episode(1), episode(2)], b: [episode(1)] });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('run,runId,algorithm,episode,step,score,avg100,avg10,alpha,criticLoss,actorLoss,alphaLoss,entropy,qMean,updates,updatesPerSecond,wallSeconds');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('"SAC, ""fast""",a,sac,1,200,-999,-999,-999,0.5,1,2,0.1,0.3,-10,200,100,1');
  });
  it('CSV across algorithms: the union of their columns; a run without a column gets NaN', () => {
    const ppo = runRecord('p', { name: 'PPO · seed 500', algorithm: 'ppo', config: defaultAlgorithmConfig('ppo') });
    const csv = compareCsv([runRecord('a', { name: 'SAC · seed 500' }), ppo], { a: [episode(1)], p: [{ ...episode(1), policyLoss: 0.25 }] });
    const [header, sacLine, ppoLine] = csv.trim().split('\n');
    const columns = header?.split(',') ?? [];
    expect(columns.slice(0, 3)).toEqual(['run', 'runId', 'algorithm']);
    expect(columns).toEqual(expect.arrayContaining(['alpha', 'policyLoss', 'valueLoss', 'approxKl', 'clipFraction', 'explainedVariance']));
    expect(new Set(columns).size).toBe(columns.length);
    const cell = (line: string | undefined, column: string) => line?.split(',')[columns.indexOf(column)];
    expect(cell(sacLine, 'policyLoss')).toBe('NaN');
    expect(cell(ppoLine, 'policyLoss')).toBe('0.25');
    expect(cell(ppoLine, 'algorithm')).toBe('ppo');
  });
  it('JSON: records, episodes and the groups of visible runs', () => {
    const parsed: unknown = JSON.parse(compareJson(fixture(), { g: group }, { a: [episode(1)] }));
    expect(parsed).toMatchObject({ format: 'sac-playground-compare', version: 1, groups: [{ id: 'g' }] });
    const runs = (parsed as { runs: Array<{ record: { id: string }; episodes: unknown[] }> }).runs;
    expect(runs.map((run) => run.record.id)).toEqual(['a', 'g1', 'g2', 'g3']);
    expect(runs[0]?.episodes).toHaveLength(1);
  });
});

describe('group series', () => {
  it('by episode: mean, min, max and mean ± sample s.d. while every member has data', () => {
    const members = [
      [episode(1, { score: 1 }), episode(2, { score: 2 }), episode(3, { score: 9 })],
      [episode(1, { score: 3 }), episode(2, { score: 4 })],
      [episode(1, { score: 5 }), episode(2, { score: 9 })],
    ];
    const series = groupSeries(members, 'episode', 'score');
    expect(series.x).toEqual([1, 2]);
    expect(series.mean).toEqual([3, 5]);
    expect(series.min).toEqual([1, 2]);
    expect(series.max).toEqual([5, 9]);
    // Episode 1: values 1, 3, 5 → s.d. = sqrt((4 + 0 + 4) / 2) = 2. Episode 2: 2, 4, 9 → mean 5, s.d. = sqrt((9 + 1 + 16) / 2) = sqrt(13).
    expect(series.sdLow[0]).toBeCloseTo(1, 12);
    expect(series.sdHigh[0]).toBeCloseTo(5, 12);
    expect(series.sdHigh[1]).toBeCloseTo(5 + Math.sqrt(13), 12);
  });

  it('by wall time: members interpolated onto the union grid, only where all have data', () => {
    const first = [episode(1, { wallSeconds: 0, score: 0 }), episode(2, { wallSeconds: 2, score: 20 }), episode(3, { wallSeconds: 4, score: 40 })];
    const second = [episode(1, { wallSeconds: 1, score: 100 }), episode(2, { wallSeconds: 3, score: 80 }), episode(3, { wallSeconds: 5, score: 60 })];
    const series = groupSeries([first, second], 'wall', 'score');
    // Overlap 1…4 s. Grid 1, 2, 3, 4. first at 1 = 10, 3 = 30; second at 2 = 90, 4 = 70.
    expect(series.x).toEqual([1, 2, 3, 4]);
    expect(series.min).toEqual([10, 20, 30, 40]);
    expect(series.max).toEqual([100, 90, 80, 70]);
    expect(series.mean).toEqual([55, 55, 55, 55]);
  });

  it('a single member is its own curve with a zero-width band; no members, no points', () => {
    const series = groupSeries([[episode(1, { score: -5 })]], 'step', 'score');
    expect(series).toEqual({ x: [200], mean: [-5], min: [-5], max: [-5], sdLow: [-5], sdHigh: [-5] });
    expect(groupSeries([], 'episode', 'score').x).toEqual([]);
  });
});
