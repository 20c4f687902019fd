/**
 * SAC hyperparameters: one declared table (defaults, ranges, units, docs, and whether a change applies
 * live or only at restart). The UI sliders, the CLI flags and validation are all generated from it, so a
 * new hyperparameter is added in exactly one place.
 *
 * Defaults are the lecture's (SAC-SPEC.md, "Hyperparameters of the slides"), with its two bugs fixed:
 * actionScale 2 (full ±2 N·m torque) and targetEntropy −dim(A) = −1.
 */

import type { ParameterSpec } from '../hyperparameterTable';

export type SacConfig = {
  /** Discount factor γ in the critic target y = r + γ·mask·(…). */
  gamma: number;
  /** Soft target update rate τ: θ̄ ← τ·θ + (1 − τ)·θ̄ after every gradient step. */
  tau: number;
  /** Units in each of the two hidden layers of actor and critics. Restart only. */
  hiddenSize: number;
  /** Transitions per minibatch; updates start once steps > batchSize. */
  batchSize: number;
  /** Adam learning rate of the actor. */
  actorLr: number;
  /** Adam learning rate of both critics. */
  criticLr: number;
  /** Adam learning rate of log α. */
  alphaLr: number;
  /** α at the start of a run (log α = ln of it). Restart only. */
  initialAlpha: number;
  /** Replay buffer capacity in transitions (FIFO). Restart only. */
  bufferSize: number;
  /** Seed of the one generator behind reset, init, noise and minibatches. Restart only. */
  seed: number;
  /** Stop rule: stop when the mean of the last 100 episode scores exceeds this. */
  goalScore: number;
  /** Whether the lecture's stop rule is applied at all. */
  stopAtGoal: boolean;
  /** H̄ in J(α). SAC's rule is −dim(A) = −1; the lecture's code computed −0.0 (bug 2). */
  targetEntropy: number;
  /** Torque = actionScale · tanh(z). 2 uses the full range; the lecture passed tanh(z) (bug 1: 1). Restart only. */
  actionScale: number;
  /** Episodes before training stops (the lecture's max_iter_num). */
  maxEpisodes: number;
  /** Env steps before training stops (0 = no limit). */
  maxSteps: number;
  /** Episodes between progress lines (the lecture's log_interval). */
  logInterval: number;
};

export type SacConfigKey = keyof SacConfig;

/** One row of SAC's table: the shared spec shape (hyperparameterTable.ts) with the key's own value type. */
export type HyperparameterSpec<K extends SacConfigKey = SacConfigKey> = ParameterSpec & { key: K; defaultValue: SacConfig[K] };

type SpecTable = { [K in SacConfigKey]: HyperparameterSpec<K> };

export const HYPERPARAMETERS: SpecTable = {
  gamma: {
    key: 'gamma', lectureName: 'gamma', label: 'Discount factor', defaultValue: 0.99,
    min: 0.8, max: 0.999, scale: 'linear', integer: false, live: true,
    description: 'How much future reward counts in the critic target y = r + γ(min Q̄ − α log π).',
  },
  tau: {
    key: 'tau', lectureName: 'tau', label: 'Soft update rate', defaultValue: 0.005,
    min: 0.0001, max: 1, scale: 'log', integer: false, live: true,
    description: 'Target critic follows the critic slowly: θ̄ ← τθ + (1 − τ)θ̄ after each update.',
  },
  hiddenSize: {
    key: 'hiddenSize', lectureName: 'hidden_size', label: 'Hidden layer size', defaultValue: 64,
    min: 4, max: 512, scale: 'linear', integer: true, live: false,
    description: 'Units in each of the two hidden layers of the actor and of each critic.',
  },
  batchSize: {
    key: 'batchSize', lectureName: 'batch_size', label: 'Minibatch size', defaultValue: 64,
    min: 1, max: 1024, scale: 'linear', integer: true, live: true,
    description: 'Transitions sampled uniformly from the replay buffer for each gradient step.',
  },
  actorLr: {
    key: 'actorLr', lectureName: 'actor_lr', label: 'Actor learning rate', defaultValue: 1e-3,
    min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true,
    description: 'Adam step size of the policy network (actor loss: mean(α log π − min Q)).',
  },
  criticLr: {
    key: 'criticLr', lectureName: 'critic_lr', label: 'Critic learning rate', defaultValue: 1e-3,
    min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true,
    description: 'Adam step size of the twin Q networks (critic loss: MSE(Q1, y) + MSE(Q2, y)).',
  },
  alphaLr: {
    key: 'alphaLr', lectureName: 'alpha_lr', label: 'Temperature learning rate', defaultValue: 1e-4,
    min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true,
    description: 'Adam step size of log α, which tunes the entropy bonus automatically.',
  },
  initialAlpha: {
    key: 'initialAlpha', lectureName: 'initial_alpha', label: 'Initial temperature', defaultValue: 1,
    min: 0.001, max: 10, scale: 'log', integer: false, live: false,
    description: 'α at the start of training (the lecture starts from log α = 0, α = 1).',
  },
  bufferSize: {
    key: 'bufferSize', lectureName: 'buffer_size', label: 'Replay buffer size', defaultValue: 10000,
    min: 100, max: 1000000, scale: 'log', integer: true, live: false,
    description: 'Most recent transitions kept for sampling (a FIFO deque in the lecture).',
  },
  seed: {
    key: 'seed', lectureName: 'seed', label: 'Random seed', defaultValue: 500,
    min: 0, max: 4294967295, scale: 'linear', integer: true, live: false,
    description: 'Same seed and backend, same run: resets, weights, noise and minibatches.',
  },
  goalScore: {
    key: 'goalScore', lectureName: 'goal_score', label: 'Goal score', defaultValue: -300,
    min: -2000, max: 0, scale: 'linear', integer: false, live: true,
    description: 'Training stops once the mean of the last 100 episode scores is above this.',
  },
  stopAtGoal: {
    key: 'stopAtGoal', lectureName: 'stop_at_goal', label: 'Stop at goal', defaultValue: true,
    min: 0, max: 1, scale: 'linear', integer: true, live: true,
    description: 'Apply the lecture\'s stop rule (off: keep training after the goal).',
  },
  targetEntropy: {
    key: 'targetEntropy', lectureName: 'target_entropy', label: 'Target entropy', defaultValue: -1,
    min: -10, max: 10, scale: 'linear', integer: false, live: true,
    description: 'H̄ in the α loss; SAC uses −dim(A) = −1. The lecture\'s code got −0.0 (set 0 to see its cost).',
  },
  actionScale: {
    key: 'actionScale', lectureName: 'action_scale', label: 'Action scale', defaultValue: 2,
    min: 0.1, max: 2, scale: 'linear', integer: false, live: false,
    description: 'Torque = scale · tanh(z). 2 uses the full ±2 range; the lecture passed tanh(z) (set 1 to see its cost).',
  },
  maxEpisodes: {
    key: 'maxEpisodes', lectureName: 'max_episodes', label: 'Maximum episodes', defaultValue: 1000,
    min: 1, max: 100000, scale: 'log', integer: true, live: true,
    description: 'Training stops after this many episodes (the lecture\'s max_iter_num).',
  },
  maxSteps: {
    key: 'maxSteps', lectureName: 'max_steps', label: 'Maximum env steps', defaultValue: 0,
    min: 0, max: 100000000, scale: 'linear', integer: true, live: true,
    description: 'Training stops after this many environment steps (0: no limit).',
  },
  logInterval: {
    key: 'logInterval', lectureName: 'log_interval', label: 'Log interval', defaultValue: 10,
    min: 1, max: 1000, scale: 'linear', integer: true, live: true,
    description: 'Episodes between progress lines "N episode | score_avg: X".',
  },
};

export const HYPERPARAMETER_KEYS = Object.keys(HYPERPARAMETERS) as SacConfigKey[];

export function defaultConfig(): SacConfig {
  const config = {} as Record<SacConfigKey, number | boolean>;
  for (const key of HYPERPARAMETER_KEYS) config[key] = HYPERPARAMETERS[key].defaultValue;
  return config as unknown as SacConfig;
}

/** The lecture's code as written: half the torque range and H̄ = −0.0 (SAC-SPEC.md, bugs 1 and 2). */
export function lectureAsWrittenOverrides(): Partial<SacConfig> {
  return { actionScale: 1, targetEntropy: 0 };
}

/** Human-readable allowed range, e.g. "1e-6 … 0.1" or "integer 4 … 512". */
export function describeRange(key: SacConfigKey): string {
  const spec = HYPERPARAMETERS[key];
  if (typeof spec.defaultValue === 'boolean') return 'true or false';
  return `${spec.integer ? 'integer ' : ''}${spec.min} … ${spec.max}`;
}

/**
 * Checks one value against its declared range. Returns an error message that names the
 * hyperparameter and its allowed range, or null when the value is acceptable.
 */
export function validateHyperparameter(key: SacConfigKey, value: unknown): string | null {
  const spec = HYPERPARAMETERS[key];
  const name = `${spec.label} (${spec.lectureName})`;
  if (typeof spec.defaultValue === 'boolean') {
    return typeof value === 'boolean' ? null : `${name} must be true or false, got ${String(value)}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `${name} must be a number in ${describeRange(key)}, got ${String(value)}`;
  }
  if (spec.integer && !Number.isInteger(value)) {
    return `${name} must be an integer in ${describeRange(key)}, got ${value}`;
  }
  if (value < spec.min || value > spec.max) {
    return `${name} must be in ${describeRange(key)}, got ${value}`;
  }
  return null;
}

/** Validates every field given; returns all problems (empty when the partial config is acceptable). */
export function validateConfig(partial: Partial<SacConfig>): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in HYPERPARAMETERS)) {
      errors.push(`Unknown hyperparameter "${key}"`);
      continue;
    }
    const error = validateHyperparameter(key as SacConfigKey, value);
    if (error) errors.push(error);
  }
  return errors;
}

/** Full config from defaults plus overrides; throws with every problem listed if any value is out of range. */
export function makeConfig(overrides: Partial<SacConfig> = {}): SacConfig {
  const errors = validateConfig(overrides);
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return { ...defaultConfig(), ...overrides };
}

/** Keys whose change takes effect at the next update of a running session. */
export function isLive(key: SacConfigKey): boolean {
  return HYPERPARAMETERS[key].live;
}
