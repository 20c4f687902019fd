/**
 * The *auto (fastest)* backend choice: measured, not guessed. Each backend that starts trains SAC for a
 * fraction of a second at the run's hidden size (rl/benchmark.ts: act + env step + update, as in a real
 * run) and the fastest wins. Small networks are often faster on wasm than on a GPU, and a software WebGL
 * is always slower, so guessing from the renderer is not enough. PPO and TRPO train outside tfjs, so the
 * race does not bear on their speed (the router tells their runs so: backendNotes.ts). Worker-only module.
 */
import * as tf from '@tensorflow/tfjs';
import { measureTrainingRate } from '../rl/benchmark';
import type { BackendMeasurement, BackendName } from './protocol';

/** Seconds of timed training per backend, after a short warm-up (shader compilation, wasm tiering). */
export const RACE_SECONDS_PER_BACKEND = 0.3;
const RACE_WARMUP_STEPS = 80; // updates start after batch_size (64) steps

/**
 * Measures every candidate with `activate` (which switches tfjs to it, returning a problem or null) and
 * leaves tfjs on the fastest. Returns the winner and every measurement, fastest first.
 */
export async function raceBackends(
  candidates: readonly BackendName[],
  hiddenSize: number,
  activate: (backend: BackendName) => Promise<string | null>,
): Promise<{ winner: BackendName | null; measurements: BackendMeasurement[] }> {
  const measurements: BackendMeasurement[] = [];
  for (const backend of candidates) {
    const problem = await activate(backend);
    if (problem !== null) {
      measurements.push({ backend, updatesPerSecond: null, problem });
      continue;
    }
    try {
      const rate = await measureTrainingRate({ hiddenSize, seconds: RACE_SECONDS_PER_BACKEND, warmupSteps: RACE_WARMUP_STEPS });
      measurements.push({ backend, updatesPerSecond: rate.updatesPerSecond, problem: null });
    } catch (error) {
      measurements.push({ backend, updatesPerSecond: null, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  measurements.sort((a, b) => (b.updatesPerSecond ?? -1) - (a.updatesPerSecond ?? -1));
  const winner = measurements[0]?.updatesPerSecond !== null ? (measurements[0]?.backend ?? null) : null;
  if (winner !== null && tf.getBackend() !== winner) {
    const problem = await activate(winner);
    if (problem !== null) return { winner: null, measurements };
  }
  return { winner, measurements };
}
