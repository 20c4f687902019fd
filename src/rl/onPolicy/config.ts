/**
 * What PPO's and TRPO's hyperparameter tables share: the entry type (the fields of SAC's
 * HyperparameterSpec plus `source`, where the default comes from), the settings common to both
 * on-policy methods, and validation generic over a table. Its entries have the shape of
 * hyperparameterTable.ts's ParameterSpec, so the CLI reads these tables like the off-policy ones. Each algorithm declares its own table
 * (ppo/config.ts, trpo/config.ts); sliders, CLI flags and validation are generated from it.
 */

import type { ParameterSpec } from '../hyperparameterTable';

/** Settings every on-policy run has (ALGORITHMS.md: rollout, GAE, network, gSDE, stop rules). */
export type OnPolicyConfig = {
  seed: number;
  hiddenSize: number;
  nEnvs: number;
  nSteps: number;
  gamma: number;
  gaeLambda: number;
  batchSize: number;
  useSde: boolean;
  sdeSampleFreq: number;
  logStdInit: number;
  goalScore: number;
  stopAtGoal: boolean;
  maxEpisodes: number;
  maxSteps: number;
  logInterval: number;
};

/** One row of an on-policy table: the shared spec shape (hyperparameterTable.ts), with a source always given. */
export type OnPolicyHyperparameterSpec<K = string, V = number | boolean> = ParameterSpec & { key: K; defaultValue: V; source: string };

export type OnPolicyHyperparameterTable<C> = { [K in keyof C]: OnPolicyHyperparameterSpec<K, C[K]> };

export const ZOO_PPO = 'rl-baselines3-zoo hyperparams/ppo.yml, Pendulum-v1';
export const ZOO_TRPO = 'rl-baselines3-zoo hyperparams/trpo.yml, Pendulum-v1';
export const LECTURE = 'the SAC lecture (SAC-SPEC.md)';
export const PLAYGROUND = 'this playground (ALGORITHMS.md: the lecture\'s 64-64 network for every algorithm)';

/**
 * Table entries common to PPO and TRPO. `defaults` are the algorithm's zoo values for the settings
 * whose zoo value differs between them (n_envs, batch_size), with their sources.
 */
export function commonOnPolicySpecs(zoo: string, defaults: { nEnvs: number; batchSize: number; batchSizeSource: string }): OnPolicyHyperparameterTable<OnPolicyConfig> {
  return {
    seed: {
      key: 'seed', lectureName: 'seed', label: 'Random seed', defaultValue: 500, min: 0, max: 4294967295, scale: 'linear', integer: true, live: false,
      description: 'Same seed, same run: env resets, weights, exploration noise, minibatch order.', source: LECTURE,
    },
    hiddenSize: {
      key: 'hiddenSize', lectureName: 'hidden_size', label: 'Hidden layer size', defaultValue: 64, min: 4, max: 512, scale: 'linear', integer: true, live: false,
      description: 'Units in each of the two tanh hidden layers of the policy and of the value net.', source: PLAYGROUND,
    },
    nEnvs: {
      key: 'nEnvs', lectureName: 'n_envs', label: 'Parallel envs', defaultValue: defaults.nEnvs, min: 1, max: 64, scale: 'linear', integer: true, live: false,
      description: 'Pendulum copies stepped together; a rollout holds n_envs × n_steps transitions.', source: zoo,
    },
    nSteps: {
      key: 'nSteps', lectureName: 'n_steps', label: 'Steps per rollout', defaultValue: 1024, min: 8, max: 16384, scale: 'log', integer: true, live: false,
      description: 'Steps each env takes with the current policy before every update phase.', source: zoo,
    },
    gamma: {
      key: 'gamma', lectureName: 'gamma', label: 'Discount factor', defaultValue: 0.9, min: 0.8, max: 0.999, scale: 'linear', integer: false, live: true,
      description: 'γ in δ_t = r_t + γV(s\'_t) − V(s_t); the zoo needed 0.9 on Pendulum (0.99 fails).', source: zoo,
    },
    gaeLambda: {
      key: 'gaeLambda', lectureName: 'gae_lambda', label: 'GAE λ', defaultValue: 0.95, min: 0, max: 1, scale: 'linear', integer: false, live: true,
      description: 'Â_t = δ_t + γλÂ_{t+1}: 0 is one-step TD, 1 the Monte-Carlo return.', source: zoo,
    },
    batchSize: {
      key: 'batchSize', lectureName: 'batch_size', label: 'Minibatch size', defaultValue: defaults.batchSize, min: 2, max: 16384, scale: 'log', integer: true, live: true,
      description: 'Transitions per gradient step in the update phase.', source: defaults.batchSizeSource,
    },
    useSde: {
      key: 'useSde', lectureName: 'use_sde', label: 'gSDE exploration', defaultValue: true, min: 0, max: 1, scale: 'linear', integer: true, live: false,
      description: 'State-dependent exploration a = μ(s) + z(s)ᵀE (off: a = μ(s) + σ·ε with a learned σ).', source: zoo,
    },
    sdeSampleFreq: {
      key: 'sdeSampleFreq', lectureName: 'sde_sample_freq', label: 'gSDE resample interval', defaultValue: 4, min: 0, max: 16384, scale: 'linear', integer: true, live: true,
      description: 'Steps between new exploration matrices E (0: only at each rollout start, SB3\'s −1).', source: zoo,
    },
    logStdInit: {
      key: 'logStdInit', lectureName: 'log_std_init', label: 'Initial log σ', defaultValue: 0, min: -5, max: 2, scale: 'linear', integer: false, live: false,
      description: 'Initial log S (gSDE) or log σ (plain Gaussian) of every entry.', source: 'Stable-Baselines3 default',
    },
    goalScore: {
      key: 'goalScore', lectureName: 'goal_score', label: 'Goal score', defaultValue: -300, min: -2000, max: 0, scale: 'linear', integer: false, live: true,
      description: 'Training stops once the mean of the last 100 episode scores is above this.', source: LECTURE,
    },
    stopAtGoal: {
      key: 'stopAtGoal', lectureName: 'stop_at_goal', label: 'Stop at goal', defaultValue: true, min: 0, max: 1, scale: 'linear', integer: true, live: true,
      description: 'Apply the lecture\'s stop rule (off: keep training after the goal).', source: LECTURE,
    },
    maxEpisodes: {
      key: 'maxEpisodes', lectureName: 'max_episodes', label: 'Maximum episodes', defaultValue: 1000, min: 1, max: 1000000, scale: 'log', integer: true, live: true,
      description: 'Training stops after this many episodes (all envs counted).', source: LECTURE,
    },
    maxSteps: {
      key: 'maxSteps', lectureName: 'max_steps', label: 'Maximum env steps', defaultValue: 100000, min: 0, max: 100000000, scale: 'linear', integer: true, live: true,
      description: 'Training stops after this many env steps, all envs counted (0: no limit).', source: `${zoo} (n_timesteps 1e5)`,
    },
    logInterval: {
      key: 'logInterval', lectureName: 'log_interval', label: 'Log interval', defaultValue: 10, min: 1, max: 1000, scale: 'linear', integer: true, live: true,
      description: 'Episodes between progress lines "N episode | score_avg: X".', source: LECTURE,
    },
  };
}

export function tableKeys<C>(table: OnPolicyHyperparameterTable<C>): Array<keyof C & string> {
  return Object.keys(table) as Array<keyof C & string>;
}

/** Every default of a table as a config. */
export function tableDefaults<C>(table: OnPolicyHyperparameterTable<C>): C {
  const config: Partial<C> = {};
  for (const key of tableKeys(table)) config[key] = table[key].defaultValue;
  return config as C;
}

/** "integer 1 … 64", "1e-6 … 0.1" or "true or false". */
export function describeTableRange<C>(table: OnPolicyHyperparameterTable<C>, key: keyof C): string {
  const spec = table[key];
  if (typeof spec.defaultValue === 'boolean') return 'true or false';
  return `${spec.integer ? 'integer ' : ''}${spec.min} … ${spec.max}`;
}

/** The problem with one value (naming the setting and its range), or null. */
export function validateTableValue<C>(table: OnPolicyHyperparameterTable<C>, key: keyof C, value: unknown): string | null {
  const spec = table[key];
  const name = `${spec.label} (${spec.lectureName})`;
  if (typeof spec.defaultValue === 'boolean') return typeof value === 'boolean' ? null : `${name} must be true or false, got ${String(value)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number in ${describeTableRange(table, key)}, got ${String(value)}`;
  if (spec.integer && !Number.isInteger(value)) return `${name} must be an integer in ${spec.min} … ${spec.max}, got ${value}`;
  if (value < spec.min || value > spec.max) return `${name} must be in ${describeTableRange(table, key)}, got ${value}`;
  return null;
}

/** Every problem of a partial config (unknown keys included); empty when acceptable. */
export function validateTablePartial<C>(table: OnPolicyHyperparameterTable<C>, partial: Partial<C>): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in table)) {
      errors.push(`Unknown hyperparameter "${key}"`);
      continue;
    }
    const error = validateTableValue(table, key as keyof C, value);
    if (error) errors.push(error);
  }
  return errors;
}

/** Defaults plus overrides; throws RangeError listing every problem. */
export function makeTableConfig<C>(table: OnPolicyHyperparameterTable<C>, overrides: Partial<C> = {}): C {
  const errors = validateTablePartial(table, overrides);
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return { ...tableDefaults(table), ...overrides };
}
