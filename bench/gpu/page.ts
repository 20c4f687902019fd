/**
 * The GPU bench's page: reads the plan from the query string, starts gpuBench.worker.js and POSTs every
 * message of the worker (plus the page's own WebGL renderer) to the server that served it (serve.py).
 * Query: ?backends=webgl,wasm&hidden=64,256&members=1,8,32&seconds=4&rounds=2&warm=100 (add &probe for renderers only)
 */
const params = new URLSearchParams(location.search);
const list = (key: string, fallback: string): string[] => (params.get(key) ?? fallback).split(',').filter(Boolean);
const plan = {
  backends: list('backends', 'webgl,wasm'),
  hidden: list('hidden', '64,256').map(Number),
  members: list('members', '1,8,32').map(Number),
  seconds: Number(params.get('seconds') ?? 4),
  rounds: Number(params.get('rounds') ?? 2),
  warm: Number(params.get('warm') ?? 100),
  probe: params.has('probe'),
};

function send(message: Record<string, unknown>): void {
  void fetch('/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${JSON.stringify(message)}\n`;
}

function pageRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
}

send({ type: 'page', plan, pageWebglRenderer: pageRenderer(), userAgent: navigator.userAgent });
const worker = new Worker('./gpuBench.worker.js');
worker.onmessage = (event: MessageEvent<Record<string, unknown>>) => send(event.data);
worker.onerror = (event) => send({ type: 'error', error: `worker error: ${event.message}` });
worker.postMessage({ plan });
