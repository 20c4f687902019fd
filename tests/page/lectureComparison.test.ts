/**
 * The lecture comparison's plan: five groups × seeds 1–3, every config valid for its algorithm's table,
 * per-family budgets (or one override for all), stop-at-goal off, and "same settings as SAC" copying
 * γ, batch, learning rates and warm-up onto each algorithm's own keys. Expected values are written out
 * here from the tables' documented defaults (ALGORITHMS.md), not read back from the module.
 */
import { describe, expect, it } from 'vitest';
import { ALGORITHM_IDS } from '../../src/rl/algorithm';
import { validateAlgorithmConfig } from '../../src/rl/algorithmSettings';
import { defaultConfig, type SacConfig } from '../../src/rl/sac/config';
import {
  lectureComparisonPlan,
  parseStepsPerRun,
  sharedSettingsSummary,
  type LectureComparisonEntry,
  type LectureComparisonPlan,
} from '../../src/page/lectureComparison';

function entry(plan: LectureComparisonPlan, algorithm: string): LectureComparisonEntry {
  const found = plan.entries.find((candidate) => candidate.algorithm === algorithm);
  if (!found) throw new Error(`no ${algorithm} entry`);
  return found;
}

/** A SAC config unlike every other algorithm's defaults, so a copied value is visible. */
const customSac: SacConfig = { ...defaultConfig(), gamma: 0.95, batchSize: 100, actorLr: 3e-4, criticLr: 7e-4, seed: 42, maxSteps: 5, stopAtGoal: true };

describe('lectureComparisonPlan: the groups', () => {
  it('has the five algorithms, SAC first, each with seeds 1, 2, 3 and a group name', () => {
    const plan = lectureComparisonPlan();
    expect(plan.entries.map((e) => e.algorithm)).toEqual(['sac', 'ddpg', 'td3', 'ppo', 'trpo']);
    for (const e of plan.entries) {
      expect(e.seeds).toEqual([1, 2, 3]);
      expect(e.runs.map((run) => run.seed)).toEqual([1, 2, 3]);
      expect(e.runs.map((run) => run.config.seed)).toEqual([1, 2, 3]);
      expect(e.config.seed).toBe(1);
    }
    expect(entry(plan, 'ppo').groupName).toBe('PPO (lecture comparison)');
    expect(entry(plan, 'sac').groupName).toBe('SAC (lecture comparison)');
    expect(entry(plan, 'trpo').groupName).toBe('TRPO (lecture comparison)');
  });

  it('every run config is complete and valid for its own table (both toggle states, several budgets)', () => {
    for (const sameSettingsAsSac of [false, true]) {
      for (const budget of [undefined, 1, 3000, 250_000]) {
        const plan = lectureComparisonPlan({ sameSettingsAsSac, sacConfig: customSac, budget });
        for (const e of plan.entries) {
          for (const run of [{ config: e.config }, ...e.runs]) {
            expect(validateAlgorithmConfig(e.algorithm, run.config), `${e.algorithm} ${String(budget)}`).toEqual([]);
          }
        }
      }
    }
  });

  it('every config has the keys of its own algorithm (PPO has learningRate and nEnvs; DDPG has learningStarts)', () => {
    const plan = lectureComparisonPlan();
    expect(entry(plan, 'ppo').config).toHaveProperty('nEnvs', 4);
    expect(entry(plan, 'trpo').config).toHaveProperty('nEnvs', 2);
    expect(entry(plan, 'ddpg').config).toHaveProperty('learningStarts', 10_000);
    expect(entry(plan, 'td3').config).toHaveProperty('policyDelay', 2);
    expect(entry(plan, 'sac').config).toHaveProperty('alphaLr', 1e-4);
  });

  it('seeds can be a count or a list', () => {
    expect(entry(lectureComparisonPlan({ seeds: 5 }), 'td3').seeds).toEqual([1, 2, 3, 4, 5]);
    expect(entry(lectureComparisonPlan({ seeds: [7, 9] }), 'td3').runs.map((run) => run.config.seed)).toEqual([7, 9]);
    expect(() => lectureComparisonPlan({ seeds: 0 })).toThrow(RangeError);
  });
});

describe('lectureComparisonPlan: budget', () => {
  it('defaults: 20,000 env steps off-policy, 100,000 on-policy; stop-at-goal off; the episode limit never binds first', () => {
    const plan = lectureComparisonPlan();
    const expected: Record<string, number> = { sac: 20_000, ddpg: 20_000, td3: 20_000, ppo: 100_000, trpo: 100_000 };
    for (const e of plan.entries) {
      expect(e.budget).toBe(expected[e.algorithm]);
      for (const run of e.runs) {
        expect(run.config.maxSteps).toBe(expected[e.algorithm]);
        expect(run.config.stopAtGoal).toBe(false);
        // 200-step episodes: the step budget ends the run before the episode limit does.
        expect((run.config.maxEpisodes as number) * 200).toBeGreaterThan(expected[e.algorithm] as number);
      }
    }
    expect(plan.budgetOverride).toBeNull();
  });

  it('an override applies to every algorithm', () => {
    const plan = lectureComparisonPlan({ budget: 2_000 });
    for (const e of plan.entries) {
      expect(e.budget).toBe(2_000);
      for (const run of e.runs) expect(run.config.maxSteps).toBe(2_000);
    }
    expect(plan.budgetOverride).toBe(2_000);
  });

  it('a large override raises the episode limit so the step budget still binds (1,000,000 steps = 5,000 episodes)', () => {
    const plan = lectureComparisonPlan({ budget: 1_000_000 });
    for (const e of plan.entries) expect(e.config.maxEpisodes as number).toBeGreaterThan(5_000);
  });

  it('refuses a budget that is not a whole positive number', () => {
    expect(() => lectureComparisonPlan({ budget: 0 })).toThrow(RangeError);
    expect(() => lectureComparisonPlan({ budget: 1.5 })).toThrow(RangeError);
    expect(() => lectureComparisonPlan({ budget: -10 })).toThrow(RangeError);
  });

  it('parseStepsPerRun: blank is the defaults, digits (with separators) a budget, anything else a problem', () => {
    expect(parseStepsPerRun('')).toEqual({ value: null });
    expect(parseStepsPerRun('   ')).toEqual({ value: null });
    expect(parseStepsPerRun('5000')).toEqual({ value: 5000 });
    expect(parseStepsPerRun('20,000')).toEqual({ value: 20000 });
    for (const bad of ['0', '-5', '1.5', 'abc', '1e99']) expect(parseStepsPerRun(bad)).toHaveProperty('problem');
  });
});

describe('lectureComparisonPlan: same settings as SAC', () => {
  it('off: every algorithm but SAC keeps its zoo defaults; SAC uses the SAC config given', () => {
    const plan = lectureComparisonPlan({ sacConfig: customSac });
    const ddpg = entry(plan, 'ddpg').config;
    expect([ddpg.gamma, ddpg.batchSize, ddpg.actorLr, ddpg.criticLr, ddpg.learningStarts]).toEqual([0.98, 256, 1e-3, 1e-3, 10_000]);
    const ppo = entry(plan, 'ppo').config;
    expect([ppo.gamma, ppo.batchSize, ppo.learningRate]).toEqual([0.9, 64, 1e-3]);
    const trpo = entry(plan, 'trpo').config;
    expect([trpo.gamma, trpo.batchSize, trpo.learningRate]).toEqual([0.9, 128, 1e-3]);
    const sac = entry(plan, 'sac').config;
    expect([sac.gamma, sac.batchSize, sac.actorLr, sac.criticLr]).toEqual([0.95, 100, 3e-4, 7e-4]);
    // The run-control keys are the comparison's, not the SAC config's.
    expect([sac.seed, sac.maxSteps, sac.stopAtGoal]).toEqual([1, 20_000, false]);
    for (const e of plan.entries) {
      expect(e.sharedSettings).toEqual([]);
      expect(e.notShared).toEqual([]);
    }
    expect(sharedSettingsSummary(plan)).toEqual([]);
  });

  it('on: DDPG and TD3 get SAC γ, batch, actor and critic learning rates, and learningStarts = SAC batch size', () => {
    const plan = lectureComparisonPlan({ sameSettingsAsSac: true, sacConfig: customSac });
    for (const algorithm of ['ddpg', 'td3']) {
      const e = entry(plan, algorithm);
      expect(e.config.gamma).toBe(0.95);
      expect(e.config.batchSize).toBe(100);
      expect(e.config.actorLr).toBe(3e-4);
      expect(e.config.criticLr).toBe(7e-4);
      expect(e.config.learningStarts).toBe(100);
      // Not in the shared set: stays the zoo's.
      expect(e.config.bufferSize).toBe(200_000);
      expect(e.config.actionNoise).toBe(0.1);
      expect(e.sharedSettings.map((s) => s.key)).toEqual(['gamma', 'batchSize', 'actorLr', 'criticLr', 'learningStarts']);
      expect(e.notShared).toEqual([]);
      expect(e.groupName).toBe(`${algorithm.toUpperCase()} (lecture comparison, SAC's settings)`);
    }
  });

  it("on: PPO's one learning rate takes SAC actor_lr; TRPO's value-net rate takes SAC critic_lr; neither has a warm-up", () => {
    const plan = lectureComparisonPlan({ sameSettingsAsSac: true, sacConfig: customSac });
    const ppo = entry(plan, 'ppo');
    expect([ppo.config.gamma, ppo.config.batchSize, ppo.config.learningRate]).toEqual([0.95, 100, 3e-4]);
    expect(ppo.config.nEnvs).toBe(4);
    expect(ppo.notShared.map((s) => s.setting)).toEqual(['criticLr', 'warmUp']);
    const trpo = entry(plan, 'trpo');
    expect([trpo.config.gamma, trpo.config.batchSize, trpo.config.learningRate]).toEqual([0.95, 100, 7e-4]);
    expect(trpo.config.targetKl).toBe(0.01);
    expect(trpo.notShared.map((s) => s.setting)).toEqual(['actorLr', 'warmUp']);
    expect(trpo.sharedSettings.find((s) => s.key === 'learningRate')?.sacKey).toBe('criticLr');
    // SAC is the source: nothing shared onto it, its own config unchanged.
    expect(entry(plan, 'sac').sharedSettings).toEqual([]);
    expect(entry(plan, 'sac').config.actorLr).toBe(3e-4);
    const summary = sharedSettingsSummary(plan);
    expect(summary).toHaveLength(4);
    expect(summary.find((line) => line.startsWith('PPO:'))).toMatch(/learning_rate ← SAC actor_lr 0\.0003/);
    expect(summary.find((line) => line.startsWith('PPO:'))).toMatch(/not shared: criticLr/);
  });

  it("on: a SAC value outside another table's range is not copied, and says so (SAC batch 1 < PPO's minimum 2)", () => {
    const plan = lectureComparisonPlan({ sameSettingsAsSac: true, sacConfig: { ...customSac, batchSize: 1 } });
    const ppo = entry(plan, 'ppo');
    expect(ppo.config.batchSize).toBe(64);
    expect(ppo.notShared.find((s) => s.setting === 'batchSize')?.reason).toMatch(/outside PPO's range/);
    expect(entry(plan, 'ddpg').config.batchSize).toBe(1);
    expect(entry(plan, 'ddpg').config.learningStarts).toBe(1);
    for (const e of plan.entries) for (const run of e.runs) expect(validateAlgorithmConfig(e.algorithm, run.config)).toEqual([]);
  });

  it('refuses an invalid SAC config', () => {
    expect(() => lectureComparisonPlan({ sacConfig: { ...customSac, gamma: 2 } })).toThrow(/SAC settings/);
  });

  it('covers every algorithm id', () => {
    expect(lectureComparisonPlan().entries.map((e) => e.algorithm).sort()).toEqual([...ALGORITHM_IDS].sort());
  });
});
