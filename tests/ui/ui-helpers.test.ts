import { describe, expect, it } from 'vitest';
import { HYPERPARAMETERS, HYPERPARAMETER_KEYS, defaultConfig, validateHyperparameter } from '../../src/rl/sac/config';
import { formatUrlState, parseUrlState } from '../../src/store/urlState';
import { SLIDER_STEPS, formatParameter, positionToValue, sliderRange, valueToPosition } from '../../src/ui/sliderScale';
import { Smoother, smooth } from '../../src/ui/smoothing';
import { formatDuration } from '../../src/ui/format';

describe('slider scale', () => {
  it('every default sits on the slider and every position gives a valid value', () => {
    for (const key of HYPERPARAMETER_KEYS) {
      const spec = HYPERPARAMETERS[key];
      if (typeof spec.defaultValue === 'boolean') continue;
      const range = sliderRange(spec);
      const defaultPosition = valueToPosition(spec, spec.defaultValue);
      if (defaultPosition > range.min && defaultPosition < range.max) expect(positionToValue(spec, defaultPosition)).toBe(spec.defaultValue);
      for (let position = range.min; position <= range.max; position += Math.max(1, Math.floor((range.max - range.min) / 50))) {
        expect(validateHyperparameter(key, positionToValue(spec, position))).toBeNull();
      }
      expect(positionToValue(spec, range.min)).toBe(spec.min);
      expect(positionToValue(spec, range.max)).toBe(spec.max);
    }
  });

  it('learning rates move evenly per decade', () => {
    const spec = HYPERPARAMETERS.actorLr; // 1e-6 … 1e-1: 5 decades
    expect(positionToValue(spec, SLIDER_STEPS / 5)).toBeCloseTo(1e-5, 12);
    expect(positionToValue(spec, (SLIDER_STEPS * 3) / 5)).toBeCloseTo(1e-3, 12);
    expect(valueToPosition(spec, 1e-4)).toBe((SLIDER_STEPS * 2) / 5);
  });

  it('formats values compactly', () => {
    expect(formatParameter(1e-6)).toBe('1e-6');
    expect(formatParameter(3e-4)).toBe('3e-4');
    expect(formatParameter(0.001)).toBe('0.001');
    expect(formatParameter(0.99)).toBe('0.99');
    expect(formatParameter(10000)).toBe('10000');
    expect(formatParameter(-300)).toBe('-300');
  });
});

describe('TensorBoard smoothing', () => {
  it('weight 0 is the raw series; a constant stays constant (debiased)', () => {
    expect(smooth([1, 5, 3], 0)).toEqual([1, 5, 3]);
    for (const value of smooth([4, 4, 4, 4], 0.9)) expect(value).toBeCloseTo(4, 10);
  });

  it('matches the debiased EMA by hand', () => {
    const smoother = new Smoother(0.5);
    expect(smoother.next(2)).toBeCloseTo(2, 10); // (0.5·2)/(1 − 0.5)
    expect(smoother.next(4)).toBeCloseTo((0.5 * 1 + 0.5 * 4) / (1 - 0.25), 10);
  });
});

describe('URL state', () => {
  it('round-trips non-default settings and writes nothing for defaults', () => {
    expect(formatUrlState({ config: defaultConfig(), backend: 'auto', speed: { mode: 'fast', multiplier: 1 } })).toBe('');
    const config = { ...defaultConfig(), actorLr: 3e-4, stopAtGoal: false, hiddenSize: 32 };
    const hash = formatUrlState({ config, backend: 'wasm', speed: { mode: 'watch', multiplier: 4 } });
    const parsed = parseUrlState(hash);
    expect(parsed.config).toEqual(config);
    expect(parsed.backend).toBe('wasm');
    expect(parsed.speed).toEqual({ mode: 'watch', multiplier: 4 });
    expect(parsed.errors).toEqual([]);
  });

  it('refuses bad values with a message and keeps the default', () => {
    const parsed = parseUrlState('#actorLr=7&hiddenSize=abc&backend=tpu&bogus=1&gamma=0.95');
    expect(parsed.config.actorLr).toBe(defaultConfig().actorLr);
    expect(parsed.config.hiddenSize).toBe(defaultConfig().hiddenSize);
    expect(parsed.config.gamma).toBe(0.95);
    expect(parsed.backend).toBe('auto');
    expect(parsed.errors).toHaveLength(4);
    expect(parsed.errors[0]).toContain('Actor learning rate (actor_lr)');
  });
});

describe('formatDuration', () => {
  it('formats m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75.9)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
