/**
 * tfjs backend selection inside the worker. `auto`: WebGL when the machine has a hardware renderer;
 * with no WebGL, or only a software one (SwiftShader, llvmpipe: slower than wasm), wasm, then cpu.
 * An explicit choice is honoured when it starts, and falls back the same way when it does not.
 * Worker-only module: it imports tfjs and its backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
// wasm binaries' URLs, single-threaded on purpose (also when cross-origin isolated): see wasmSetup.ts.
import './wasmSetup';
import { raceBackends } from './fastestBackend';
import type { BackendChoice, BackendMessage, BackendName } from './protocol';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

export interface WebglProbe {
  available: boolean;
  renderer: string | null;
  software: boolean;
  /** Why WebGL is not available; null when it is. */
  problem: string | null;
}

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

async function trySetBackend(name: BackendName): Promise<string | null> {
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

/** Activates a backend for `choice`, falling back as described above. Throws only if none starts. */
export async function selectBackend(choice: BackendChoice, hiddenSize: number): Promise<BackendMessage> {
  const probe = probeWebgl();
  if (choice === 'fastest') return selectFastest(probe, hiddenSize);
  const reasons: string[] = [];
  const candidates: BackendName[] = [];
  if (choice === 'auto') {
    if (!probe.available) reasons.push(`No WebGL (${probe.problem ?? 'unavailable'})`);
    else if (probe.software) reasons.push(`WebGL here is only a software renderer (${probe.renderer ?? 'unknown'}), slower than wasm`);
    else candidates.push('webgl');
    candidates.push('wasm', 'cpu');
  } else if (choice === 'webgl') {
    // Forced: tried even on a software renderer; tfjs reports if it cannot start.
    candidates.push('webgl', 'wasm', 'cpu');
  } else if (choice === 'wasm') {
    candidates.push('wasm', 'cpu');
  } else {
    candidates.push('cpu');
  }
  for (const name of candidates) {
    const problem = await trySetBackend(name);
    if (problem === null) {
      const wanted: BackendName | null = choice === 'auto' ? null : choice;
      const fellBack = (wanted !== null && wanted !== name) || (choice === 'auto' && reasons.length > 0);
      return {
        type: 'backend',
        runId: null, // the worker names the session that asked
        requested: choice,
        backend: name,
        renderer: probe.renderer,
        softwareRenderer: probe.software,
        fallbackReason: fellBack ? `${reasons.join('; ')}: training on ${name}` : null,
      };
    }
    reasons.push(problem.charAt(0).toUpperCase() + problem.slice(1));
  }
  throw new Error(`No tfjs backend could start: ${reasons.join('; ')}`);
}

/** `fastest`: race every backend that can start (a software WebGL too: it simply loses). */
async function selectFastest(probe: WebglProbe, hiddenSize: number): Promise<BackendMessage> {
  const candidates: BackendName[] = probe.available ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  const { winner, measurements } = await raceBackends(candidates, hiddenSize, trySetBackend);
  if (winner === null) {
    throw new Error(`No tfjs backend could start: ${measurements.map((m) => `${m.backend}: ${m.problem ?? 'failed'}`).join('; ')}`);
  }
  return {
    type: 'backend',
    runId: null, // the worker names the session that asked
    requested: 'fastest',
    backend: winner,
    renderer: probe.renderer,
    softwareRenderer: probe.software,
    fallbackReason: null,
    measurements,
  };
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
