/**
 * A batched matmul for tfjs-wasm that runs each member's product on XNNPACK, as one tfjs kernel.
 *
 * Why: tfjs-wasm 4.22 sends a matmul to XNNPACK only when it is unbatched and untransposed; a rank-3
 * [K, m, k]·[K, k, n] goes through a scalar loop (measured on this project's machine: [16, 64, 64]² took
 * ~6 ms, ~16× sixteen 2-D XNNPACK calls). Splitting the batch with tf.unstack / tf.split / tf.slice
 * does not help: wasm's slice copies its whole input to JS for every piece (readSync), so K pieces cost
 * O(K²) copying (8 slices of a [512, 64] tensor: ~1.3 ms).
 *
 * This kernel does the split itself: for every member it copies (transposing in the copy when asked)
 * the member's block of each operand into a fresh 2-D tensor on the wasm heap, calls the wasm backend's
 * own BatchMatMul kernel on the pair (the XNNPACK path), and copies the product into the member's
 * block of one [K, m, n] output. One engine dispatch for the whole population; K XNNPACK calls inside.
 * It uses only the wasm backend's kernel-level interface (makeOutput, typedArrayFromHeap, disposeData),
 * as the backend's own kernels do. No gradient: the population's gradients are hand-written.
 */
import * as tf from '@tensorflow/tfjs';

export const PER_MEMBER_MATMUL = 'PopulationPerMemberMatMul';

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (the same calls its kernels make). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
}

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Copies member r's [rows, cols] block (or the transpose of its [cols, rows] block) from a heap view. */
function copyBlock(source: Float32Array, member: number, rows: number, cols: number, transpose: boolean, target: Float32Array): void {
  const size = rows * cols;
  const offset = member * size;
  if (!transpose) {
    target.set(source.subarray(offset, offset + size));
    return;
  }
  // source block is [cols, rows]; target[i, j] = source[j, i].
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) target[i * cols + j] = source[offset + j * rows + i] as number;
  }
}

function perMemberMatMulKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const { transposeA, transposeB } = args.attrs as unknown as Attrs;
  const [members, aRows, aCols] = a.shape as [number, number, number];
  const [, bRows, bCols] = b.shape as [number, number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k || b.shape[0] !== members) throw new Error(`${PER_MEMBER_MATMUL}: shapes ${a.shape} and ${b.shape} do not fit`);
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error(`${PER_MEMBER_MATMUL}: the wasm backend has no BatchMatMul kernel`);
  const out = backend.makeOutput([members, m, n], 'float32');
  for (let member = 0; member < members; member++) {
    const left = backend.makeOutput([m, k], 'float32');
    const right = backend.makeOutput([k, n], 'float32');
    // Views are taken after every allocation: a growing wasm heap replaces the buffer under old views.
    copyBlock(backend.typedArrayFromHeap(a), member, m, k, transposeA, backend.typedArrayFromHeap(left));
    copyBlock(backend.typedArrayFromHeap(b), member, k, n, transposeB, backend.typedArrayFromHeap(right));
    const product = matMul.kernelFunc({ inputs: { a: left, b: right }, backend: args.backend as never, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), member * m * n);
    backend.disposeData(left.dataId);
    backend.disposeData(right.dataId);
    backend.disposeData(product.dataId);
  }
  return out;
}

/** Registers the kernel for the wasm backend (once; safe to call again). */
export function registerPerMemberMatMul(): void {
  if (tf.getKernel(PER_MEMBER_MATMUL, 'wasm')) return;
  tf.registerKernel({ kernelName: PER_MEMBER_MATMUL, backendName: 'wasm', kernelFunc: perMemberMatMulKernel as unknown as tf.KernelFunc });
}

/** [K, m, k]·[K, k, n] (with aᵀ / bᵀ per flag) on the wasm backend, one XNNPACK matmul per member. Caller disposes. */
export function perMemberMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  registerPerMemberMatMul();
  return tf.engine().runKernel(PER_MEMBER_MATMUL, { a, b }, { transposeA, transposeB }) as tf.Tensor3D;
}
