/**
 * The networks of DDPG and TD3 as plain tf.Variables (as SAC's, sac/networks.ts): a deterministic actor
 * obs → Dense(H, relu) → Dense(H, relu) → Dense(A) → tanh, and one or two critics
 * [obs, action] → Dense(H, relu) → Dense(H, relu) → Dense(1). Actions are in units of the bound,
 * [−1, 1]: the env gets actionScale times them (ALGORITHMS.md: μ_φ(s) = scale · tanh(f_φ(s))).
 *
 * Initialisation is PyTorch's nn.Linear default, U(−1/√fan_in, 1/√fan_in) for weights and biases
 * (SB3's MLPs; the lecture's networks), drawn from the run's generator.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { makeVariable, type DenseStack } from '../sac/networks';

/** Values in one dense stack input → H → H → output (weights and biases). */
export function denseStackParameterCount(inputSize: number, hiddenSize: number, outputSize: number): number {
  const H = hiddenSize;
  return inputSize * H + H + H * H + H + H * outputSize + outputSize;
}

/** Values in the actor's flat weights. */
export function deterministicActorParameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
  return denseStackParameterCount(observationSize, hiddenSize, actionSize);
}

/** Values in all critics' flat weights (Q1's stack, then Q2's for TD3). */
export function criticsParameterCount(observationSize: number, actionSize: number, hiddenSize: number, criticCount: number): number {
  return criticCount * denseStackParameterCount(observationSize + actionSize, hiddenSize, 1);
}

/**
 * The six variables of a dense stack [kernel1, bias1, kernel2, bias2, kernel3, bias3]. With `rng`,
 * PyTorch-style weights drawn layer by layer (kernel, then bias); without, zeros (a copy target).
 */
export function createDenseStack(rng: Rng | null, inputSize: number, hiddenSize: number, outputSize: number): tf.Variable[] {
  const layers: Array<{ shape: number[]; fanIn: number }> = [
    { shape: [inputSize, hiddenSize], fanIn: inputSize },
    { shape: [hiddenSize], fanIn: inputSize },
    { shape: [hiddenSize, hiddenSize], fanIn: hiddenSize },
    { shape: [hiddenSize], fanIn: hiddenSize },
    { shape: [hiddenSize, outputSize], fanIn: hiddenSize },
    { shape: [outputSize], fanIn: hiddenSize },
  ];
  return layers.map(({ shape, fanIn }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    if (rng !== null) {
      const bound = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < count; i++) values[i] = rng.uniform(-bound, bound);
    }
    return makeVariable(values, shape);
  });
}

/** The variables as a DenseStack (six of them, in order). */
export function asDenseStack(variables: readonly tf.Tensor[]): DenseStack {
  if (variables.length !== 6) throw new Error(`a dense stack has 6 parameters, got ${variables.length}`);
  return variables as unknown as DenseStack;
}

/** Sets each target variable to its source's value (the hard copy at the start of a run). */
export function copyVariables(targets: readonly tf.Variable[], sources: readonly tf.Variable[]): void {
  targets.forEach((target, index) => {
    const source = sources[index];
    if (source) target.assign(source);
  });
}

/** Polyak update θ̄ ← τ·θ + (1 − τ)·θ̄ (ALGORITHMS.md, DDPG and TD3 soft updates). */
export function softUpdateVariables(targets: readonly tf.Variable[], sources: readonly tf.Variable[], tau: number): void {
  tf.tidy(() => {
    targets.forEach((target, index) => {
      const source = sources[index];
      if (source) target.assign(tf.add(tf.mul(source, tau), tf.mul(target, 1 - tau)));
    });
  });
}
