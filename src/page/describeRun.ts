/**
 * Default names of runs and groups: the algorithm, then what differs from that algorithm's defaults in
 * its table's snake_case names: "SAC · seed 500", "SAC · actor_lr 3e-4 · seed 2", "PPO · seed 2",
 * "TD3 · tau 0.01 · seed 1", "SAC · actor_lr 3e-4 · 3 seeds".
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, defaultAlgorithmConfig, type AlgorithmConfig } from '../rl/algorithmSettings';

/** Keys that do not change what a run learns, left out of names (the seed is named on its own). */
const NOT_NAMED: ReadonlySet<string> = new Set(['seed', 'logInterval']);

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

/** One setting of `algorithm` in its table's form: "actor_lr 3e-4", "stop_at_goal off" (an unknown key as is). */
export function describeSetting(algorithm: AlgorithmId, key: string, value: number | boolean | undefined): string {
  const name = ALGORITHM_SETTINGS[algorithm].table[key]?.lectureName ?? key;
  if (value === undefined) return `${name} —`;
  if (typeof value === 'boolean') return `${name} ${value ? 'on' : 'off'}`;
  return `${name} ${compactNumber(value)}`;
}

/** Keys of `algorithm`'s table (in order) whose values differ between `config` and `reference`, the seed and log interval excluded. */
export function differingKeys(algorithm: AlgorithmId, config: AlgorithmConfig, reference: AlgorithmConfig): string[] {
  return ALGORITHM_SETTINGS[algorithm].keys.filter((key) => !NOT_NAMED.has(key) && config[key] !== reference[key]);
}

function settingsPart(algorithm: AlgorithmId, config: AlgorithmConfig): string[] {
  return differingKeys(algorithm, config, defaultAlgorithmConfig(algorithm)).map((key) => describeSetting(algorithm, key, config[key]));
}

/** "SAC · actor_lr 3e-4 · seed 2": what differs from the algorithm's defaults. */
export function describeRun(algorithm: AlgorithmId, config: AlgorithmConfig): string {
  return [ALGORITHMS[algorithm].label, ...settingsPart(algorithm, config), `seed ${String(config.seed)}`].join(' · ');
}

/** "SAC · actor_lr 3e-4 · 3 seeds" (the members' config, seed aside). */
export function describeGroup(algorithm: AlgorithmId, config: AlgorithmConfig, seeds: number): string {
  return [ALGORITHMS[algorithm].label, ...settingsPart(algorithm, config), `${seeds} seeds`].join(' · ');
}
