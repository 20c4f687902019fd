/**
 * PPO's and TRPO's hyperparameter tables: the zoo defaults ALGORITHMS.md lists (on the lecture's 64-64
 * network), a source and a doc line per entry, and validation that names the setting and its range.
 */
import { describe, expect, it } from 'vitest';
import { describeTableRange, tableKeys, validateTablePartial, type OnPolicyHyperparameterTable } from '../../src/rl/onPolicy/config';
import { PPO_HYPERPARAMETERS, defaultPpoConfig, makePpoConfig } from '../../src/rl/ppo/config';
import { TRPO_HYPERPARAMETERS, defaultTrpoConfig } from '../../src/rl/trpo/config';

describe('on-policy hyperparameter tables', () => {
  it('PPO defaults are the zoo settings of ALGORITHMS.md', () => {
    expect(defaultPpoConfig()).toMatchObject({
      nEnvs: 4, nSteps: 1024, gamma: 0.9, gaeLambda: 0.95, nEpochs: 10, batchSize: 64, learningRate: 1e-3,
      clipRange: 0.2, vfCoef: 0.5, entCoef: 0, maxGradNorm: 0.5, useSde: true, sdeSampleFreq: 4, logStdInit: 0, hiddenSize: 64,
    });
  });

  it('TRPO defaults are the sb3-contrib + zoo settings of ALGORITHMS.md', () => {
    expect(defaultTrpoConfig()).toMatchObject({
      nEnvs: 2, nSteps: 1024, gamma: 0.9, gaeLambda: 0.95, targetKl: 0.01, cgMaxSteps: 15, cgDamping: 0.1,
      lineSearchShrinkingFactor: 0.8, lineSearchMaxIter: 10, nCriticUpdates: 15, batchSize: 128, learningRate: 1e-3,
      useSde: true, sdeSampleFreq: 4, hiddenSize: 64,
    });
  });

  /** Every entry has its key, a doc line, a source, a snake_case name and a default in its range. */
  function checkTable<C>(table: OnPolicyHyperparameterTable<C>): void {
    for (const key of tableKeys(table)) {
      const spec = table[key];
      expect(spec.key).toBe(key);
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.source.length).toBeGreaterThan(5);
      expect(spec.lectureName).toMatch(/^[a-z0-9_]+$/);
      expect(validateTablePartial(table, { [key]: spec.defaultValue } as Partial<C>)).toEqual([]);
    }
  }

  it('PPO: every entry has its key, a doc line, a source, and a default in range', () => checkTable(PPO_HYPERPARAMETERS));
  it('TRPO: every entry has its key, a doc line, a source, and a default in range', () => checkTable(TRPO_HYPERPARAMETERS));

  it('refuses out-of-range, non-integer and unknown values, naming the setting and its range', () => {
    expect(validateTablePartial(PPO_HYPERPARAMETERS, { clipRange: 2 })).toEqual(['Clip range ε (clip_range) must be in 0.01 … 1, got 2']);
    expect(validateTablePartial(PPO_HYPERPARAMETERS, { nEpochs: 2.5 })).toEqual(['Epochs per rollout (n_epochs) must be an integer in 1 … 100, got 2.5']);
    expect(validateTablePartial(PPO_HYPERPARAMETERS, { useSde: 1 } as never)).toEqual(['gSDE exploration (use_sde) must be true or false, got 1']);
    expect(validateTablePartial(PPO_HYPERPARAMETERS, { targetKl: 0.1 } as never)).toEqual(['Unknown hyperparameter "targetKl"']);
    expect(describeTableRange(TRPO_HYPERPARAMETERS, 'targetKl')).toBe('0.00001 … 1');
    expect(() => makePpoConfig({ gamma: 1.5 })).toThrow(RangeError);
  });
});
