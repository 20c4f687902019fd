/**
 * Which implementation computes a SAC run's networks (issue 11): 'tfjs' (SacAgent, on whichever tfjs
 * backend is active: webgl, wasm or cpu) or 'kernels' (KernelSacAgent: the same update in plain
 * TypeScript over hand-assembled WebAssembly SIMD matrix kernels, with no tfjs kernel per operation).
 *
 * A process-wide setting, like tfjs's own active backend, because it is chosen the same way and at the
 * same moment: the worker's backend selection (src/worker/backend.ts) sets both before a run's agent is
 * created, and the CLI sets both from --backend. SAC_ALGORITHM.createAgent reads it.
 */
export type SacEngine = 'tfjs' | 'kernels';

let current: SacEngine = 'tfjs';

export function setSacEngine(engine: SacEngine): void {
  current = engine;
}

export function sacEngine(): SacEngine {
  return current;
}
