import { describe, expect, it } from 'vitest';
import { defaultAlgorithmConfig } from '../../src/rl/algorithmSettings';
import { defaultConfig } from '../../src/rl/sac/config';
import { compactNumber, describeGroup, describeRun } from '../../src/page/describeRun';
import { RUN_PALETTE, hexToHsl, memberColors, pickColor } from '../../src/page/palette';

describe('run names', () => {
  const defaults = defaultConfig();
  it('names the seed, and every learning setting that differs from the defaults in lecture names', () => {
    expect(describeRun('sac', defaults)).toBe('SAC · seed 500');
    expect(describeRun('sac', { ...defaults, actorLr: 3e-4, seed: 2 })).toBe('SAC · actor_lr 3e-4 · seed 2');
    expect(describeRun('sac', { ...defaults, hiddenSize: 128, gamma: 0.95, stopAtGoal: false })).toBe(
      'SAC · gamma 0.95 · hidden_size 128 · stop_at_goal off · seed 500',
    );
    // The log interval changes no learning: not named.
    expect(describeRun('sac', { ...defaults, logInterval: 5 })).toBe('SAC · seed 500');
  });
  it('names other algorithms and what differs from their own defaults (zoo values, not SAC\'s)', () => {
    const ppo = defaultAlgorithmConfig('ppo');
    expect(describeRun('ppo', { ...ppo, seed: 2 })).toBe('PPO · seed 2');
    const td3 = defaultAlgorithmConfig('td3');
    expect(describeRun('td3', { ...td3, tau: 0.01, seed: 1 })).toBe('TD3 · tau 0.01 · seed 1');
    // DDPG's default batch is 256 (SAC's 64): no difference from DDPG's own default, so not named.
    expect(describeRun('ddpg', { ...defaultAlgorithmConfig('ddpg'), seed: 3 })).toBe('DDPG · seed 3');
    expect(describeGroup('trpo', { ...defaultAlgorithmConfig('trpo'), gamma: 0.95 }, 3)).toBe('TRPO · gamma 0.95 · 3 seeds');
  });
  it('names groups by their seed count', () => {
    expect(describeGroup('sac', { ...defaults, actorLr: 3e-4 }, 3)).toBe('SAC · actor_lr 3e-4 · 3 seeds');
  });
  it('writes numbers compactly', () => {
    expect(compactNumber(0.0003)).toBe('3e-4');
    expect(compactNumber(0.00025)).toBe('2.5e-4');
    expect(compactNumber(0.005)).toBe('5e-3');
    expect(compactNumber(0.99)).toBe('0.99');
    expect(compactNumber(-300)).toBe('-300');
    expect(compactNumber(100000)).toBe('1e5');
    expect(compactNumber(0.123456)).toBe('0.123');
  });
});

describe('colours', () => {
  it('picks an unused palette colour, then the least used', () => {
    expect(pickColor([])).toBe(RUN_PALETTE[0]);
    expect(pickColor([RUN_PALETTE[0] ?? ''])).toBe(RUN_PALETTE[1]);
    const all = [...RUN_PALETTE, ...RUN_PALETTE.slice(0, 3)];
    expect(pickColor(all)).toBe(RUN_PALETTE[3]);
  });
  it('group members share the hue of the group', () => {
    // #0072b2: r 0, g 114, b 178 → hue = 60 × ((0 − 114)/178 + 4) = 201.57°, saturation 1, lightness 178/510.
    const hsl = hexToHsl('#0072b2');
    expect(hsl.hue).toBeCloseTo(60 * (4 - 114 / 178), 10);
    expect(hsl.saturation).toBeCloseTo(1, 10);
    expect(hsl.lightness).toBeCloseTo(178 / 510, 10);
    expect(memberColors('#0072b2', 3)).toEqual(['hsl(202, 100%, 30%)', 'hsl(202, 100%, 48%)', 'hsl(202, 100%, 65%)']);
  });
});

describe('new runs', () => {
  it('one run, or a group on consecutive seeds in the group hue; refused past the largest seed', async () => {
    const { newRunsFor } = await import('../../src/page/newRuns');
    let counter = 0;
    const newId = () => `n${(counter += 1)}`;
    const single = newRunsFor('sac', defaultConfig(), 1, [], newId, 100);
    if ('problem' in single) throw new Error(single.problem);
    expect(single.group).toBeNull();
    expect(single.runs.map((run) => [run.name, run.status, run.color])).toEqual([['SAC · seed 500', 'queued', RUN_PALETTE[0]]]);
    const grouped = newRunsFor('sac', { ...defaultConfig(), seed: 7 }, 3, [RUN_PALETTE[0] ?? ''], newId, 100);
    if ('problem' in grouped) throw new Error(grouped.problem);
    expect(grouped.runs.map((run) => run.config.seed)).toEqual([7, 8, 9]);
    expect(grouped.group?.color).toBe(RUN_PALETTE[1]);
    expect(grouped.runs.map((run) => run.color)).toEqual(memberColors(RUN_PALETTE[1] ?? '', 3));
    expect(grouped.runs.every((run) => run.groupId === grouped.group?.id)).toBe(true);
    expect(grouped.group?.memberIds).toEqual(grouped.runs.map((run) => run.id));
    const tooFar = newRunsFor('sac', { ...defaultConfig(), seed: 4294967295 }, 2, [], newId, 100);
    expect('problem' in tooFar && tooFar.problem).toContain('largest seed');
    const ppo = newRunsFor('ppo', { ...defaultAlgorithmConfig('ppo'), seed: 2 }, 1, [], newId, 100);
    if ('problem' in ppo) throw new Error(ppo.problem);
    expect(ppo.runs.map((run) => [run.name, run.algorithm])).toEqual([['PPO · seed 2', 'ppo']]);
    // A SAC config is not a PPO one: refused, naming what is wrong.
    const mixed = newRunsFor('ppo', defaultConfig(), 1, [], newId, 100);
    expect('problem' in mixed && mixed.problem).toMatch(/Unknown hyperparameter "tau"/);
  });
});
