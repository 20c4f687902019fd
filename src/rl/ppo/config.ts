/**
 * PPO's hyperparameter table (ALGORITHMS.md, "PPO"): the zoo's tuned Pendulum-v1 settings on the
 * lecture's 64-64 tanh network, each with its range, live/restart, one-line doc and source.
 */
import {
  ZOO_PPO,
  commonOnPolicySpecs,
  makeTableConfig,
  tableDefaults,
  type OnPolicyConfig,
  type OnPolicyHyperparameterTable,
} from '../onPolicy/config';

export type PpoConfig = OnPolicyConfig & {
  nEpochs: number;
  learningRate: number;
  clipRange: number;
  vfCoef: number;
  entCoef: number;
  maxGradNorm: number;
};

export const PPO_HYPERPARAMETERS: OnPolicyHyperparameterTable<PpoConfig> = {
  ...commonOnPolicySpecs(ZOO_PPO, { nEnvs: 4, batchSize: 64, batchSizeSource: 'Stable-Baselines3 PPO default (the zoo keeps it)' }),
  nEpochs: {
    key: 'nEpochs', lectureName: 'n_epochs', label: 'Epochs per rollout', defaultValue: 10, min: 1, max: 100, scale: 'linear', integer: true, live: true,
    description: 'Passes over the rollout, in shuffled minibatches, in each update phase.', source: ZOO_PPO,
  },
  learningRate: {
    key: 'learningRate', lectureName: 'learning_rate', label: 'Learning rate', defaultValue: 1e-3, min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true,
    description: 'Adam step size of the one optimiser over policy and value net.', source: ZOO_PPO,
  },
  clipRange: {
    key: 'clipRange', lectureName: 'clip_range', label: 'Clip range ε', defaultValue: 0.2, min: 0.01, max: 1, scale: 'linear', integer: false, live: true,
    description: 'L_clip = −mean min(ρÂ, clip(ρ, 1 − ε, 1 + ε)Â): how far one phase may move the policy.', source: ZOO_PPO,
  },
  vfCoef: {
    key: 'vfCoef', lectureName: 'vf_coef', label: 'Value loss weight', defaultValue: 0.5, min: 0, max: 10, scale: 'linear', integer: false, live: true,
    description: 'c_v in L = L_clip + c_v·mean(V(s) − R)² − c_e·entropy.', source: ZOO_PPO,
  },
  entCoef: {
    key: 'entCoef', lectureName: 'ent_coef', label: 'Entropy bonus', defaultValue: 0, min: 0, max: 1, scale: 'linear', integer: false, live: true,
    description: 'c_e: weight of the entropy bonus in the loss.', source: ZOO_PPO,
  },
  maxGradNorm: {
    key: 'maxGradNorm', lectureName: 'max_grad_norm', label: 'Gradient-norm clip', defaultValue: 0.5, min: 0.01, max: 100, scale: 'log', integer: false, live: true,
    description: 'The whole gradient is scaled down to this global L2 norm before each Adam step.', source: 'Stable-Baselines3 PPO default (ALGORITHMS.md)',
  },
};

export function defaultPpoConfig(): PpoConfig {
  return tableDefaults(PPO_HYPERPARAMETERS);
}

/** Defaults plus overrides; throws RangeError listing every out-of-range value. */
export function makePpoConfig(overrides: Partial<PpoConfig> = {}): PpoConfig {
  return makeTableConfig(PPO_HYPERPARAMETERS, overrides);
}
