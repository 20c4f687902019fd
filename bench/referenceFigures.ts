/**
 * The figures the bench compares every row with (issue 11, goal 5), and where each comes from. A figure
 * measured in the same bench run is preferred; where it cannot be measured on this machine, the row's
 * ratio is taken against the recorded figure below and the report names it and its source.
 */
export interface ReferenceFigure {
  /** Short name in the table header. */
  name: string;
  /** Env steps per second with one SAC update per step (hidden 64, batch 64). */
  envStepsPerSecond: number;
  /** Where the figure comes from, in one sentence. */
  source: string;
}

/**
 * RLtools (C++ compiled to WebAssembly, its web demo's SAC at hidden 64, batch 64) in a headless Chromium
 * worker on this 2-core machine. RLtools is not an npm package and this machine reaches only the npm and
 * Debian registries, so the bench cannot run it: it is the figure of /work/shared/PLATFORM-NOTES.md and issue 11.
 */
export const RLTOOLS_WASM: ReferenceFigure = {
  name: 'RLtools WASM',
  envStepsPerSecond: 710,
  source: "RLtools' SAC compiled to WebAssembly in a Chromium worker on this machine, hidden 64, batch 64, as recorded in PLATFORM-NOTES.md and issue 11 (2026-11-25); RLtools cannot be installed here, so it is not re-measured",
};

/**
 * The lecture's PyTorch SAC, one thread: bench/pytorch_reference.py measures it in the same run when
 * Debian's python3-torch is installed (`apt-get install python3-torch`); otherwise this recorded figure.
 */
export const PYTORCH_RECORDED: ReferenceFigure = {
  name: 'PyTorch',
  envStepsPerSecond: 375,
  source: "the lecture's PyTorch SAC (1 thread) on this machine, as recorded in PLATFORM-NOTES.md (2026-11-25); python3-torch was not installed for this run",
};

/** `value / reference` to 2 digits, or '—'. */
export function ratioText(value: number | null | undefined, reference: number | null | undefined): string {
  if (value === null || value === undefined || reference === null || reference === undefined) return '—';
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return '—';
  return `${(value / reference).toFixed(2)}×`;
}
