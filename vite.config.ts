import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * base './': the built `dist/` works from any path (and from a plain static server, offline).
 * The worker is an ES module worker; tfjs and its backends are bundled only into the worker chunk,
 * and the wasm backend's .wasm files are emitted as assets next to it (see src/worker/backend.ts).
 */
export default defineConfig({
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
  },
});
