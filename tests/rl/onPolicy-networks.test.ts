/**
 * The plain-JS tanh MLP of the on-policy methods (onPolicy/mlp.ts) and the Gaussian policy on it:
 * forward against tfjs, parameter gradients and Jacobian-vector products against central finite
 * differences (float64), with gSDE's features held fixed where the variance is concerned.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TanhMlp, initMlpParameters, mlpLayout, orthogonalKernel } from '../../src/rl/onPolicy/mlp';
import { GaussianPolicy } from '../../src/rl/onPolicy/policy';
import { Rng } from '../../src/rl/rng';

function randomArray(rng: Rng, length: number, scale = 1): Float64Array {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = scale * rng.normal();
  return values;
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let ref = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    ref = Math.max(ref, Math.abs(expected[i] as number));
  }
  return diff / ref;
}

const shape = { inputSize: 3, hiddenSize: 6, outputSize: 2 };
const B = 5;

describe('orthogonal initialisation (SB3 ortho_init)', () => {
  it.each([[3, 8], [8, 8], [8, 1]])('a %i×%i kernel has orthonormal vectors along its longer side, times the gain', (rows, cols) => {
    const gain = 1.7;
    const kernel = orthogonalKernel(new Rng(rows * 10 + cols), rows, cols, gain);
    // Gram matrix over the shorter side: KᵀK (cols ≤ rows) or KKᵀ (rows < cols) must be gain²·I.
    const short = Math.min(rows, cols);
    for (let p = 0; p < short; p++) {
      for (let q = 0; q < short; q++) {
        let sum = 0;
        for (let i = 0; i < Math.max(rows, cols); i++) {
          sum += rows >= cols ? (kernel[i * cols + p] as number) * (kernel[i * cols + q] as number) : (kernel[p * cols + i] as number) * (kernel[q * cols + i] as number);
        }
        expect(sum).toBeCloseTo(p === q ? gain * gain : 0, 12);
      }
    }
  });

  it('gives hidden layers gain √2, the output layer its own gain and zero biases', () => {
    const parameters = initMlpParameters(new Rng(1), shape, 0.01);
    const L = mlpLayout(shape);
    const norm = (from: number, count: number): number => Math.sqrt(Array.from(parameters.subarray(from, from + count)).reduce((a, b) => a + b * b, 0));
    // Frobenius norm² = gain² × (shorter side).
    expect(norm(L.kernel1, 3 * 6)).toBeCloseTo(Math.sqrt(2 * 3), 10);
    expect(norm(L.kernel2, 36)).toBeCloseTo(Math.sqrt(2 * 6), 10);
    expect(norm(L.kernel3, 12)).toBeCloseTo(0.01 * Math.sqrt(2), 10);
    for (const [from, count] of [[L.bias1, 6], [L.bias2, 6], [L.bias3, 2]] as const) expect(Array.from(parameters.subarray(from, from + count))).toEqual(new Array(count).fill(0));
  });
});

describe('TanhMlp', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('forward equals tfjs tanh(tanh(x·W1 + b1)·W2 + b2)·W3 + b3', () => {
    const rng = new Rng(3);
    const parameters = randomArray(rng, mlpLayout(shape).size, 0.7);
    const input = randomArray(rng, B * shape.inputSize);
    const L = mlpLayout(shape);
    const H = shape.hiddenSize;
    const expected = tf.tidy(() => {
      const block = (from: number, dims: number[]): tf.Tensor => tf.tensor(Float32Array.from(parameters.subarray(from, from + dims.reduce((a, b) => a * b, 1))), dims);
      const x = tf.tensor2d(Float32Array.from(input), [B, 3]);
      const h1 = tf.tanh(tf.add(tf.matMul(x, block(L.kernel1, [3, H]) as tf.Tensor2D), block(L.bias1, [H])));
      const h2 = tf.tanh(tf.add(tf.matMul(h1 as tf.Tensor2D, block(L.kernel2, [H, H]) as tf.Tensor2D), block(L.bias2, [H])));
      return tf.add(tf.matMul(h2 as tf.Tensor2D, block(L.kernel3, [H, 2]) as tf.Tensor2D), block(L.bias3, [2])).dataSync();
    });
    const network = new TanhMlp(shape);
    const { output } = network.forward(parameters, input, B);
    expect(maxRelativeError(output.subarray(0, B * 2), expected)).toBeLessThan(1e-5);
  });

  it('backward gives the gradient of Σ c⊙output (central finite differences)', () => {
    const rng = new Rng(4);
    const parameters = initMlpParameters(rng, shape);
    const input = randomArray(rng, B * shape.inputSize);
    const weights = randomArray(rng, B * shape.outputSize);
    const network = new TanhMlp(shape);
    const loss = (p: Float64Array): number => {
      const { output } = network.forward(p, input, B);
      let sum = 0;
      for (let i = 0; i < weights.length; i++) sum += (weights[i] as number) * (output[i] as number);
      return sum;
    };
    network.forward(parameters, input, B);
    const gradient = new Float64Array(parameters.length);
    network.backward(parameters, weights, gradient);
    const numeric = new Float64Array(parameters.length);
    const h = 1e-6;
    for (let i = 0; i < parameters.length; i++) {
      const plus = parameters.slice();
      const minus = parameters.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      numeric[i] = (loss(plus) - loss(minus)) / (2 * h);
    }
    expect(maxRelativeError(gradient, numeric)).toBeLessThan(1e-7);
  });

  it('jacobianVectorProduct equals the directional derivative of the outputs', () => {
    const rng = new Rng(5);
    const parameters = initMlpParameters(rng, shape);
    const input = randomArray(rng, B * shape.inputSize);
    const direction = randomArray(rng, parameters.length);
    const network = new TanhMlp(shape);
    const h = 1e-6;
    const at = (scale: number): Float64Array => {
      const p = parameters.map((value, i) => value + scale * h * (direction[i] as number));
      return network.forward(p, input, B).output.slice(0, B * 2);
    };
    const plus = at(1);
    const minus = at(-1);
    const numeric = plus.map((value, i) => (value - (minus[i] as number)) / (2 * h));
    network.forward(parameters, input, B);
    const tangent = network.jacobianVectorProduct(parameters, direction).slice(0, B * 2);
    expect(maxRelativeError(tangent, numeric)).toBeLessThan(1e-7);
  });
});

describe.each(['gsde', 'gaussian'] as const)('GaussianPolicy (%s)', (exploration) => {
  const policyShape = { observationSize: 3, actionSize: 2, hiddenSize: 5, exploration };

  /** μ(θ) from the network and v from the equations, with z frozen at `features` (detached). */
  function meanAndFrozenVariance(policy: GaussianPolicy, parameters: Float64Array, observations: Float64Array, features: Float64Array): { mean: Float64Array; variance: Float64Array } {
    const A = policyShape.actionSize;
    const H = policyShape.hiddenSize;
    const evaluation = policy.evaluate(parameters, observations, B);
    const mean = evaluation.mean.slice(0, B * A);
    const exploration = parameters.subarray(policy.explorationOffset);
    const variance = new Float64Array(B * A);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < A; j++) {
        if (policyShape.exploration === 'gsde') {
          let sum = 1e-6;
          for (let i = 0; i < H; i++) sum += (features[b * H + i] as number) ** 2 * Math.exp(2 * (exploration[i * A + j] as number));
          variance[b * A + j] = sum;
        } else {
          variance[b * A + j] = Math.exp(2 * (exploration[j] as number));
        }
      }
    }
    return { mean, variance };
  }

  it('evaluate gives v_j = Σ_i z_i² S_ij² (+1e-6) with gSDE, exp(2 log σ_j) without', () => {
    const rng = new Rng(6);
    const policy = new GaussianPolicy(policyShape);
    const parameters = policy.initParameters(rng, -0.5);
    for (let i = policy.explorationOffset; i < parameters.length; i++) parameters[i] = 0.3 * rng.normal();
    const observations = randomArray(rng, B * 3);
    const evaluation = policy.evaluate(parameters, observations, B);
    const features = evaluation.features.slice(0, B * policyShape.hiddenSize);
    const variance = evaluation.variance.slice(0, B * 2);
    expect(maxRelativeError(variance, meanAndFrozenVariance(policy, parameters, observations, features).variance)).toBeLessThan(1e-12);
  });

  it('backward gives the gradient of Σ (cμ⊙μ + cv⊙log v), z detached (finite differences)', () => {
    const rng = new Rng(7);
    const policy = new GaussianPolicy(policyShape);
    const parameters = policy.initParameters(rng, 0);
    for (let i = policy.explorationOffset; i < parameters.length; i++) parameters[i] = 0.3 * rng.normal();
    const observations = randomArray(rng, B * 3);
    const weightMean = randomArray(rng, B * 2);
    const weightLogVariance = randomArray(rng, B * 2);
    const features = policy.evaluate(parameters, observations, B).features.slice(0, B * policyShape.hiddenSize);
    const objective = (p: Float64Array): number => {
      const { mean, variance } = meanAndFrozenVariance(policy, p, observations, features);
      let sum = 0;
      for (let i = 0; i < mean.length; i++) sum += (weightMean[i] as number) * (mean[i] as number) + (weightLogVariance[i] as number) * Math.log(variance[i] as number);
      return sum;
    };
    const evaluation = policy.evaluate(parameters, observations, B);
    const gradient = new Float64Array(parameters.length);
    policy.backward(parameters, evaluation, weightMean, weightLogVariance, gradient);
    const h = 1e-6;
    const numeric = new Float64Array(parameters.length);
    for (let i = 0; i < parameters.length; i++) {
      const plus = parameters.slice();
      const minus = parameters.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      numeric[i] = (objective(plus) - objective(minus)) / (2 * h);
    }
    expect(maxRelativeError(gradient, numeric)).toBeLessThan(1e-6);
  });
});
