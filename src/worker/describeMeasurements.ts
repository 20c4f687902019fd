/**
 * Text of the `fastest` race for the status line: "wasm 212/s, cpu 47/s, webgl 18/s". Kept apart from
 * fastestBackend.ts so the page can use it without importing tfjs.
 */
import type { BackendMeasurement } from './protocol';

export function describeMeasurements(measurements: readonly BackendMeasurement[]): string {
  return measurements
    .map((m) => (m.updatesPerSecond === null ? `${m.backend} did not start` : `${m.backend} ${Math.round(m.updatesPerSecond)}/s`))
    .join(', ');
}
