/**
 * One dense layer forward and backward on the agent's heap (layout.ts), each matrix product one call of
 * the f64x2 WebAssembly kernels of gemmKernel.ts on operands that already sit in the heap in the layout
 * the kernel reads (no staging copies), and the elementwise rest (bias, relu, relu mask, bias gradient)
 * one fused JS loop each.
 *
 * Buffers are row-major [rowsPadded × width] with width = the layer's inPadded (inputs) or outPadded
 * (outputs); rowsPadded is a multiple of BLOCK. Only the first `rows` rows are real: the products run on
 * rowsPadded rows (each row independent of the others), the reductions over rows (kernel and bias
 * gradients) stop at `rows`, so padding rows never reach a result.
 *
 * Notation as SAC-SPEC.md's networks: h = relu(x·W + b); δ = dLoss/d(pre-activation) of a layer;
 * dW = xᵀ·δ, db = Σ_rows δ, dLoss/dx = δ·Wᵀ, and through the relu below, δ_prev = (δ·Wᵀ) ⊙ [x > 0].
 */
import type { DenseLayer } from './layout';
import type { SacHeap } from './sacHeap';

/**
 * output = x·W + b (then relu when asked) for rowsPadded rows of `input`; bias and relu on the real rows.
 * `network` is the heap offset of the layer's network.
 */
export function denseForward(heap: SacHeap, layer: DenseLayer, network: number, input: number, rowsPadded: number, rows: number, output: number, relu: boolean): void {
  heap.ab(input, layer.inPadded, 1, network + layer.weights, output, rowsPadded, layer.inSize, layer.outPadded);
  heap.addBias(output, network + layer.bias, rows, layer.outPadded, relu);
}

/**
 * The layer's kernel gradient dW = xᵀ·δ (x read transposed in place: `ab` with strides) into the
 * network-shaped gradient block at `gradient`, over the real rows. The bias gradient is written by
 * columnSums (or by maskAndSum while the δ is made).
 */
export function denseKernelGradient(heap: SacHeap, layer: DenseLayer, gradient: number, input: number, rows: number, delta: number): void {
  heap.ab(input, 1, layer.inPadded, delta, gradient + layer.weights, layer.inPadded, rows, layer.outPadded);
}

/** db = Σ_rows δ (in increasing row) into the gradient block's bias of the layer. */
export function denseBiasGradient(values: Float64Array, layer: DenseLayer, gradient: number, rows: number, delta: number): void {
  const width = layer.outPadded;
  const bias = gradient + layer.bias;
  values.fill(0, bias, bias + width);
  const end = delta + rows * width;
  for (let row = delta; row < end; row += width) for (let c = 0; c < width; c++) values[bias + c] = (values[bias + c] as number) + (values[row + c] as number);
}

/** output [rowsPadded × inPadded] = δ·Wᵀ: dLoss/d(layer input), before any relu mask (`abt` with W as stored). */
export function denseInputGradient(heap: SacHeap, layer: DenseLayer, network: number, delta: number, rowsPadded: number, output: number): void {
  heap.abt(delta, network + layer.weights, output, rowsPadded, layer.outPadded, layer.inPadded);
}

/**
 * δ ← δ ⊙ [h > 0] in place on the real rows (h: the output of the relu layer whose pre-activation δ is
 * the gradient of, same width), and when `biasGradient` ≥ 0 also that layer's db = Σ_rows δ into the
 * heap at `biasGradient`, in the same pass. The mask is 0 where h = 0, as tf.step's.
 */
export function reluMask(heap: SacHeap, delta: number, activations: number, rows: number, width: number, biasGradient: number): void {
  if (biasGradient < 0) heap.reluMask(delta, activations, rows * width);
  else heap.reluMaskSum(delta, activations, rows, width, biasGradient);
}
