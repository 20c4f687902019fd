/**
 * DDPG's hyperparameter table (ALGORITHMS.md, "DDPG"): the settings shared with TD3, nothing more.
 * The UI sliders, the CLI flags (`--algo ddpg`) and validation are generated from it.
 */
import { DETERMINISTIC_PARAMETERS, type DeterministicConfig } from '../deterministic/config';
import { configRulesOf, defaultsOf, makeConfigFrom, type ParameterTable } from '../hyperparameterTable';

export type DdpgConfig = DeterministicConfig;

export const DDPG_PARAMETERS: ParameterTable<DdpgConfig> = DETERMINISTIC_PARAMETERS;

export const DDPG_CONFIG_RULES = configRulesOf(DDPG_PARAMETERS);

export function defaultDdpgConfig(): DdpgConfig {
  return defaultsOf(DDPG_PARAMETERS);
}

/** Defaults plus overrides; throws RangeError listing every out-of-range value. */
export function makeDdpgConfig(overrides: Partial<DdpgConfig> = {}): DdpgConfig {
  return makeConfigFrom(DDPG_PARAMETERS, overrides);
}
