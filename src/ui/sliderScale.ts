/**
 * Slider position ↔ hyperparameter value. Log-scale parameters (learning rates…) move evenly per decade;
 * small integer ranges step by 1; everything else maps 0…SLIDER_STEPS onto the range and rounds to a
 * readable value (2 significant digits on log scales, the step's decimals on linear ones).
 */
import type { ParameterSpec } from '../rl/hyperparameterTable';

export const SLIDER_STEPS = 1000;

type NumericSpec = Pick<ParameterSpec, 'min' | 'max' | 'scale' | 'integer'> & { defaultValue?: number | boolean };

/** Integer ranges this small use the value itself as the slider position. */
function usesDirectPositions(spec: NumericSpec): boolean {
  return spec.integer && spec.scale === 'linear' && spec.max - spec.min <= 2 * SLIDER_STEPS;
}

export function sliderRange(spec: NumericSpec): { min: number; max: number; step: number } {
  if (usesDirectPositions(spec)) return { min: spec.min, max: spec.max, step: 1 };
  return { min: 0, max: SLIDER_STEPS, step: 1 };
}

export function valueToPosition(spec: NumericSpec, value: number): number {
  if (usesDirectPositions(spec)) return Math.min(spec.max, Math.max(spec.min, Math.round(value)));
  let fraction: number;
  if (spec.scale === 'log') {
    const low = Math.log10(spec.min);
    const high = Math.log10(spec.max);
    fraction = (Math.log10(Math.max(value, spec.min)) - low) / (high - low);
  } else {
    fraction = (value - spec.min) / (spec.max - spec.min);
  }
  return Math.min(SLIDER_STEPS, Math.max(0, Math.round(fraction * SLIDER_STEPS)));
}

export function positionToValue(spec: NumericSpec, position: number): number {
  if (usesDirectPositions(spec)) return Math.min(spec.max, Math.max(spec.min, Math.round(position)));
  if (position <= 0) return spec.min;
  if (position >= SLIDER_STEPS) return spec.max;
  // The default's own position gives the default exactly (the lecture's value is reachable by dragging).
  if (typeof spec.defaultValue === 'number' && valueToPosition(spec, spec.defaultValue) === Math.round(position)) return spec.defaultValue;
  const fraction = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  let value: number;
  if (spec.scale === 'log') {
    const low = Math.log10(spec.min);
    const high = Math.log10(spec.max);
    value = Number((10 ** (low + fraction * (high - low))).toPrecision(2));
  } else {
    const step = (spec.max - spec.min) / SLIDER_STEPS;
    const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
    value = Number((spec.min + fraction * (spec.max - spec.min)).toFixed(Math.min(decimals, 12)));
  }
  if (spec.integer) value = Math.round(value);
  return Math.min(spec.max, Math.max(spec.min, value));
}

/** Compact display of a hyperparameter value: 0.001 → "0.001", 1e-6 → "1e-6", 10000 → "10000". */
export function formatParameter(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e7) {
    const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
    return `${Number(Number(mantissa).toPrecision(3))}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(6)));
}
