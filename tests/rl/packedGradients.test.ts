/**
 * The fused update's packed path (networks.ts PackedLayout, packedGradients.ts) against tfjs autodiff of
 * the reference losses (losses.ts, squashedGaussian.ts, the networks' per-layer forward), and the packed
 * Adam against per-tensor Adam: the fast path must be the same math as the equations.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rl/rng';
import { Adam } from '../../src/rl/sac/adam';
import { actorLoss, criticLoss } from '../../src/rl/sac/losses';
import {
  ActorNetwork,
  TwinCriticNetwork,
  actorLayers,
  actorLayout,
  batchOf,
  packedActorForward,
  packedTwinForward,
  twinCriticLayers,
  twinCriticLayout,
  withOnes,
  type PackedLayout,
} from '../../src/rl/sac/networks';
import { actorHeadGradient, packedActorGradient, packedSample, packedTwinActionGradient, packedTwinGradient } from '../../src/rl/sac/packedGradients';
import { sampleSquashedGaussian } from '../../src/rl/sac/squashedGaussian';

const B = 7;
const H = 8;

function randomTensor(rng: Rng, shape: [number, number], scale = 1): tf.Tensor2D {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
  return tf.tensor2d(values, shape);
}

/** Largest |a − b| relative to the largest |b| (scale-free, as in gradients.test.ts). */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let maxRef = 1e-8;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs((actual[i] ?? 0) - (expected[i] ?? 0)));
    maxRef = Math.max(maxRef, Math.abs(expected[i] ?? 0));
  }
  return maxDiff / maxRef;
}

/** A packed gradient in the flat `variables` order, cut per variable; and its values in the padding. */
function unpackGradient(gradient: tf.Tensor, layout: PackedLayout, sizes: number[]): { perVariable: Float32Array[]; padding: number[] } {
  expect(gradient.shape).toEqual([1, layout.rows, layout.cols]);
  const values = gradient.dataSync();
  const flat = layout.unpack(values);
  const occupied = layout.occupancy();
  const padding = Array.from(values).filter((_, i) => occupied[i] === 0);
  const perVariable: Float32Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    perVariable.push(flat.slice(offset, offset + size));
    offset += size;
  }
  return { perVariable, padding };
}

/** [xᵀ; 1ᵀ] [1, in + 1, N] as update() uploads it. */
function transposedWithOnes(x: tf.Tensor2D): tf.Tensor3D {
  return batchOf(tf.transpose(withOnes(x)) as tf.Tensor2D);
}

describe.each(['cpu', 'wasm'])('packed SAC gradients equal autodiff of the losses (%s)', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  for (const A of [1, 2]) {
    it(`critic: MSE(Q1, y) + MSE(Q2, y), ${A}-D actions`, () => {
      const rng = new Rng(21 + A);
      const critic = new TwinCriticNetwork(rng, 3, A, H);
      tf.tidy(() => {
        const s = randomTensor(rng, [B, 3]);
        const a = tf.tanh(randomTensor(rng, [B, A])) as tf.Tensor2D;
        const y = randomTensor(rng, [B, 1], 5);
        // The packed path first (the views are not held yet), then autodiff through the views.
        const layers = twinCriticLayers(critic.packedParameters(), 3 + A, H);
        const sa = tf.concat([s, a], 1) as tf.Tensor2D;
        const acts = packedTwinForward(layers, batchOf(withOnes(sa)));
        const dQ = tf.mul(tf.sub(acts.q, batchOf(y)), 2 / B) as tf.Tensor3D;
        const gradient = packedTwinGradient(layers, acts, transposedWithOnes(sa), dQ);
        const variables = critic.variables;
        const reference = tf.variableGrads(() => criticLoss(critic.forward(s, a), y), variables);
        const { perVariable, padding } = unpackGradient(gradient, critic.layout, variables.map((v) => v.size));
        variables.forEach((variable, i) => {
          expect(relativeError(perVariable[i] ?? [], (reference.grads[variable.name] as tf.Tensor).dataSync())).toBeLessThan(1e-5);
        });
        // Padding (off the output block diagonal, past the output bias) gets exactly zero.
        expect(padding.every((value) => value === 0)).toBe(true);
        // The twins' Q values in the packed forward are the networks' forward.
        const q = critic.forward(s, a);
        expect(relativeError(tf.transpose(tf.squeeze(acts.q, [0])).dataSync(), tf.squeeze(q, [2]).dataSync())).toBeLessThan(1e-5);
      });
      critic.dispose();
    });

    for (const logStdBias of [0, 4, -25]) {
      it(`actor: mean(α log π − min Q), ${A}-D actions, log σ bias ${logStdBias}`, () => {
        const rng = new Rng(40 + A + logStdBias);
        const actor = new ActorNetwork(rng, 3, A, H);
        const critic = new TwinCriticNetwork(rng, 3, A, H);
        const bias = Array.from({ length: 2 * A }, (_, i) => (i < A ? 0.3 - 0.2 * i : logStdBias + 0.1 * i));
        actor.headBias.assign(tf.tensor1d(bias));
        tf.tidy(() => {
          const s = randomTensor(rng, [B, 3]);
          const epsilon = randomTensor(rng, [B, A]);
          const alpha = tf.scalar(0.7);
          // Packed path: the actor on s only (update() runs it on [s'; s]; the rows are independent).
          const actorL = actorLayers(actor.packedParameters(), 3, H, A);
          const acts = packedActorForward(actorL, batchOf(withOnes(s)));
          const eps3 = batchOf(epsilon);
          const constant = tf.sub(tf.mul(tf.square(eps3), -0.5), 0.5 * Math.log(2 * Math.PI)) as tf.Tensor3D;
          const sample = packedSample(acts.head, eps3, constant);
          const criticL = twinCriticLayers(critic.packedParameters(), 3 + A, H);
          const qActs = packedTwinForward(criticL, batchOf(withOnes(tf.concat([s, tf.squeeze(sample.action, [0])], 1) as tf.Tensor2D)));
          const minQ = tf.min(qActs.q, 2, true);
          const dQ = tf.mul(tf.cast(tf.equal(qActs.q, minQ), 'float32'), -1 / B) as tf.Tensor3D;
          const dAction = packedTwinActionGradient(criticL, qActs, dQ, 3, A);
          const dHead = actorHeadGradient(sample, dAction, tf.div(alpha, B));
          const gradient = packedActorGradient(actorL, acts.hidden1, acts.hidden2, transposedWithOnes(s), dHead);
          const packedLoss = tf.mean(tf.sub(tf.mul(alpha, sample.logProb), minQ));

          const variables = actor.variables;
          const reference = tf.variableGrads(() => {
            const { mean, logStd } = actor.forward(s);
            const reparameterised = sampleSquashedGaussian(mean, logStd, epsilon);
            return actorLoss(alpha, reparameterised.logProb, critic.forward(s, reparameterised.action));
          }, variables);
          expect(packedLoss.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0] ?? Number.NaN, 4);
          const { perVariable, padding } = unpackGradient(gradient, actor.layout, variables.map((v) => v.size));
          variables.forEach((variable, i) => {
            expect(relativeError(perVariable[i] ?? [], (reference.grads[variable.name] as tf.Tensor).dataSync())).toBeLessThan(1e-5);
          });
          expect(padding.every((value) => value === 0)).toBe(true);
        });
        actor.dispose();
        critic.dispose();
      });
    }
  }
});

describe('packed parameters', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the layouts place every flat value exactly once and round-trip exactly', () => {
    for (const layout of [actorLayout(3, 1, 8), actorLayout(5, 2, 16), twinCriticLayout(3, 1, 8), twinCriticLayout(5, 2, 16)]) {
      const flat = Float32Array.from({ length: layout.size }, (_, i) => i + 1);
      const packed = layout.pack(flat);
      expect(packed.filter((v) => v !== 0).length).toBe(layout.size);
      expect(new Set(packed.filter((v) => v !== 0)).size).toBe(layout.size);
      expect(layout.unpack(packed)).toEqual(flat);
    }
  });

  it('packed Adam (one variable) gives exactly per-tensor Adam on the views', () => {
    const rng = new Rng(7);
    const a = new TwinCriticNetwork(rng, 3, 1, H);
    const b = new TwinCriticNetwork(null, 3, 1, H);
    b.setParameters(a.getParameters());
    const views = b.variables; // b trains through its twelve views
    const packedAdam = new Adam([a.packedParameters()]);
    const viewAdam = new Adam(views);
    const sizes = views.map((v) => v.size);
    for (let step = 0; step < 3; step++) {
      const flat = Float32Array.from({ length: a.layout.size }, () => rng.normal() * 10 ** rng.uniform(-3, 1));
      const packedGradient = tf.tensor3d(a.layout.pack(flat), [1, a.layout.rows, a.layout.cols]);
      let offset = 0;
      const viewGradients = views.map((view, i) => {
        const size = sizes[i] ?? 0;
        const g = tf.tensor(flat.slice(offset, offset + size), view.shape);
        offset += size;
        return g;
      });
      packedAdam.step([packedGradient], 0.01 * (step + 1));
      viewAdam.step(viewGradients, 0.01 * (step + 1));
      tf.dispose([packedGradient, ...viewGradients]);
    }
    expect(a.getParameters()).toEqual(b.getParameters());
    const packedState = packedAdam.getState();
    const viewState = viewAdam.getState();
    expect(a.layout.unpack(a.layout.pack(viewState.firstMoment))).toEqual(viewState.firstMoment);
    expect(a.layout.unpack(packedState.firstMoment)).toEqual(viewState.firstMoment);
    expect(a.layout.unpack(packedState.secondMoment)).toEqual(viewState.secondMoment);
    packedAdam.dispose();
    viewAdam.dispose();
    a.dispose();
    b.dispose();
  });

  it('assigned views reach training, and training reaches the views', () => {
    const critic = new TwinCriticNetwork(new Rng(3), 3, 1, H);
    const target = new TwinCriticNetwork(null, 3, 1, H);
    const kernel2 = critic.q2[2] as tf.Variable;
    kernel2.assign(tf.fill(kernel2.shape, 0.5));
    target.copyFrom(critic); // a training-path use: folds the assigned view into the packed variable
    expect(Array.from((target.q2[2] as tf.Variable).dataSync()).every((v) => v === 0.5)).toBe(true);
    target.softUpdateFrom(critic, 0.5);
    expect(target.getParameters()).toEqual(critic.getParameters());
    critic.dispose();
    target.dispose();
  });
});
