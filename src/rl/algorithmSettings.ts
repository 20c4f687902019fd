/**
 * Every algorithm's hyperparameter table by id, for code that picks the algorithm at run time: the
 * page's editor and sliders, the URL state, run records and run files, the worker's live changes. No
 * tfjs here (the page's main bundle imports it).
 *
 * A run's config is the plain record its algorithm's table declares (SacConfig, DdpgConfig, Td3Config,
 * PpoConfig, TrpoConfig). Code that does not know the algorithm at compile time holds it as an
 * AlgorithmConfig together with the AlgorithmId, and checks it with that algorithm's table.
 */
import { ALGORITHMS, ALGORITHM_IDS, type AlgorithmId } from './algorithm';
import { DDPG_PARAMETERS } from './ddpg/config';
import { validateAgainstTable, type ParameterSpec } from './hyperparameterTable';
import { PPO_HYPERPARAMETERS } from './ppo/config';
import { HYPERPARAMETERS } from './sac/config';
import { TD3_PARAMETERS } from './td3/config';
import { TRPO_HYPERPARAMETERS } from './trpo/config';

/** One run's settings, keyed as its algorithm's table. */
export type AlgorithmConfig = Readonly<Record<string, number | boolean>>;

export function isAlgorithmId(value: unknown): value is AlgorithmId {
  return typeof value === 'string' && (ALGORITHM_IDS as readonly string[]).includes(value);
}

export interface AlgorithmSettings {
  readonly id: AlgorithmId;
  /** Short name, e.g. "PPO". */
  readonly label: string;
  /** On-policy (PPO, TRPO: rollouts, no replay buffer) or off-policy (SAC, DDPG, TD3). */
  readonly family: 'off-policy' | 'on-policy';
  /** The table: default, range, live or restart, one-line doc, source. */
  readonly table: Readonly<Record<string, ParameterSpec>>;
  /** The table's keys in declaration order. */
  readonly keys: readonly string[];
}

function settings(id: AlgorithmId, family: AlgorithmSettings['family'], table: object): AlgorithmSettings {
  const specs = table as Readonly<Record<string, ParameterSpec>>;
  return { id, label: ALGORITHMS[id].label, family, table: specs, keys: Object.keys(specs) };
}

export const ALGORITHM_SETTINGS: Readonly<Record<AlgorithmId, AlgorithmSettings>> = {
  sac: settings('sac', 'off-policy', HYPERPARAMETERS),
  ddpg: settings('ddpg', 'off-policy', DDPG_PARAMETERS),
  td3: settings('td3', 'off-policy', TD3_PARAMETERS),
  ppo: settings('ppo', 'on-policy', PPO_HYPERPARAMETERS),
  trpo: settings('trpo', 'on-policy', TRPO_HYPERPARAMETERS),
};

/** The algorithm's defaults (the zoo's for DDPG/TD3/PPO/TRPO, the lecture's for SAC). */
export function defaultAlgorithmConfig(algorithm: AlgorithmId): Record<string, number | boolean> {
  const config: Record<string, number | boolean> = {};
  for (const [key, spec] of Object.entries(ALGORITHM_SETTINGS[algorithm].table)) config[key] = spec.defaultValue;
  return config;
}

/** Every problem of the given fields against the algorithm's table (unknown keys too); empty when acceptable. */
export function validateAlgorithmConfig(algorithm: AlgorithmId, partial: AlgorithmConfig): string[] {
  return validateAgainstTable(ALGORITHM_SETTINGS[algorithm].table, partial);
}

/** Defaults plus overrides; throws RangeError listing every problem. */
export function makeAlgorithmConfig(algorithm: AlgorithmId, overrides: AlgorithmConfig = {}): Record<string, number | boolean> {
  const errors = validateAlgorithmConfig(algorithm, overrides);
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return { ...defaultAlgorithmConfig(algorithm), ...overrides };
}

/** Whether a change of `key` takes effect at the next update of a running run (false: restart only, or unknown). */
export function isLiveSetting(algorithm: AlgorithmId, key: string): boolean {
  return ALGORITHM_SETTINGS[algorithm].table[key]?.live ?? false;
}

/**
 * The live settings in which `wanted` differs from `saved`: what the user changed while a saved run was
 * not loaded, applied on restore as a live change. Restart-only keys are the run's and stay.
 */
export function liveSettingDifferences(algorithm: AlgorithmId, saved: AlgorithmConfig, wanted: AlgorithmConfig): Record<string, number | boolean> {
  const differences: Record<string, number | boolean> = {};
  for (const key of ALGORITHM_SETTINGS[algorithm].keys) {
    const value = wanted[key];
    if (isLiveSetting(algorithm, key) && value !== undefined && value !== saved[key]) differences[key] = value;
  }
  return differences;
}
