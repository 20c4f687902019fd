/**
 * The editor's algorithm, its hyperparameters, backend and speed in the URL hash (like TensorFlow
 * Playground), so a setting can be shared or bookmarked: `#actorLr=0.0003&backend=wasm`, or
 * `#algo=ppo&nSteps=512` for another algorithm than SAC (`algo` first, then that algorithm's keys).
 * Only values that differ from the algorithm's defaults are written. Reading validates every value
 * strictly with that algorithm's table: a bad one (or a key the algorithm does not have) is refused and
 * named (never guessed: `stopAtGoal=yes` is not silently false), and the setting keeps its default.
 * Pure: ui/urlSync.ts applies the result to the store and rewrites the address.
 */
import { ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, defaultAlgorithmConfig, isAlgorithmId, type AlgorithmConfig } from '../rl/algorithmSettings';
import { validateSpecValue } from '../rl/hyperparameterTable';
import { BACKEND_CHOICES, parseBackendChoice, MAX_MULTIPLIER, MIN_MULTIPLIER, type BackendChoice, type SpeedSetting } from '../worker/protocol';

/** One value of the address that was not used, and why. */
export interface RefusedUrlValue {
  name: string;
  value: string;
  reason: string;
}

/** The hash key naming the algorithm; absent means SAC. */
export const ALGORITHM_URL_KEY = 'algo';

export interface UrlState {
  algorithm: AlgorithmId;
  /** The algorithm's defaults with the address's accepted values. */
  config: AlgorithmConfig;
  backend: BackendChoice;
  speed: SpeedSetting;
  /** Every value that was refused, in address order. */
  refused: RefusedUrlValue[];
  /** One message per refused value (`reason` of each). */
  errors: string[];
}

/** The strict boolean spellings of the address (what formatUrlState writes, and 1/0). */
function parseBoolean(raw: string): boolean | null {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return null;
}

/** `fast`, `fastx1`, `watchx4`: a mode and an integer multiplier in range; anything else is refused. */
function parseSpeed(raw: string): SpeedSetting | string {
  const match = /^(fast|watch)(?:x(\d+))?$/.exec(raw);
  const reason = `Speed must be fast or watch, optionally with x${MIN_MULTIPLIER}…x${MAX_MULTIPLIER} (e.g. watchx4), got ${raw}`;
  if (match === null) return reason;
  const multiplier = match[2] === undefined ? 1 : Number(match[2]);
  if (multiplier < MIN_MULTIPLIER || multiplier > MAX_MULTIPLIER) return reason;
  return { mode: match[1] === 'watch' ? 'watch' : 'fast', multiplier };
}

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const refused: RefusedUrlValue[] = [];
  const refuse = (name: string, value: string, reason: string): void => {
    refused.push({ name, value, reason });
  };
  // The algorithm first, wherever it stands: it decides which keys the rest may use.
  let algorithm: AlgorithmId = 'sac';
  const algo = params.get(ALGORITHM_URL_KEY);
  if (algo !== null) {
    if (isAlgorithmId(algo)) algorithm = algo;
    else refuse(ALGORITHM_URL_KEY, algo, `Algorithm must be one of ${ALGORITHM_IDS.join(', ')}, got ${algo}`);
  }
  const { table, label } = ALGORITHM_SETTINGS[algorithm];
  const config = defaultAlgorithmConfig(algorithm);
  let backend: BackendChoice = 'auto';
  let speed: SpeedSetting = { mode: 'fast', multiplier: 1 };
  for (const [name, raw] of params) {
    if (name === ALGORITHM_URL_KEY) continue;
    if (name === 'backend') {
      // parseBackendChoice reads the old `fastest` as `auto` (links made before the measured default).
      const choice = parseBackendChoice(raw);
      if (choice !== null) backend = choice;
      else refuse(name, raw, `Backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${raw}`);
      continue;
    }
    if (name === 'speed') {
      const parsed = parseSpeed(raw);
      if (typeof parsed === 'string') refuse(name, raw, parsed);
      else speed = parsed;
      continue;
    }
    const spec = table[name];
    if (spec === undefined) {
      refuse(name, raw, algorithm === 'sac' ? `Unknown setting "${name}" in the address` : `Unknown setting "${name}" in the address (${label} has no such setting)`);
      continue;
    }
    const isBoolean = typeof spec.defaultValue === 'boolean';
    // A refused boolean reaches the validator as its text, so the message names what was written.
    const value: number | boolean | string = isBoolean ? (parseBoolean(raw) ?? raw) : raw.trim() === '' ? Number.NaN : Number(raw);
    const error = validateSpecValue(spec, value);
    if (error !== null) refuse(name, raw, isBoolean || raw.trim() !== '' ? error : error.replace(/got NaN$/, 'got nothing'));
    else config[name] = value as number | boolean;
  }
  return { algorithm, config, backend, speed, refused, errors: refused.map((entry) => entry.reason) };
}

export function formatUrlState(state: { algorithm?: AlgorithmId; config: AlgorithmConfig; backend: BackendChoice; speed: SpeedSetting }): string {
  const algorithm = state.algorithm ?? 'sac';
  const defaults = defaultAlgorithmConfig(algorithm);
  const params = new URLSearchParams();
  if (algorithm !== 'sac') params.set(ALGORITHM_URL_KEY, algorithm);
  for (const key of ALGORITHM_SETTINGS[algorithm].keys) {
    const value = state.config[key];
    if (value !== undefined && value !== defaults[key]) params.set(key, String(value));
  }
  if (state.backend !== 'auto') params.set('backend', state.backend);
  if (state.speed.mode !== 'fast' || state.speed.multiplier !== 1) params.set('speed', `${state.speed.mode}x${state.speed.multiplier}`);
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
}

/**
 * The message for refused address values, naming each as written (`stopAtGoal=yes`) with its reason,
 * or null when nothing was refused.
 */
export function describeRefusedUrlValues(refused: readonly RefusedUrlValue[]): string | null {
  if (refused.length === 0) return null;
  const items = refused.map((entry) => `${entry.name}=${entry.value} (${entry.reason})`);
  const noun = refused.length === 1 ? 'This value in the address was' : `These ${refused.length} values in the address were`;
  return `${noun} not used; the address now shows the settings in use: ${items.join('; ')}`;
}
