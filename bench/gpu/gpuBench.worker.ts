/**
 * The GPU bench's Web Worker (bench/gpu/README.md): tfjs on webgl and wasm, SAC single runs
 * (src/rl/trainer.ts, tfjs engine) and SAC populations (src/rl/population/) timed in a dedicated worker,
 * as the playground's own training worker runs them; plus backend 'kernels' (single runs only): the SAC
 * engine 'kernels' (KernelSacAgent, hand-written WebAssembly SIMD kernels) with tfjs left on wasm, as
 * src/worker/backend.ts's activateBackend('kernels') sets it. Populations are tfjs-only (no kernel
 * population exists), so a plan's `members` are skipped for 'kernels'. Bundled by bench/gpu/build.ts; the page (page.ts)
 * sends one `{ plan }` message and relays every message this worker posts to the local server.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { defaultMatMulMode } from '../../src/rl/population/batchedMath';
import { PopulationTrainer } from '../../src/rl/population/populationTrainer';
import { makeConfig } from '../../src/rl/sac/config';
import { sacEngine, setSacEngine } from '../../src/rl/sac/engine';
import { createWasmSacHeap } from '../../src/rl/sac/kernel/sacHeap';
import { Trainer } from '../../src/rl/trainer';

export interface Plan {
  backends: string[];
  /** Hidden sizes of the single-run rows. */
  hidden: number[];
  /** Population sizes K. */
  members: number[];
  /** Timed seconds per row (K >= 32 rows get twice as long). */
  seconds: number;
  rounds: number;
  /** Env steps before each timing (updates start after step 64; the first ones compile WebGL shaders). */
  warm?: number;
  /** Only report the renderer strings and tfjs's backend, then 'done' (to find Chromium flags that reach the GPU). */
  probe?: boolean;
}

export interface Row {
  backend: string;
  trainer: 'single' | 'population';
  hidden: number;
  members: number;
  matMulMode: string | null;
  /** Aggregate env steps/s per round (each env step with one SAC update, batch 64). */
  rates: number[];
}

const post = (message: Record<string, unknown>): void => (self as unknown as Worker).postMessage(message);
const log = (line: string): void => post({ type: 'log', line });

// The wasm binaries sit next to this bundle (build.ts copies them); single-threaded SIMD as the app uses.
setWasmPaths(new URL('./', self.location.href).href);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setSacEngine('tfjs');

function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const value: unknown = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof value === 'string' ? value : null;
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

/** Waits for every queued GPU command (a read-back after them; a no-op cost on wasm). */
async function settle(): Promise<void> {
  const t = tf.zeros([1]);
  await t.data();
  t.dispose();
}

/** Env steps/s over about `seconds`, after `warmSteps` (updates start once steps > batch 64). */
async function timeRun(step: (n: number) => number, seconds: number, warmSteps: number): Promise<number> {
  step(warmSteps);
  await settle();
  let steps = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) steps += step(1);
  await settle();
  return steps / ((performance.now() - started) / 1000);
}

async function single(hidden: number, seconds: number, warm: number): Promise<number> {
  const trainer = await Trainer.create(makeConfig({ seed: 1, hiddenSize: hidden, stopAtGoal: false }));
  try {
    return await timeRun((n) => trainer.runFor(n).steps, seconds, warm);
  } finally {
    trainer.dispose();
  }
}

/** What computes a single run's SAC update now: the agent's class, and for KernelSacAgent its heap's kind ('wasm-simd' or JS). */
async function singleAgentKind(): Promise<string> {
  const trainer = await Trainer.create(makeConfig({ seed: 1, hiddenSize: 64, stopAtGoal: false }));
  try {
    const agent = trainer.agent as unknown as { constructor: { name: string }; heap?: { kind?: string } };
    const heap = agent.heap ? ` (heap ${agent.heap.kind ?? 'js'})` : '';
    return `${sacEngine()}: ${agent.heap ? 'KernelSacAgent' : 'SacAgent'}${heap}`;
  } finally {
    trainer.dispose();
  }
}

async function population(members: number, hidden: number, seconds: number, warm: number): Promise<{ rate: number; mode: string }> {
  const mode = defaultMatMulMode(tf.getBackend());
  const configs = Array.from({ length: members }, (_, k) => makeConfig({ seed: k + 1, hiddenSize: hidden, stopAtGoal: false }));
  const trainer = await PopulationTrainer.create(configs, { matMulMode: mode });
  try {
    const rate = await timeRun((n) => trainer.runFor(n).steps * members, seconds * (members >= 32 ? 2 : 1), warm);
    return { rate, mode };
  } finally {
    trainer.dispose();
  }
}

async function run(plan: Plan): Promise<void> {
  const rows: Row[] = [];
  const renderer = webglRenderer();
  const meta: Record<string, unknown> = {
    tfjsVersion: tf.version.tfjs,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    workerWebglRenderer: renderer,
  };
  post({ type: 'meta', meta });
  log(`worker: WebGL renderer ${renderer}; tfjs ${tf.version.tfjs}`);
  const rowFor = (r: Omit<Row, 'rates'>): Row => {
    let found = rows.find((x) => x.backend === r.backend && x.trainer === r.trainer && x.hidden === r.hidden && x.members === r.members);
    if (!found) rows.push((found = { ...r, rates: [] }));
    return found;
  };
  for (const backend of plan.backends) {
    // 'kernels' = tfjs on wasm (for the settle read-back only) + SAC's kernel engine, as the app's worker sets it.
    const kernels = backend === 'kernels';
    const tfBackend = kernels ? 'wasm' : backend;
    const ok = await tf.setBackend(tfBackend).catch(() => false);
    await tf.ready();
    if (!ok || tf.getBackend() !== tfBackend) {
      log(`backend ${backend} did not start (tfjs ${tfBackend}; active: ${tf.getBackend()})`);
      continue;
    }
    setSacEngine(kernels ? 'kernels' : 'tfjs');
    const engines = (meta.sacEngines ?? {}) as Record<string, string>;
    engines[backend] = await singleAgentKind();
    if (kernels) engines.kernelsWasmSimd = createWasmSacHeap() !== null ? 'yes' : 'no (plain-JS fallback)';
    meta.sacEngines = engines;
    post({ type: 'meta', meta });
    log(`backend ${backend}: tfjs ${tf.getBackend()}, SAC ${engines[backend]}`);
    if (kernels && plan.members.length > 0 && !plan.probe) {
      log(`kernels: populations skipped (K = ${plan.members.join(', ')}): the kernel engine has no population; PopulationTrainer is tfjs-only`);
    }
    if (backend === 'webgl') {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      meta.tfjsWebglRenderer = gl && info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null;
      meta.webglVersion = tf.env().get('WEBGL_VERSION');
      post({ type: 'meta', meta });
    }
    if (plan.probe) continue;
    for (let round = 0; round < plan.rounds; round++) {
      for (const hidden of plan.hidden) {
        const rate = await single(hidden, plan.seconds, plan.warm ?? 100);
        rowFor({ backend, trainer: 'single', hidden, members: 1, matMulMode: null }).rates.push(rate);
        log(`${backend} round ${round + 1}: single hidden ${hidden}: ${rate.toFixed(1)} env steps/s`);
      }
      for (const members of kernels ? [] : plan.members) {
        const { rate, mode } = await population(members, 64, plan.seconds, plan.warm ?? 100);
        rowFor({ backend, trainer: 'population', hidden: 64, members, matMulMode: mode }).rates.push(rate);
        log(`${backend} round ${round + 1}: population K=${members} (${mode}): ${rate.toFixed(1)} aggregate env steps/s`);
      }
      post({ type: 'rows', rows, meta });
    }
  }
  post({ type: 'done', rows, meta });
}

self.onmessage = (event: MessageEvent<{ plan: Plan }>) => {
  run(event.data.plan).catch((error: unknown) => post({ type: 'error', error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }));
};
