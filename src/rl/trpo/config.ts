/**
 * TRPO's hyperparameter table (ALGORITHMS.md, "TRPO"): sb3-contrib's defaults with the zoo's
 * Pendulum-v1 settings, on the lecture's 64-64 tanh network.
 */
import {
  ZOO_TRPO,
  commonOnPolicySpecs,
  makeTableConfig,
  tableDefaults,
  type OnPolicyConfig,
  type OnPolicyHyperparameterTable,
} from '../onPolicy/config';

const SB3_CONTRIB = 'sb3-contrib TRPO default';

export type TrpoConfig = OnPolicyConfig & {
  targetKl: number;
  cgMaxSteps: number;
  cgDamping: number;
  lineSearchShrinkingFactor: number;
  lineSearchMaxIter: number;
  nCriticUpdates: number;
  learningRate: number;
};

export const TRPO_HYPERPARAMETERS: OnPolicyHyperparameterTable<TrpoConfig> = {
  ...commonOnPolicySpecs(ZOO_TRPO, { nEnvs: 2, batchSize: 128, batchSizeSource: SB3_CONTRIB }),
  targetKl: {
    key: 'targetKl', lectureName: 'target_kl', label: 'KL trust region δ', defaultValue: 0.01, min: 1e-5, max: 1, scale: 'log', integer: false, live: true,
    description: 'Largest mean KL(π_old ‖ π) a policy step may make; the step length is √(2δ / xᵀFx).', source: SB3_CONTRIB,
  },
  cgMaxSteps: {
    key: 'cgMaxSteps', lectureName: 'cg_max_steps', label: 'Conjugate-gradient steps', defaultValue: 15, min: 1, max: 100, scale: 'linear', integer: true, live: true,
    description: 'Iterations solving (F + damping·I)x = g with Fisher-vector products.', source: SB3_CONTRIB,
  },
  cgDamping: {
    key: 'cgDamping', lectureName: 'cg_damping', label: 'Conjugate-gradient damping', defaultValue: 0.1, min: 0, max: 10, scale: 'linear', integer: false, live: true,
    description: 'Added to the Fisher matrix\'s diagonal: keeps the solve stable.', source: SB3_CONTRIB,
  },
  lineSearchShrinkingFactor: {
    key: 'lineSearchShrinkingFactor', lectureName: 'line_search_shrinking_factor', label: 'Line-search shrink', defaultValue: 0.8, min: 0.05, max: 0.99, scale: 'linear', integer: false, live: true,
    description: 'Each rejected try multiplies the step by this.', source: SB3_CONTRIB,
  },
  lineSearchMaxIter: {
    key: 'lineSearchMaxIter', lectureName: 'line_search_max_iter', label: 'Line-search tries', defaultValue: 10, min: 1, max: 100, scale: 'linear', integer: true, live: true,
    description: 'Tries before the step is given up and the old policy kept.', source: SB3_CONTRIB,
  },
  nCriticUpdates: {
    key: 'nCriticUpdates', lectureName: 'n_critic_updates', label: 'Value-net passes', defaultValue: 15, min: 1, max: 200, scale: 'linear', integer: true, live: true,
    description: 'Adam passes over the rollout, in minibatches, fitting V to the returns.', source: ZOO_TRPO,
  },
  learningRate: {
    key: 'learningRate', lectureName: 'learning_rate', label: 'Value-net learning rate', defaultValue: 1e-3, min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true,
    description: 'Adam step size of the value net (the policy moves by the natural-gradient step).', source: SB3_CONTRIB,
  },
};

export function defaultTrpoConfig(): TrpoConfig {
  return tableDefaults(TRPO_HYPERPARAMETERS);
}

/** Defaults plus overrides; throws RangeError listing every out-of-range value. */
export function makeTrpoConfig(overrides: Partial<TrpoConfig> = {}): TrpoConfig {
  return makeTableConfig(TRPO_HYPERPARAMETERS, overrides);
}
