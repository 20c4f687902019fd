/**
 * Default names of runs and groups, naming what differs from the lecture's defaults in the lecture's
 * hyperparameter names: "SAC · seed 500", "SAC · actor_lr 3e-4 · seed 2", "SAC · actor_lr 3e-4 · 3 seeds".
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { HYPERPARAMETER_KEYS, HYPERPARAMETERS, type SacConfig, type SacConfigKey } from '../rl/sac/config';

/** Keys that do not change what a run learns, left out of names (the seed is named on its own). */
const NOT_NAMED: ReadonlySet<SacConfigKey> = new Set<SacConfigKey>(['seed', 'logInterval']);

/** A short form of a number: 3e-4, 0.99, 1e4, 64, −300. */
export function compactNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  if (Number.isInteger(value) && Math.abs(value) < 10_000) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 0.01 || magnitude >= 10_000) {
    const [mantissa = '', exponent = ''] = value.toExponential(2).split('e');
    return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
  }
  return String(Number(value.toPrecision(3)));
}

/** One setting in lecture form: "actor_lr 3e-4", "stop_at_goal off". */
export function describeSetting<K extends SacConfigKey>(key: K, value: SacConfig[K]): string {
  const name = HYPERPARAMETERS[key].lectureName;
  if (typeof value === 'boolean') return `${name} ${value ? 'on' : 'off'}`;
  return `${name} ${compactNumber(value)}`;
}

/** Keys (table order) whose values differ between `config` and `reference`, the seed and log interval excluded. */
export function differingKeys(config: SacConfig, reference: SacConfig): SacConfigKey[] {
  return HYPERPARAMETER_KEYS.filter((key) => !NOT_NAMED.has(key) && config[key] !== reference[key]);
}

function settingsPart(config: SacConfig, defaults: SacConfig): string[] {
  return differingKeys(config, defaults).map((key) => describeSetting(key, config[key]));
}

/** "SAC · actor_lr 3e-4 · seed 2". */
export function describeRun(config: SacConfig, defaults: SacConfig, algorithm: AlgorithmId = 'sac'): string {
  return [ALGORITHMS[algorithm].label, ...settingsPart(config, defaults), `seed ${config.seed}`].join(' · ');
}

/** "SAC · actor_lr 3e-4 · 3 seeds" (the members' config, seed aside). */
export function describeGroup(config: SacConfig, defaults: SacConfig, seeds: number, algorithm: AlgorithmId = 'sac'): string {
  return [ALGORITHMS[algorithm].label, ...settingsPart(config, defaults), `${seeds} seeds`].join(' · ');
}
