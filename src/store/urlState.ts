/**
 * Hyperparameters, backend and speed in the URL hash (like TensorFlow Playground), so a setting can be
 * shared or bookmarked: `#actorLr=0.0003&backend=wasm`. Only values that differ from the defaults are
 * written. Reading validates every value strictly with the hyperparameter table: a bad one is refused
 * and named (never guessed: `stopAtGoal=yes` is not silently false), and the setting keeps its default.
 * Pure: ui/urlSync.ts applies the result to the store and rewrites the address.
 */
import { HYPERPARAMETERS, HYPERPARAMETER_KEYS, defaultConfig, validateHyperparameter, type SacConfig, type SacConfigKey } from '../rl/sac/config';
import { BACKEND_CHOICES, MAX_MULTIPLIER, MIN_MULTIPLIER, type BackendChoice, type SpeedSetting } from '../worker/protocol';

/** One value of the address that was not used, and why. */
export interface RefusedUrlValue {
  name: string;
  value: string;
  reason: string;
}

export interface UrlState {
  config: SacConfig;
  backend: BackendChoice;
  speed: SpeedSetting;
  /** Every value that was refused, in address order. */
  refused: RefusedUrlValue[];
  /** One message per refused value (`reason` of each). */
  errors: string[];
}

function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
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
  const config: SacConfig = defaultConfig();
  const record = config as unknown as Record<SacConfigKey, number | boolean>;
  const refused: RefusedUrlValue[] = [];
  const refuse = (name: string, value: string, reason: string): void => {
    refused.push({ name, value, reason });
  };
  let backend: BackendChoice = 'auto';
  let speed: SpeedSetting = { mode: 'fast', multiplier: 1 };
  for (const [name, raw] of params) {
    if (name === 'backend') {
      if (isBackendChoice(raw)) backend = raw;
      else refuse(name, raw, `Backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${raw}`);
      continue;
    }
    if (name === 'speed') {
      const parsed = parseSpeed(raw);
      if (typeof parsed === 'string') refuse(name, raw, parsed);
      else speed = parsed;
      continue;
    }
    if (!(name in HYPERPARAMETERS)) {
      refuse(name, raw, `Unknown setting "${name}" in the address`);
      continue;
    }
    const key = name as SacConfigKey;
    const isBoolean = typeof HYPERPARAMETERS[key].defaultValue === 'boolean';
    // A refused boolean reaches the validator as its text, so the message names what was written.
    const value: number | boolean | string = isBoolean ? (parseBoolean(raw) ?? raw) : raw.trim() === '' ? Number.NaN : Number(raw);
    const error = validateHyperparameter(key, value);
    if (error !== null) refuse(name, raw, isBoolean || raw.trim() !== '' ? error : error.replace(/got NaN$/, 'got nothing'));
    else record[key] = value as number | boolean;
  }
  return { config, backend, speed, refused, errors: refused.map((entry) => entry.reason) };
}

export function formatUrlState(state: { config: SacConfig; backend: BackendChoice; speed: SpeedSetting }): string {
  const defaults = defaultConfig();
  const params = new URLSearchParams();
  for (const key of HYPERPARAMETER_KEYS) {
    if (state.config[key] !== defaults[key]) params.set(key, String(state.config[key]));
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
