/**
 * TD3's hyperparameter table (ALGORITHMS.md, "TD3"): DDPG's settings plus the three that make TD3
 * (the twin critics have no setting: they are the algorithm).
 */
import { DETERMINISTIC_PARAMETERS, type DeterministicConfig } from '../deterministic/config';
import { configRulesOf, defaultsOf, makeConfigFrom, type ParameterTable } from '../hyperparameterTable';

export type Td3Config = DeterministicConfig & {
  /** Critic updates per actor update (and per soft update of every target). */
  policyDelay: number;
  /** σ of the target policy smoothing noise, in units of the action bound. */
  targetPolicyNoise: number;
  /** The smoothing noise is clipped to ±this (units of the bound) before it is added. */
  targetNoiseClip: number;
};

const SB3_TD3 = 'stable-baselines3 TD3 default (Fujimoto et al. 2018)';

export const TD3_PARAMETERS: ParameterTable<Td3Config> = {
  ...DETERMINISTIC_PARAMETERS,
  policyDelay: {
    key: 'policyDelay', lectureName: 'policy_delay', label: 'Policy delay', defaultValue: 2,
    min: 1, max: 100, scale: 'linear', integer: true, live: true, source: SB3_TD3,
    description: 'The actor and all targets are updated once every this many critic updates.',
  },
  targetPolicyNoise: {
    key: 'targetPolicyNoise', lectureName: 'target_policy_noise', label: 'Target smoothing noise σ', defaultValue: 0.2,
    min: 0, max: 2, scale: 'linear', integer: false, live: true, source: SB3_TD3,
    description: "ã′ = clip(μ̄(s′) + clip(scale·N(0, σ²), ±c·scale), ±scale) in the critic target.",
  },
  targetNoiseClip: {
    key: 'targetNoiseClip', lectureName: 'target_noise_clip', label: 'Target noise clip c', defaultValue: 0.5,
    min: 0, max: 2, scale: 'linear', integer: false, live: true, source: SB3_TD3,
    description: 'The smoothing noise is clipped to ±c·scale before it is added to the target action.',
  },
};

export const TD3_CONFIG_RULES = configRulesOf(TD3_PARAMETERS);

export function defaultTd3Config(): Td3Config {
  return defaultsOf(TD3_PARAMETERS);
}

/** Defaults plus overrides; throws RangeError listing every out-of-range value. */
export function makeTd3Config(overrides: Partial<Td3Config> = {}): Td3Config {
  return makeConfigFrom(TD3_PARAMETERS, overrides);
}
