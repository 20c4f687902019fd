/**
 * Where the kernel SAC agent keeps each network in its f64 heap (gemmKernel.ts), and the conversion to
 * and from the flat `variables` order of checkpoints and weight files (SacAgentState).
 *
 * A network is a list of dense layers. In the flat order a layer is its kernel [in × out] row-major then
 * its bias [out] (actor: fc1, fc2, head [H × 2A] with columns μ | log σ; twin critic: Q1's three layers,
 * then Q2's), exactly as ActorNetwork / TwinCriticNetwork store them. In the heap a layer is its kernel
 * padded to [inPadded × outPadded] (sizes rounded up to 4, the `ab` kernel's block) then its bias padded to
 * [outPadded], with every padding entry exactly zero. So:
 *   - the kernel is already the row-major B operand of `ab` (forward x·W) and of `abt` (δ·Wᵀ), no copies;
 *   - hidden activations carry zero padding columns (relu(0·x + 0) = 0), so the padding rows and columns
 *     of every gradient are exactly zero, Adam leaves padded parameters at zero, and a whole network is
 *     one contiguous run of doubles that Adam and the soft target update sweep in one loop.
 * Every value stored here is a float32 value held in a double (Math.fround on store): the parameters
 * are float32, as in the tfjs agent, and pack/unpack are exact.
 */
import { roundUp } from '../../onPolicy/gemmKernel';

/** Rows and columns are padded to this (`ab` needs M and N multiples of 4; `abt` N of 4, K of 2). */
export const BLOCK = 4;

export interface DenseLayer {
  inSize: number;
  outSize: number;
  inPadded: number;
  outPadded: number;
  /** Offsets (doubles) from the network's start in the heap: kernel [inPadded × outPadded], bias [outPadded]. */
  weights: number;
  bias: number;
  /** Offsets in the flat `variables` order: kernel [in × out], then bias [out]. */
  flatWeights: number;
  flatBias: number;
}

export interface NetworkLayout {
  layers: readonly DenseLayer[];
  /** Doubles the network takes in the heap (a multiple of BLOCK). */
  size: number;
  /** Values in the flat `variables` order. */
  flatSize: number;
}

/** Layers of the given [in, out] sizes, one after another in both orders. */
export function networkLayout(sizes: ReadonlyArray<readonly [number, number]>): NetworkLayout {
  const layers: DenseLayer[] = [];
  let size = 0;
  let flatSize = 0;
  for (const [inSize, outSize] of sizes) {
    const inPadded = roundUp(inSize, BLOCK);
    const outPadded = roundUp(outSize, BLOCK);
    layers.push({ inSize, outSize, inPadded, outPadded, weights: size, bias: size + inPadded * outPadded, flatWeights: flatSize, flatBias: flatSize + inSize * outSize });
    size += inPadded * outPadded + outPadded;
    flatSize += inSize * outSize + outSize;
  }
  return { layers, size, flatSize };
}

/** The actor: obs → H (relu) → H (relu) → 2A (μ | raw log σ). */
export function actorNetworkLayout(observationSize: number, actionSize: number, hiddenSize: number): NetworkLayout {
  return networkLayout([
    [observationSize, hiddenSize],
    [hiddenSize, hiddenSize],
    [hiddenSize, 2 * actionSize],
  ]);
}

/** Both critics: layers 0–2 are Q1 ([obs, action] → H → H → 1), layers 3–5 Q2. */
export function twinCriticNetworkLayout(observationSize: number, actionSize: number, hiddenSize: number): NetworkLayout {
  const twin: Array<[number, number]> = [
    [observationSize + actionSize, hiddenSize],
    [hiddenSize, hiddenSize],
    [hiddenSize, 1],
  ];
  return networkLayout([...twin, ...twin]);
}

/** Writes flat (`variables` order) values into the network at `base` of `heap`, padding zeroed. Throws RangeError (writing nothing) on a length mismatch. */
export function packNetwork(layout: NetworkLayout, flat: ArrayLike<number>, heap: Float64Array, base: number): void {
  if (flat.length !== layout.flatSize) throw new RangeError(`${flat.length} values for ${layout.flatSize} parameters`);
  heap.fill(0, base, base + layout.size);
  for (const layer of layout.layers) {
    const { inSize, outSize, outPadded } = layer;
    for (let r = 0; r < inSize; r++) {
      const to = base + layer.weights + r * outPadded;
      const from = layer.flatWeights + r * outSize;
      for (let c = 0; c < outSize; c++) heap[to + c] = Math.fround(flat[from + c] as number);
    }
    for (let c = 0; c < outSize; c++) heap[base + layer.bias + c] = Math.fround(flat[layer.flatBias + c] as number);
  }
}

/** The network at `base` of `heap` in the flat `variables` order (float32, exact). */
export function unpackNetwork(layout: NetworkLayout, heap: Float64Array, base: number, out: Float32Array = new Float32Array(layout.flatSize)): Float32Array {
  for (const layer of layout.layers) {
    const { inSize, outSize, outPadded } = layer;
    for (let r = 0; r < inSize; r++) {
      const from = base + layer.weights + r * outPadded;
      const to = layer.flatWeights + r * outSize;
      for (let c = 0; c < outSize; c++) out[to + c] = heap[from + c] as number;
    }
    for (let c = 0; c < outSize; c++) out[layer.flatBias + c] = heap[base + layer.bias + c] as number;
  }
  return out;
}
