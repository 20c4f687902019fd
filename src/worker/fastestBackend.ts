/**
 * The race behind the `auto` backend choice: each candidate trains the run's own algorithm for a
 * fraction of a second at its hidden and batch size (rl/benchmark.ts: act + env step + update, as in a
 * real run) and the fastest wins. backendRace.ts decides what races and caches the result; this module
 * only measures. PPO and TRPO train outside tfjs and never race (backendNotes.ts). Worker-only module.
 */
import { measureTrainingRate } from '../rl/benchmark';
import { rankMeasurements } from './backendRace';
import type { BackendMeasurement, BackendName, BackendShape } from './protocol';

/** Seconds of timed training per backend, after a short warm-up (shader compilation, wasm tiering). */
export const RACE_SECONDS_PER_BACKEND = 0.3;
/** Env steps of warm-up beyond the batch size (updates start once the buffer holds a batch). */
const RACE_WARMUP_UPDATES = 16;

/** Steps/s of the active backend (or engine) for `shape`. */
export type MeasureRate = (shape: BackendShape) => Promise<number>;

/** measureTrainingRate for the shape's algorithm, on whatever backend (and SAC engine) is active now. */
export const measureShapeRate: MeasureRate = async (shape) => {
  const algorithm = shape.algorithm === 'ddpg' || shape.algorithm === 'td3' ? shape.algorithm : 'sac';
  const rate = await measureTrainingRate({
    algorithm,
    hiddenSize: shape.hiddenSize,
    batchSize: shape.batchSize,
    seconds: RACE_SECONDS_PER_BACKEND,
    warmupSteps: shape.batchSize + RACE_WARMUP_UPDATES,
  });
  return rate.updatesPerSecond;
};

/**
 * Measures every candidate with `activate` (which switches to it, returning a problem or null) and
 * leaves it on the fastest. Returns the winner and every measurement, fastest first.
 */
export async function raceBackends(
  candidates: readonly BackendName[],
  shape: BackendShape,
  activate: (backend: BackendName) => Promise<string | null>,
  measure: MeasureRate = measureShapeRate,
): Promise<{ winner: BackendName | null; measurements: BackendMeasurement[] }> {
  const measurements: BackendMeasurement[] = [];
  let active: BackendName | null = null;
  for (const backend of candidates) {
    const problem = await activate(backend);
    if (problem !== null) {
      measurements.push({ backend, updatesPerSecond: null, problem });
      continue;
    }
    active = backend;
    try {
      measurements.push({ backend, updatesPerSecond: await measure(shape), problem: null });
    } catch (error) {
      measurements.push({ backend, updatesPerSecond: null, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  const { winner, ranked } = rankMeasurements(measurements);
  // The last one measured is active: switch back to the winner ('kernels' and 'wasm' share tfjs's wasm and differ in the SAC engine).
  if (winner !== null && active !== winner) {
    const problem = await activate(winner);
    if (problem !== null) return { winner: null, measurements: ranked };
  }
  return { winner, measurements: ranked };
}
