/**
 * The `auto` backend choice, as plain logic with its effects injected (so Node tests drive it with fake
 * measurements): which backends are worth measuring for a run's shape, the cache key of a measurement,
 * and the selection itself: a cached result for this browser, GPU and shape is used as is; otherwise the
 * candidates race (fastestBackend.ts) and the fastest is kept.
 *
 * Why measure: for one small network (hidden 64, batch 64) each tfjs kernel's fixed cost dominates, so
 * a GPU is often slower than wasm there, and a software WebGL (SwiftShader, llvmpipe) always is. SAC's
 * hand-written WebAssembly kernels avoid tfjs's per-op cost altogether. Guessing from the renderer is
 * not enough; a short race at the run's own shape is.
 *
 * No tfjs here: backend.ts supplies the real probe, activation and measurement.
 */
import type { AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import type { BackendMeasurement, BackendName, BackendShape, MeasuredBackends, SkippedBackend } from './protocol';

/** Bump when the measuring code changes what it measures: cached results of older versions are ignored. */
export const MEASUREMENT_VERSION = 1;

/** What the worker knows of WebGL before any backend starts (backend.ts's probeWebgl). */
export interface WebglFacts {
  available: boolean;
  renderer: string | null;
  software: boolean;
  /** Why WebGL is not available; null when it is. */
  problem: string | null;
}

/** The cache key of a measurement: the browser (user agent), its GPU (WebGL renderer), the shape and the measuring code's version. */
export function backendCacheKey(userAgent: string, renderer: string | null, shape: BackendShape): string {
  return JSON.stringify([MEASUREMENT_VERSION, userAgent, renderer ?? 'no WebGL', shape.algorithm, shape.hiddenSize, shape.batchSize, shape.members]);
}

/** The cached measurement for `key`, or null (a malformed entry or one of another version never matches). */
export function findCachedMeasurement(entries: readonly unknown[] | undefined, key: string): MeasuredBackends | null {
  for (const entry of entries ?? []) {
    if (isMeasuredBackends(entry) && entry.key === key && entry.version === MEASUREMENT_VERSION) return entry;
  }
  return null;
}

/** Shape check of data that came from storage or over postMessage. */
export function isMeasuredBackends(value: unknown): value is MeasuredBackends {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<MeasuredBackends>;
  return (
    typeof entry.key === 'string' &&
    typeof entry.version === 'number' &&
    typeof entry.measuredAt === 'number' &&
    typeof entry.winner === 'string' &&
    Array.isArray(entry.measurements) &&
    Array.isArray(entry.skipped) &&
    typeof entry.shape === 'object' &&
    entry.shape !== null
  );
}

export interface RacePlan {
  /** Raced in this order. Empty: nothing to race (the run computes outside tfjs). */
  candidates: BackendName[];
  /** Left out, each with its reason. */
  skipped: SkippedBackend[];
  /** Started when every candidate fails (cpu, the backend that always runs). */
  lastResort: BackendName[];
}

/** PPO and TRPO train outside tfjs (rl/onPolicy/): no backend changes their speed. */
export function computesOutsideTfjs(algorithm: AlgorithmId): boolean {
  return ALGORITHM_SETTINGS[algorithm].family === 'on-policy';
}

/** Which backends are worth measuring for `shape` on this browser. */
export function planRace(shape: BackendShape, webgl: WebglFacts): RacePlan {
  if (computesOutsideTfjs(shape.algorithm)) {
    // PPO/TRPO compute in plain JS + WebAssembly: tfjs only builds their exported files (backendNotes.ts).
    return { candidates: [], skipped: [], lastResort: ['wasm', 'cpu'] };
  }
  const candidates: BackendName[] = [];
  const skipped: SkippedBackend[] = [];
  if (!webgl.available) skipped.push({ backend: 'webgl', reason: `not measured: no WebGL here (${webgl.problem ?? 'unavailable'})` });
  else if (webgl.software) skipped.push({ backend: 'webgl', reason: 'not measured: WebGL here is drawn in software, without a GPU, and is always far slower than WebAssembly' });
  else candidates.push('webgl');
  if (shape.algorithm === 'sac') candidates.push('kernels');
  candidates.push('wasm');
  skipped.push({ backend: 'cpu', reason: 'not measured: plain JavaScript does the same work as WebAssembly several times slower (used only if WebAssembly fails)' });
  return { candidates, skipped, lastResort: ['cpu'] };
}

/** Measurements sorted fastest first (those that did not start last), and the winner (null when none started). */
export function rankMeasurements(measurements: readonly BackendMeasurement[]): { winner: BackendName | null; ranked: BackendMeasurement[] } {
  const ranked = [...measurements].sort((a, b) => (b.updatesPerSecond ?? -1) - (a.updatesPerSecond ?? -1));
  const first = ranked[0];
  return { winner: first !== undefined && first.updatesPerSecond !== null ? first.backend : null, ranked };
}

/** What the measured selection needs from its host (the worker: backend.ts; tests: fakes). */
export interface MeasuredSelectionDeps {
  webgl: WebglFacts;
  userAgent: string;
  /** ms since 1970. */
  now: () => number;
  /** Switches to `backend`; returns a problem, or null when it runs. */
  activate: (backend: BackendName) => Promise<string | null>;
  /** Races `candidates` (each activated with `activate`), leaving the winner active. */
  race: (candidates: readonly BackendName[]) => Promise<{ winner: BackendName | null; measurements: BackendMeasurement[] }>;
}

export interface MeasuredSelection {
  backend: BackendName;
  measured: MeasuredBackends;
  cached: boolean;
}

/**
 * `auto`: the cached result for this browser, GPU and shape when there is one (and its winner still
 * starts); otherwise a race among the plan's candidates. Throws only when no backend starts at all.
 */
export async function selectMeasured(shape: BackendShape, cachedEntries: readonly unknown[] | undefined, deps: MeasuredSelectionDeps): Promise<MeasuredSelection> {
  const key = backendCacheKey(deps.userAgent, deps.webgl.renderer, shape);
  const cached = findCachedMeasurement(cachedEntries, key);
  if (cached !== null && (await deps.activate(cached.winner)) === null) return { backend: cached.winner, measured: cached, cached: true };

  const plan = planRace(shape, deps.webgl);
  const base = { version: MEASUREMENT_VERSION, key, shape: { ...shape }, userAgent: deps.userAgent, renderer: deps.webgl.renderer };
  const problems: BackendMeasurement[] = [];
  if (plan.candidates.length > 1) {
    const { winner, measurements } = await deps.race(plan.candidates);
    const { ranked } = rankMeasurements(measurements);
    if (winner !== null) return { backend: winner, measured: { ...base, measuredAt: deps.now(), winner, measurements: ranked, skipped: plan.skipped }, cached: false };
    problems.push(...ranked);
  }
  // One candidate (nothing to race against), none (outside tfjs), or none of the raced started: the first that starts.
  const order = plan.candidates.length === 1 ? [...plan.candidates, ...plan.lastResort] : plan.lastResort;
  const skipped = [...plan.skipped];
  for (const problem of problems) skipped.push({ backend: problem.backend, reason: `did not start: ${problem.problem ?? 'unknown problem'}` });
  for (const backend of order) {
    const problem = await deps.activate(backend);
    if (problem === null) return { backend, measured: { ...base, measuredAt: deps.now(), winner: backend, measurements: [], skipped }, cached: false };
    skipped.push({ backend, reason: `did not start: ${problem}` });
  }
  throw new Error(`No backend could start: ${skipped.filter((entry) => entry.reason.startsWith('did not start')).map((entry) => `${entry.backend} ${entry.reason}`).join('; ')}`);
}
