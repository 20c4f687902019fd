/**
 * What the worker's tfjs backend means for a run, said once when its session is created. PPO and TRPO
 * train outside tfjs, on the CPU (Float64Array networks, rl/onPolicy/): the backend (WebGL, wasm, cpu)
 * does not change their speed, so the measured `auto` choice races nothing for them (backendRace.ts);
 * tfjs only builds their exported actor files. SAC, DDPG and TD3 train on the backend: nothing to add.
 */
import { ALGORITHMS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import type { BackendName } from './protocol';

export function outsideTfjsNote(algorithm: AlgorithmId, backend: BackendName): string | null {
  if (ALGORITHM_SETTINGS[algorithm].family !== 'on-policy') return null;
  // 'kernels' is SAC's engine; for tfjs it means wasm.
  const tfjsBackend = backend === 'kernels' ? 'wasm' : backend;
  return `${ALGORITHMS[algorithm].label} trains on the CPU outside tfjs: the ${tfjsBackend} backend only builds its exported actor files and does not change its speed.`;
}
