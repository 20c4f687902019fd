/**
 * Backend selection inside the worker. `auto` (the default) is measured, not guessed (backendRace.ts):
 * the page's cached result for this browser, GPU and run shape when there is one, else a short race of
 * the backends worth trying at the run's own algorithm, hidden and batch size. An explicit choice is
 * honoured when it starts, and falls back to wasm, then cpu, when it does not.
 *
 * Besides tfjs's webgl, wasm and cpu there is `kernels`: SAC's hand-written WebAssembly kernels
 * (rl/sac/engine.ts), with tfjs on wasm (cpu if wasm fails) for the maps and exported files. Activating
 * any backend sets the SAC engine with it. Worker-only module: it imports tfjs and its backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
// wasm binaries' URLs, single-threaded on purpose (also when cross-origin isolated): see wasmSetup.ts.
import './wasmSetup';
import { setSacEngine } from '../rl/sac/engine';
import { selectMeasured, type WebglFacts } from './backendRace';
import { raceBackends } from './fastestBackend';
import type { BackendChoice, BackendMessage, BackendName, BackendShape, MeasuredBackends } from './protocol';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

export type WebglProbe = WebglFacts;

/** Creates a throwaway WebGL context on an OffscreenCanvas to read the renderer, then releases it. */
export function probeWebgl(): WebglProbe {
  if (typeof OffscreenCanvas === 'undefined') {
    return { available: false, renderer: null, software: false, problem: 'this browser has no OffscreenCanvas in workers' };
  }
  let gl: WebGL2RenderingContext | WebGLRenderingContext | null = null;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    gl = canvas.getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
  } catch (error) {
    return { available: false, renderer: null, software: false, problem: `creating a WebGL context failed (${errorText(error)})` };
  }
  if (gl === null) return { available: false, renderer: null, software: false, problem: 'WebGL is disabled or unavailable' };
  let renderer: string | null = null;
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const value: unknown = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    renderer = typeof value === 'string' ? value : null;
  } catch {
    renderer = null;
  }
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  const software = renderer !== null && SOFTWARE_RENDERER.test(renderer);
  return { available: true, renderer, software, problem: null };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function trySetBackend(name: 'webgl' | 'wasm' | 'cpu'): Promise<string | null> {
  try {
    if (tf.getBackend() === name) return null;
    const ok = await tf.setBackend(name);
    if (!ok) return `the ${name} backend failed to initialise`;
    await tf.ready();
    // A trivial op proves the backend really runs (a broken WebGL can pass initialisation).
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
    const value = (await probe.data())[0];
    probe.dispose();
    if (value !== 2) return `the ${name} backend computed 1 + 1 = ${String(value)}`;
    return null;
  } catch (error) {
    return `the ${name} backend failed: ${errorText(error)}`;
  }
}

/**
 * Switches the worker to `name`: tfjs's backend and the SAC engine together. `kernels` = tfjs on wasm
 * (cpu if wasm fails) + the hand-written SAC engine; any other = that tfjs backend + SAC on tfjs.
 */
export async function activateBackend(name: BackendName): Promise<string | null> {
  if (name !== 'kernels') {
    const problem = await trySetBackend(name);
    if (problem === null) setSacEngine('tfjs');
    return problem;
  }
  if (typeof WebAssembly !== 'object') return 'the kernels need WebAssembly, which this browser lacks';
  const wasmProblem = await trySetBackend('wasm');
  if (wasmProblem !== null && (await trySetBackend('cpu')) !== null) return `the kernels could not start tfjs for the maps and files (${wasmProblem})`;
  setSacEngine('kernels');
  return null;
}

/** Activates a backend for `choice`, falling back as described above. Throws only if none starts. */
export async function selectBackend(choice: BackendChoice, shape: BackendShape, cached: readonly MeasuredBackends[] = []): Promise<BackendMessage> {
  const probe = probeWebgl();
  if (choice === 'auto') return selectAuto(probe, shape, cached);
  const reasons: string[] = [];
  // Forced webgl is tried even on a software renderer; tfjs reports if it cannot start.
  const candidates: BackendName[] = choice === 'cpu' ? ['cpu'] : [choice, ...(['wasm', 'cpu'] as const).filter((name) => name !== choice)];
  for (const name of candidates) {
    const problem = await activateBackend(name);
    if (problem === null) {
      return {
        type: 'backend',
        runId: null, // the worker names the session that asked
        requested: choice,
        backend: name,
        renderer: probe.renderer,
        softwareRenderer: probe.software,
        fallbackReason: name !== choice ? `${reasons.join('; ')}: training on ${name}` : null,
      };
    }
    reasons.push(problem.charAt(0).toUpperCase() + problem.slice(1));
  }
  throw new Error(`No tfjs backend could start: ${reasons.join('; ')}`);
}

/** `auto`: cached or measured now (backendRace.ts). */
async function selectAuto(probe: WebglProbe, shape: BackendShape, cached: readonly MeasuredBackends[]): Promise<BackendMessage> {
  const selection = await measuredSelection(probe, shape, cached);
  return {
    type: 'backend',
    runId: null, // the worker names the session that asked
    requested: 'auto',
    backend: selection.backend,
    renderer: probe.renderer,
    softwareRenderer: probe.software,
    fallbackReason: null,
    measured: selection.measured,
    cached: selection.cached,
  };
}

/** "Measure again" (a worker that hosts no run): a fresh race for `shape`, the cache ignored. */
export async function measureBackendsNow(shape: BackendShape): Promise<MeasuredBackends> {
  return (await measuredSelection(probeWebgl(), shape, [])).measured;
}

function measuredSelection(probe: WebglProbe, shape: BackendShape, cached: readonly MeasuredBackends[]): ReturnType<typeof selectMeasured> {
  return selectMeasured(shape, cached, {
    webgl: probe,
    userAgent: typeof navigator === 'undefined' ? 'unknown browser' : navigator.userAgent,
    now: () => Date.now(),
    activate: activateBackend,
    race: (candidates) => raceBackends(candidates, shape, activateBackend),
  });
}

/**
 * Calls `onLost` when the active WebGL backend loses its context. Returns a function that stops
 * listening. No-op for other backends.
 */
export function watchWebglContext(onLost: () => void): () => void {
  if (tf.getBackend() !== 'webgl') return () => undefined;
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: unknown } } };
  const canvas = backend.gpgpu?.gl?.canvas;
  if (!(typeof OffscreenCanvas !== 'undefined' && canvas instanceof OffscreenCanvas)) return () => undefined;
  const listener = (): void => onLost();
  canvas.addEventListener('webglcontextlost', listener);
  return () => canvas.removeEventListener('webglcontextlost', listener);
}

/**
 * TEST HOOK (protocol's `debugLoseWebglContext`): loses tfjs's WebGL context for real through
 * WEBGL_lose_context, as a GPU reset or driver crash would. Returns why it could not, or null.
 */
export function loseWebglContextForTest(): string | null {
  if (tf.getBackend() !== 'webgl') return `the worker trains on ${tf.getBackend()}, not WebGL`;
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext } };
  const gl = backend.gpgpu?.gl;
  if (!gl) return "tfjs's WebGL context could not be reached";
  const extension = gl.getExtension('WEBGL_lose_context');
  if (!extension) return 'the WEBGL_lose_context extension is not available';
  extension.loseContext();
  return null;
}
