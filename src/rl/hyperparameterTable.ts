/**
 * Algorithm-neutral hyperparameter tables (issue 8): what the trainer, the checkpoint validation and the
 * CLI need from any algorithm's table, so each algorithm declares its settings once (default, range,
 * live or restart, one-line doc, source) and the flags, validation and live changes come from it.
 *
 * SAC's table (sac/config.ts) has this shape already, minus `source`; DDPG's and TD3's add it.
 */

/** One declared setting. `defaultValue` is a number or a boolean; bounds are inclusive (ignored for booleans). */
export interface ParameterSpec {
  key: string;
  /** snake_case name (the lecture's or the zoo's); CLI flags are its kebab-case form. */
  lectureName: string;
  label: string;
  defaultValue: number | boolean;
  min: number;
  max: number;
  scale: 'linear' | 'log';
  integer: boolean;
  /** true: effective at the next update of a running session; false: needs a restart. */
  live: boolean;
  description: string;
  /** Where the default comes from, e.g. "rl-baselines3-zoo hyperparams/td3.yml" (SAC's table has none). */
  source?: string;
}

/** A table keyed by the config's fields, each spec typed with that field's value. */
export type ParameterTable<Config> = { readonly [K in keyof Config]: ParameterSpec & { key: K; defaultValue: Config[K] } };

/**
 * The settings the Trainer itself reads, whatever the algorithm: every off-policy config has these
 * (SacConfig, DdpgConfig, Td3Config).
 */
export type RunConfig = {
  seed: number;
  hiddenSize: number;
  batchSize: number;
  bufferSize: number;
  actionScale: number;
  goalScore: number;
  stopAtGoal: boolean;
  maxEpisodes: number;
  maxSteps: number;
  logInterval: number;
};

/** What the trainer and the checkpoint need to validate one algorithm's config (no tfjs). */
export interface ConfigRules<Config> {
  /** The table the config is declared by (labels, live or restart). */
  readonly table: Readonly<Record<string, ParameterSpec>>;
  /** Every problem of the given fields (unknown keys included); empty when acceptable. */
  validate(partial: Partial<Config>): string[];
}

/** Human-readable allowed range, e.g. "1e-6 … 0.1" or "integer 4 … 512". */
export function describeSpecRange(spec: ParameterSpec): string {
  if (typeof spec.defaultValue === 'boolean') return 'true or false';
  return `${spec.integer ? 'integer ' : ''}${spec.min} … ${spec.max}`;
}

/** One value against its spec: an error naming the setting and its range, or null. */
export function validateSpecValue(spec: ParameterSpec, value: unknown): string | null {
  const name = `${spec.label} (${spec.lectureName})`;
  if (typeof spec.defaultValue === 'boolean') {
    return typeof value === 'boolean' ? null : `${name} must be true or false, got ${String(value)}`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number in ${describeSpecRange(spec)}, got ${String(value)}`;
  if (spec.integer && !Number.isInteger(value)) return `${name} must be an integer in ${describeSpecRange(spec)}, got ${value}`;
  if (value < spec.min || value > spec.max) return `${name} must be in ${describeSpecRange(spec)}, got ${value}`;
  return null;
}

/** Every problem of the given fields against a table (unknown keys too). */
export function validateAgainstTable(table: Readonly<Record<string, ParameterSpec>>, partial: object): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    const spec = table[key];
    if (spec === undefined) {
      errors.push(`Unknown hyperparameter "${key}"`);
      continue;
    }
    const error = validateSpecValue(spec, value);
    if (error !== null) errors.push(error);
  }
  return errors;
}

/** The table's defaults as a config. */
export function defaultsOf<Config>(table: ParameterTable<Config>): Config {
  const config: Record<string, unknown> = {};
  for (const spec of Object.values(table) as ParameterSpec[]) config[spec.key] = spec.defaultValue;
  return config as Config;
}

/** Defaults plus overrides; throws RangeError listing every problem. */
export function makeConfigFrom<Config>(table: ParameterTable<Config>, overrides: Partial<Config> = {}): Config {
  const errors = validateAgainstTable(table as Readonly<Record<string, ParameterSpec>>, overrides);
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return { ...defaultsOf(table), ...overrides };
}

/** ConfigRules of a table. */
export function configRulesOf<Config>(table: ParameterTable<Config>): ConfigRules<Config> {
  const plain = table as Readonly<Record<string, ParameterSpec>>;
  return { table: plain, validate: (partial) => validateAgainstTable(plain, partial) };
}
