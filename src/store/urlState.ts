/**
 * Hyperparameters, backend and speed in the URL hash (like TensorFlow Playground), so a setting can be
 * shared or bookmarked: `#actorLr=0.0003&backend=wasm`. Only values that differ from the defaults are
 * written. Reading validates every value with the hyperparameter table; bad ones are reported, not used.
 */
import { HYPERPARAMETERS, HYPERPARAMETER_KEYS, defaultConfig, validateHyperparameter, type SacConfig, type SacConfigKey } from '../rl/sac/config';
import { BACKEND_CHOICES, normalizeSpeed, type BackendChoice, type SpeedSetting } from '../worker/protocol';

export interface UrlState {
  config: SacConfig;
  backend: BackendChoice;
  speed: SpeedSetting;
  /** One message per value that was refused. */
  errors: string[];
}

function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

export function parseUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const config: SacConfig = defaultConfig();
  const record = config as unknown as Record<SacConfigKey, number | boolean>;
  const errors: string[] = [];
  let backend: BackendChoice = 'auto';
  let speed: SpeedSetting = { mode: 'fast', multiplier: 1 };
  for (const [name, raw] of params) {
    if (name === 'backend') {
      if (isBackendChoice(raw)) backend = raw;
      else errors.push(`Backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${raw}`);
      continue;
    }
    if (name === 'speed') {
      const [mode, multiplier] = raw.split('x');
      speed = normalizeSpeed({ mode: mode === 'watch' ? 'watch' : 'fast', multiplier: Number(multiplier ?? 1) });
      continue;
    }
    if (!(name in HYPERPARAMETERS)) {
      errors.push(`Unknown setting "${name}" in the address`);
      continue;
    }
    const key = name as SacConfigKey;
    const isBoolean = typeof HYPERPARAMETERS[key].defaultValue === 'boolean';
    const value: number | boolean = isBoolean ? raw === 'true' || raw === '1' : raw.trim() === '' ? Number.NaN : Number(raw);
    const error = validateHyperparameter(key, value);
    if (error !== null) errors.push(error);
    else record[key] = value;
  }
  return { config, backend, speed, errors };
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
