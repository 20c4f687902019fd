/**
 * Command-line flags of `npm run train`, generated from the hyperparameter table (kebab-case of the
 * lecture's names: --actor-lr, --hidden-size, …) plus --backend, --out, --json. Pure: returns the parsed
 * options or throws a UsageError whose message names the flag and its allowed range (exit status 2).
 */
import { parseArgs } from 'node:util';
import {
  HYPERPARAMETERS,
  HYPERPARAMETER_KEYS,
  describeRange,
  makeConfig,
  validateHyperparameter,
  type SacConfig,
  type SacConfigKey,
} from '../rl/sac/config';

export const CLI_BACKENDS = ['cpu', 'wasm'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

export interface TrainOptions {
  config: SacConfig;
  backend: CliBackend;
  /** Directory for the actor files and metrics.csv, or null. */
  outDir: string | null;
  json: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function flagName(key: SacConfigKey): string {
  return HYPERPARAMETERS[key].lectureName.replace(/_/g, '-');
}

const booleanKeys = HYPERPARAMETER_KEYS.filter((key) => typeof HYPERPARAMETERS[key].defaultValue === 'boolean');
const numericKeys = HYPERPARAMETER_KEYS.filter((key) => typeof HYPERPARAMETERS[key].defaultValue !== 'boolean');

export function usage(): string {
  const lines = [
    'Usage: npm run train -- [flags]',
    '',
    'Trains SAC on Pendulum-v1 in Node with the same trainer as the page.',
    '',
    '  --backend cpu|wasm       tfjs backend (default wasm)',
    '  --out DIR                write the actor (model.json + weights.bin) and metrics.csv to DIR',
    '  --json                   one JSON object per episode, then a summary object',
    '  --help                   this text',
  ];
  for (const key of numericKeys) {
    const spec = HYPERPARAMETERS[key];
    lines.push(`  --${flagName(key).padEnd(22)} ${spec.label} (default ${spec.defaultValue}; ${describeRange(key)})`);
  }
  for (const key of booleanKeys) {
    const spec = HYPERPARAMETERS[key];
    lines.push(`  --${flagName(key).padEnd(22)} / --no-${flagName(key)}: ${spec.label} (default ${spec.defaultValue})`);
  }
  return lines.join('\n');
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
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    backend: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const key of numericKeys) options[flagName(key)] = { type: 'string' };
  for (const key of booleanKeys) {
    options[flagName(key)] = { type: 'boolean' };
    options[`no-${flagName(key)}`] = { type: 'boolean' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: joinNegativeNumericValues(argv, new Set(numericKeys.map(flagName))), options, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun with --help for the list of flags.`);
  }

  const overrides: Partial<Record<SacConfigKey, number | boolean>> = {};
  for (const key of numericKeys) {
    const raw = values[flagName(key)];
    if (raw === undefined) continue;
    const text = String(raw).trim();
    const value = text === '' ? Number.NaN : Number(text);
    const error = validateHyperparameter(key, value);
    if (error) throw new UsageError(`--${flagName(key)}: ${error.replace(/, got .*$/, '')}, got "${String(raw)}"`);
    overrides[key] = value;
  }
  for (const key of booleanKeys) {
    if (values[flagName(key)] === true) overrides[key] = true;
    if (values[`no-${flagName(key)}`] === true) overrides[key] = false;
  }

  const backend = (values.backend ?? 'wasm') as string;
  if (!(CLI_BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${CLI_BACKENDS.join(', ')} in Node (webgl runs in the browser), got "${backend}"`);
  }
  const out = values.out;
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) throw new UsageError('--out needs a directory');
  return {
    config: makeConfig(overrides as Partial<SacConfig>),
    backend: backend as CliBackend,
    outDir: typeof out === 'string' ? out : null,
    json: values.json === true,
    help: values.help === true,
  };
}
