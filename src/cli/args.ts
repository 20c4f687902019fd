/**
 * Command-line flags of `npm run train`: `--algo sac|ddpg|td3|ppo|trpo` picks the algorithm, and its flags are
 * generated from that algorithm's hyperparameter table (kebab-case of the snake_case names: --actor-lr,
 * --hidden-size, --learning-starts, …) plus --backend, --out, --json. Pure: returns the parsed options or
 * throws a UsageError whose message names the flag and its allowed range (exit status 2).
 */
import { parseArgs } from 'node:util';
import { describeSpecRange, validateSpecValue, type ParameterSpec, type RunConfig } from '../rl/hyperparameterTable';
import { ALGORITHMS } from '../rl/algorithm';
import { OFF_POLICY_ALGORITHMS, OFF_POLICY_ALGORITHM_IDS, isOffPolicyAlgorithmId, type OffPolicyAlgorithmId } from '../rl/offPolicyAlgorithms';
import { makeTableConfig, type OnPolicyConfig } from '../rl/onPolicy/config';
import { ON_POLICY_ALGORITHM_IDS, type OnPolicyAlgorithmId } from '../rl/onPolicy/descriptors';
import { ON_POLICY_HYPERPARAMETERS, isOnPolicyAlgorithmId } from '../rl/onPolicy/factory';

/** tfjs backends, plus 'kernels': SAC's hand-written engine (src/rl/sac/kernel/), tfjs on wasm for the rest. */
export const CLI_BACKENDS = ['cpu', 'wasm', 'kernels'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

/** A run config of any of the algorithms: the trainer's fields plus the algorithm's own, by name. */
export type AnyRunConfig = RunConfig & Readonly<Record<string, number | boolean>>;
/** A PPO or TRPO config (onPolicy/config.ts), by name. */
export type AnyOnPolicyRunConfig = OnPolicyConfig & Readonly<Record<string, number | boolean>>;

/** Every --algo value: the off-policy Trainer's algorithms, then the on-policy loop's (onPolicy/). */
export type CliAlgorithmId = OffPolicyAlgorithmId | OnPolicyAlgorithmId;
export const CLI_ALGORITHM_IDS: readonly CliAlgorithmId[] = [...OFF_POLICY_ALGORITHM_IDS, ...ON_POLICY_ALGORITHM_IDS];

export interface TrainOptions {
  algorithm: CliAlgorithmId;
  config: AnyRunConfig | AnyOnPolicyRunConfig;
  backend: CliBackend;
  /** Directory for the actor files and metrics.csv, or null. */
  outDir: string | null;
  json: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function flagName(spec: ParameterSpec): string {
  return spec.lectureName.replace(/_/g, '-');
}

/** The algorithm's hyperparameter table (the on-policy tables have ParameterSpec's shape). */
function tableOf(algorithm: CliAlgorithmId): Readonly<Record<string, ParameterSpec>> {
  return isOnPolicyAlgorithmId(algorithm) ? ON_POLICY_HYPERPARAMETERS[algorithm] : OFF_POLICY_ALGORITHMS[algorithm].table;
}

/** Defaults plus overrides (validated: throws RangeError listing every problem). */
function makeConfig(algorithm: CliAlgorithmId, overrides: Record<string, number | boolean>): AnyRunConfig | AnyOnPolicyRunConfig {
  // Every value of a table is a number or a boolean (ParameterSpec.defaultValue), so the config reads as such by name.
  if (algorithm === 'ppo') return makeTableConfig(ON_POLICY_HYPERPARAMETERS.ppo, overrides) as unknown as AnyOnPolicyRunConfig;
  if (algorithm === 'trpo') return makeTableConfig(ON_POLICY_HYPERPARAMETERS.trpo, overrides) as unknown as AnyOnPolicyRunConfig;
  return OFF_POLICY_ALGORITHMS[algorithm].makeConfig(overrides) as AnyRunConfig;
}

function specsOf(algorithm: CliAlgorithmId): { numeric: ParameterSpec[]; boolean: ParameterSpec[] } {
  const specs = Object.values(tableOf(algorithm));
  return { numeric: specs.filter((spec) => typeof spec.defaultValue !== 'boolean'), boolean: specs.filter((spec) => typeof spec.defaultValue === 'boolean') };
}

/** --help for one algorithm: every flag with its default, range and (DDPG/TD3) the default's source. */
export function usage(algorithm: CliAlgorithmId = 'sac'): string {
  const { label } = ALGORITHMS[algorithm];
  const lines = [
    `Usage: npm run train -- [--algo ${CLI_ALGORITHM_IDS.join('|')}] [flags]`,
    '',
    `Trains ${label} on Pendulum-v1 in Node with the same trainer as the page. Flags of another algorithm: --algo NAME --help.`,
    '',
    `  --algo ${CLI_ALGORITHM_IDS.join('|').padEnd(17)} algorithm (default sac)`,
    '  --backend cpu|wasm|kernels  tfjs backend (default wasm); kernels: SAC\'s hand-written WebAssembly engine',
    '  --out DIR                write the actor (model.json + weights.bin) and metrics.csv to DIR',
    '  --json                   one JSON object per episode, then a summary object',
    '  --help                   this text',
  ];
  const source = (spec: ParameterSpec): string => (spec.source === undefined ? '' : `; from ${spec.source}`);
  const { numeric, boolean } = specsOf(algorithm);
  for (const spec of numeric) {
    lines.push(`  --${flagName(spec).padEnd(22)} ${spec.label} (default ${String(spec.defaultValue)}; ${describeSpecRange(spec)}${source(spec)})`);
  }
  for (const spec of boolean) {
    lines.push(`  --${flagName(spec).padEnd(22)} / --no-${flagName(spec)}: ${spec.label} (default ${String(spec.defaultValue)})`);
  }
  return lines.join('\n');
}

/** The --algo value of argv (either form), 'sac' when absent. Throws UsageError for an unknown one. */
export function algorithmOf(argv: readonly string[]): CliAlgorithmId {
  let value: string | undefined;
  argv.forEach((token, index) => {
    if (token === '--algo') value = argv[index + 1] ?? '';
    else if (token.startsWith('--algo=')) value = token.slice('--algo='.length);
  });
  if (value === undefined) return 'sac';
  if (!isOffPolicyAlgorithmId(value) && !isOnPolicyAlgorithmId(value)) throw new UsageError(`--algo must be one of ${CLI_ALGORITHM_IDS.join(', ')}, got "${value}"`);
  return value;
}

/** A token that reads as a number with a leading minus ("-200", "-1e-3", "-.5", "-Infinity"), not a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity\b)/;

/**
 * Node's parseArgs refuses `--goal-score -200` (a value that starts with a dash looks like a flag to it,
 * and asks for `--goal-score=-200`). Every goal score is negative, so for the numeric flags the space form
 * is rewritten to the `=` form first. Only a negative-number token right after a numeric flag is joined:
 * `--gamma --json` still fails as "argument missing", and a bad value such as `-abc` still reaches the
 * named range check below.
 */
export function joinNegativeNumericValues(argv: readonly string[], numericFlags: ReadonlySet<string>): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] as string;
    const next = argv[index + 1];
    if (token === '--') {
      joined.push(...argv.slice(index));
      break;
    }
    if (token.startsWith('--') && !token.includes('=') && numericFlags.has(token.slice(2)) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${token}=${next}`);
      index++;
      continue;
    }
    joined.push(token);
  }
  return joined;
}

export function parseTrainArgs(argv: string[]): TrainOptions {
  const algorithm = algorithmOf(argv);
  const { numeric, boolean } = specsOf(algorithm);
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    algo: { type: 'string' },
    backend: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const spec of numeric) options[flagName(spec)] = { type: 'string' };
  for (const spec of boolean) {
    options[flagName(spec)] = { type: 'boolean' };
    options[`no-${flagName(spec)}`] = { type: 'boolean' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: joinNegativeNumericValues(argv, new Set(numeric.map(flagName))), options, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    const other = algorithm === 'sac' ? '' : ` of ${ALGORITHMS[algorithm].label}`;
    throw new UsageError(`${(error as Error).message}\nRun with --algo ${algorithm} --help for the list of flags${other}.`);
  }

  const overrides: Record<string, number | boolean> = {};
  for (const spec of numeric) {
    const raw = values[flagName(spec)];
    if (raw === undefined) continue;
    const text = String(raw).trim();
    const value = text === '' ? Number.NaN : Number(text);
    const error = validateSpecValue(spec, value);
    if (error) throw new UsageError(`--${flagName(spec)}: ${error.replace(/, got .*$/, '')}, got "${String(raw)}"`);
    overrides[spec.key] = value;
  }
  for (const spec of boolean) {
    if (values[flagName(spec)] === true) overrides[spec.key] = true;
    if (values[`no-${flagName(spec)}`] === true) overrides[spec.key] = false;
  }

  const backend = (values.backend ?? 'wasm') as string;
  if (!(CLI_BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${CLI_BACKENDS.join(', ')} in Node (webgl runs in the browser), got "${backend}"`);
  }
  if (backend === 'kernels' && algorithm !== 'sac') {
    throw new UsageError(`--backend kernels is SAC's hand-written engine; ${algorithm} runs on tfjs (cpu or wasm)`);
  }
  const out = values.out;
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) throw new UsageError('--out needs a directory');
  return {
    algorithm,
    config: makeConfig(algorithm, overrides),
    backend: backend as CliBackend,
    outDir: typeof out === 'string' ? out : null,
    json: values.json === true,
    help: values.help === true,
  };
}
