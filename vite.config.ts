import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The headers a host sets to make the page cross-origin isolated (SharedArrayBuffer, multi-threaded
 * wasm). `npm run preview:isolated` serves the build with them (mode `isolated`), and the browser test
 * tests/e2e/isolated.test.ts proves training starts under them.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * base './': the built `dist/` works from any path (and from a plain static server, offline).
 * The worker is an ES module worker; tfjs and its backends are bundled only into the worker chunk,
 * and the wasm backend's .wasm files are emitted as assets next to it (see src/worker/wasmSetup.ts).
 */
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [react()],
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
  },
  preview: {
    host: '127.0.0.1',
    ...(mode === 'isolated' ? { headers: CROSS_ORIGIN_ISOLATION_HEADERS } : {}),
  },
}));
