/**
 * Where the tfjs wasm backend finds its binaries, and which one it uses. Worker-only; imported for its
 * side effects by backend.ts before any backend starts.
 *
 * Single-threaded SIMD, on purpose. When the page is cross-origin isolated (COOP + COEP, so
 * SharedArrayBuffer exists) tfjs-backend-wasm 4.22 picks its threaded SIMD build. That build starts its
 * pthread workers from a Blob holding `wasmFactoryThreadedSimd.toString()`: the factory's source without
 * the module scope it closes over. Bundled and minified by Vite into our module worker, the factory
 * refers to a renamed outer variable, so every pthread worker dies with `ReferenceError: e is not
 * defined` and the backend never becomes ready (the page stayed at Step 0). Making it work would mean
 * patching tfjs's bundle. It would not pay here either: at hidden size 64 and batch 64 each op is a
 * few ten-thousand multiply-adds, far below what amortises handing work to other threads, and one run
 * per worker already keeps a core busy. So the threads flag is turned off and the SIMD (or plain)
 * binary is used, isolated or not; tests/e2e/isolated.test.ts trains under the isolation headers.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Served next to the worker bundle by Vite (hashed asset URLs), so wasm works offline from any base path.
// setWasmPaths insists on an entry for every binary, so the threaded one is still listed (and emitted as
// an asset), though with the flag below it is never fetched.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The tfjs flag that lets the wasm backend choose its threaded build when SharedArrayBuffer exists. */
export const WASM_THREADS_FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';

setWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmPlainUrl, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimdUrl, self.location.href).href,
});
// Registered by the tfjs-backend-wasm import above; read once when the wasm backend initialises.
tf.env().set(WASM_THREADS_FLAG, false);
