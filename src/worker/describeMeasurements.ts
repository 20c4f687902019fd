/**
 * The backend in plain words for the status: one sentence that says what computes the run and how it
 * was chosen ("kernels (hand-written WebAssembly kernels) — fastest of 2 measured here: kernels 910,
 * wasm 380 steps/s"), and the details (each candidate, what was left out and why, the WebGL renderer,
 * the browser) for behind a disclosure. Kept apart from the worker's modules so the page can use it
 * without importing tfjs.
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { computesOutsideTfjs } from './backendRace';
import type { BackendMeasurement, BackendMessage, BackendName, BackendShape, MeasuredBackends } from './protocol';

/** Short name (as in the selector and the measurements) and what it is, for a student. */
export const BACKEND_LABELS: Readonly<Record<BackendName, { short: string; plain: string }>> = {
  kernels: { short: 'kernels', plain: 'hand-written WebAssembly kernels' },
  wasm: { short: 'wasm', plain: 'WebAssembly through tfjs' },
  webgl: { short: 'webgl', plain: 'WebGL on the GPU' },
  cpu: { short: 'cpu', plain: 'plain JavaScript through tfjs' },
};

function named(backend: BackendName, softwareWebgl = false): string {
  const label = BACKEND_LABELS[backend];
  return `${label.short} (${backend === 'webgl' && softwareWebgl ? 'WebGL drawn in software, no GPU' : label.plain})`;
}

/** "kernels 910, wasm 380 steps/s" (fastest first, those that did not start last). */
export function describeMeasurements(measurements: readonly BackendMeasurement[]): string {
  const started = measurements.filter((m) => m.updatesPerSecond !== null);
  const failed = measurements.filter((m) => m.updatesPerSecond === null);
  const rates = started.map((m) => `${BACKEND_LABELS[m.backend].short} ${Math.round(m.updatesPerSecond ?? 0)}`).join(', ');
  const parts = [rates === '' ? '' : `${rates} steps/s`, ...failed.map((m) => `${BACKEND_LABELS[m.backend].short} did not start`)];
  return parts.filter((part) => part !== '').join('; ');
}

/** "25 Nov" (day and month, as a student reads a date). */
export function measuredOn(measuredAt: number): string {
  return new Date(measuredAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

function shapeText(shape: BackendShape): string {
  return `${ALGORITHMS[shape.algorithm].label}, hidden ${shape.hiddenSize}, batch ${shape.batchSize}${shape.members > 1 ? `, ${shape.members} runs at once` : ''}`;
}

/** How the measurement reads in a sentence: "fastest of 2 measured here: …" (null when nothing was raced). */
export function measuredPhrase(measured: MeasuredBackends, cached: boolean): string {
  if (measured.measurements.length === 0) return 'the only backend worth trying here, so nothing was measured';
  const raced = measured.measurements.length;
  const when = cached ? ` (measured on ${measuredOn(measured.measuredAt)}, cached)` : '';
  return `fastest of ${raced} measured here: ${describeMeasurements(measured.measurements)}${when}`;
}

/** The status's one sentence about the backend of a run of `algorithm` (null: not known). */
export function backendSentence(message: BackendMessage, algorithm: AlgorithmId | null): string {
  const label = algorithm === null ? null : ALGORITHMS[algorithm].label;
  if (algorithm !== null && computesOutsideTfjs(algorithm)) {
    return `${BACKEND_LABELS[message.backend].short} — ${label ?? 'this run'} computes outside tfjs (plain JavaScript and WebAssembly), so the backend does not change its speed`;
  }
  if (message.backend === 'kernels' && algorithm !== null && algorithm !== 'sac') {
    // The kernels are SAC's only; under auto, the worker's backend was measured for its first run (SAC).
    const why = message.requested === 'auto' ? ', and this worker was measured for a SAC run' : '';
    return `wasm (${BACKEND_LABELS.wasm.plain}) — ${label ?? 'this run'} has no hand-written kernels (SAC only)${why}, so it trains on tfjs's wasm`;
  }
  const name = named(message.backend, message.softwareRenderer);
  if (message.fallbackReason !== null) return `${name} — instead of ${message.requested}`;
  if (message.requested === 'auto' && message.measured) return `${name} — ${measuredPhrase(message.measured, message.cached === true)}`;
  return `${name} — as chosen`;
}

/** The details behind the disclosure: each candidate, what was left out and why, where it was measured. */
export function backendDetails(message: BackendMessage): string[] {
  const lines: string[] = [];
  const measured = message.measured ?? null;
  if (measured !== null) {
    for (const m of measured.measurements) {
      lines.push(
        m.updatesPerSecond === null
          ? `${named(m.backend)}: did not start (${m.problem ?? 'unknown problem'})`
          : `${named(m.backend)}: ${Math.round(m.updatesPerSecond)} training steps/s`,
      );
    }
    for (const skipped of measured.skipped) lines.push(`${BACKEND_LABELS[skipped.backend].short}: ${skipped.reason}`);
    const when = new Date(measured.measuredAt).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    lines.push(`${message.cached === true ? 'Measured earlier and cached' : 'Measured when this worker started'}: ${when}, for ${shapeText(measured.shape)}`);
    lines.push(`Browser: ${measured.userAgent}`);
  }
  lines.push(message.renderer === null ? 'WebGL: none in this browser' : `WebGL renderer: ${message.renderer}${message.softwareRenderer ? ' (software, no GPU)' : ''}`);
  return lines;
}

/** What "Measure again" found, as one sentence. */
export function remeasuredSentence(measured: MeasuredBackends): string {
  if (computesOutsideTfjs(measured.shape.algorithm)) {
    return `${ALGORITHMS[measured.shape.algorithm].label} trains outside tfjs: no backend changes its speed, so there is nothing to measure.`;
  }
  return `Measured again for ${shapeText(measured.shape)}: ${BACKEND_LABELS[measured.winner].short} is the ${measured.measurements.length === 0 ? 'only backend worth trying' : `fastest of ${measured.measurements.length} (${describeMeasurements(measured.measurements)})`}; runs of this shape started from now on use it.`;
}
