/**
 * `npx tsx bench/gpu/build.ts [outDir]`: bundles the GPU bench (page.ts, gpuBench.worker.ts) with esbuild
 * into a static folder (default bench/gpu/site, ignored by git) with index.html and tfjs's wasm binaries,
 * ready for bench/gpu/serve.py. Nothing else is needed to run it: no Node on the machine that measures.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const outDir = process.argv[2] ?? join(here, 'site');
mkdirSync(outDir, { recursive: true });
for (const [entry, out] of [['page.ts', 'page.js'], ['gpuBench.worker.ts', 'gpuBench.worker.js']] as const) {
  await build({ entryPoints: [join(here, entry)], outfile: join(outDir, out), bundle: true, format: 'iife', target: 'es2022', minify: true, logLevel: 'warning' });
}
const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copyFileSync(join(wasmDir, name), join(outDir, name));
}
writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>SAC GPU bench</title><pre id="log"></pre><script src="page.js"></script>\n');
console.log(`built ${outDir}`);
