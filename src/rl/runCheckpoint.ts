/**
 * A saved run of any algorithm, as the page stores it and the worker restores it: the off-policy
 * trainer's checkpoint (SAC, DDPG, TD3; checkpoint.ts) or the on-policy one (PPO, TRPO;
 * onPolicy/checkpoint.ts). Both carry `algorithm`, `config`, `counters`, `stopReason`,
 * `goalReachedAtEpisode`, `scores` and an implementation-owned `state`.
 */
import type { TrainerCheckpoint } from './checkpoint';
import type { RunConfig } from './hyperparameterTable';
import type { OnPolicyCheckpoint } from './onPolicy/checkpoint';
import type { OnPolicyConfig } from './onPolicy/config';
import { isPlainObject } from './plainData';

export type RunCheckpoint = TrainerCheckpoint<RunConfig> | OnPolicyCheckpoint<OnPolicyConfig>;

/**
 * The distinct ArrayBuffers behind a checkpoint's typed arrays, to pass as postMessage's transfer
 * list (the arrays are then unusable on the sending side: send a checkpoint you no longer need).
 */
export function runCheckpointTransferables(checkpoint: RunCheckpoint): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    } else if (Array.isArray(value)) {
      // Score lists and other number arrays hold no buffers: skip them without walking each number.
      if (value.length > 0 && typeof value[0] !== 'number') value.forEach(visit);
    } else if (isPlainObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  visit(checkpoint.state);
  return [...buffers];
}
