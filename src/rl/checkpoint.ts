/**
 * CONTRACT (filled in by the rl work of issue 7): the complete state of a run as plain data, so a run can
 * be saved (IndexedDB, a run file), moved between workers, and resumed to exactly the episode metrics an
 * uninterrupted run would have produced (on the cpu backend, bit for bit).
 *
 * Plain data only: numbers, strings, booleans, null, arrays, plain objects and Float32Array /
 * Float64Array / Uint32Array. No tensors, no class instances: it must survive structured clone
 * (postMessage, IndexedDB) and the run-file encoding (typed arrays stored as binary entries).
 *
 * The Trainer provides:
 *   trainer.checkpoint(): TrainerCheckpoint                 (reads tensors back; call between slices)
 *   Trainer.restore(checkpoint: TrainerCheckpoint): Promise<Trainer>   (validates first; throws Error naming what is wrong)
 *   trainer.actorParameters('final' | 'best'): Float32Array | null      (flat actor weights)
 * and this module:
 *   validateCheckpoint(value: unknown): TrainerCheckpoint   (throws Error with a clear message for foreign/malformed data)
 *   checkpointTransferables(checkpoint): ArrayBuffer[]       (the typed arrays' buffers, to transfer over postMessage)
 */
import type { AlgorithmId } from './algorithm';
import type { SacConfig } from './sac/config';
import type { StopReason } from './types';

/** Bumped whenever the shape changes; restore refuses other versions with a message. */
export const CHECKPOINT_VERSION = 1;

export interface TrainerCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  algorithm: AlgorithmId;
  /** The run's config including live changes made so far. */
  config: SacConfig;
  counters: {
    totalSteps: number;
    episodesDone: number;
    updates: number;
    /** Seconds spent inside runFor so far (the wallSeconds metric continues from here). */
    trainingSeconds: number;
  };
  stopReason: StopReason | null;
  goalReachedAtEpisode: number | null;
  /** Every episode score so far (the 100- and 10-episode means and the stop rule need them). */
  scores: number[];
  /** Everything else, owned by the rl implementation: rng, env, observation, episode accumulators, buffer, agent (networks, Adam moments, log α), best actor. */
  state: Record<string, unknown>;
}
