/**
 * What the worker's tfjs backend means for a run, said once when its session is created. PPO and TRPO
 * train outside tfjs, on the CPU (Float64Array networks, rl/onPolicy/): the backend (WebGL, wasm, cpu,
 * or the one the `fastest` race picked by timing SAC) does not change their speed; tfjs only builds
 * their exported actor files. SAC, DDPG and TD3 train on the backend: nothing to add for them.
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import type { BackendName } from './protocol';

export function outsideTfjsNote(algorithm: AlgorithmId, backend: BackendName): string | null {
  if (ALGORITHM_SETTINGS[algorithm].family !== 'on-policy') return null;
  return `${ALGORITHMS[algorithm].label} trains on the CPU outside tfjs: the ${backend} backend only builds its exported actor files and does not change its speed.`;
}
