/**
 * The heap regions of one kernel SAC agent: the networks (parameters, gradients, Adam moments, target
 * critic) at fixed offsets from 0, then the update's scratch buffers for one minibatch size, laid out
 * where the kernels read them (dense.ts), so update() allocates nothing and copies nothing into the
 * kernels' heap beyond the minibatch itself.
 */
import { roundUp } from '../../onPolicy/gemmKernel';
import { BLOCK, type NetworkLayout } from './layout';
import { SampleBuffers } from './squashedGaussian';

/** A trained network's four runs of the heap (each layout.size doubles). */
export interface NetworkRegions {
  parameters: number;
  gradients: number;
  firstMoment: number;
  secondMoment: number;
}

/** Hands out consecutive heap offsets, each a multiple of BLOCK doubles (32-byte aligned). */
export class HeapPlan {
  end: number;
  constructor(start = 0) {
    this.end = start;
  }
  take(doubles: number): number {
    const at = this.end;
    this.end += roundUp(doubles, BLOCK);
    return at;
  }
  network(layout: NetworkLayout): NetworkRegions {
    return { parameters: this.take(layout.size), gradients: this.take(layout.size), firstMoment: this.take(layout.size), secondMoment: this.take(layout.size) };
  }
}

/** Doubles left free after the last buffer (no kernel reads past a buffer's padded size; a safety margin). */
export const HEAP_SLACK = 64;

/**
 * Scratch of one update for minibatch size B (rowsPadded = B rounded up to BLOCK). Heap buffers are
 * row-major with the padded widths of layout.ts; host arrays hold per-sample values.
 */
export interface Workspace {
  batchSize: number;
  rowsPadded: number;
  /** [s' ; s] as the actor's input [2·rowsPadded × inPadded]: s' in rows [0, B), s in rows [rowsPadded, rowsPadded + B). */
  actorInput: number;
  actorHidden1: number;
  actorHidden2: number;
  /** [μ | raw log σ] of both halves. */
  actorHead: number;
  /** [s, a] of the minibatch (the critic step's input; its kernel gradient reads it again). */
  criticInput: number;
  /** [s', a'] for the target, then [s, ã] for the actor step. */
  sampledInput: number;
  /** Per twin: hidden layers and the output [Q | 0 0 0]. */
  hidden1: [number, number];
  hidden2: [number, number];
  q: [number, number];
  /** Per twin: dLoss/dQ [B × outPadded] (only column 0 is ever written: the rest stays zero). */
  dQ: [number, number];
  delta2: number;
  delta1: number;
  /** δ1·W1ᵀ of a twin: dLoss/d[s, a] (columns O … O + A − 1 are the action's). */
  inputGradient: number;
  /** dLoss/d[μ | raw log σ] of the s rows. */
  dHead: number;
  /** ε' and ε as drawn (float32, as SacAgent draws them). */
  nextNoise: Float32Array;
  currentNoise: Float32Array;
  /** Samples 0 … B − 1: a' ~ π(·|s'); samples B … 2B − 1: ã ~ π(·|s). */
  samples: SampleBuffers;
  /** Critic target y, min(Q1, Q2)(s, ã) and dLoss/dã, per sample. */
  target: Float64Array;
  minQ: Float64Array;
  dAction: Float64Array;
  /** First and one-past-last heap offset of the heap buffers (zeroed when allocated). */
  start: number;
  end: number;
}

export function planWorkspace(plan: HeapPlan, batchSize: number, actor: NetworkLayout, critic: NetworkLayout, actionSize: number): Workspace {
  const B = batchSize;
  const Bp = roundUp(B, BLOCK);
  const [actor1, actor2, actor3] = actor.layers as [NetworkLayout['layers'][0], NetworkLayout['layers'][0], NetworkLayout['layers'][0]];
  const [critic1, critic2, critic3] = critic.layers as [NetworkLayout['layers'][0], NetworkLayout['layers'][0], NetworkLayout['layers'][0]];
  const hidden = critic2.inPadded;
  const start = plan.end;
  const rows = (count: number, width: number): number => plan.take(count * width);
  const workspace: Workspace = {
    batchSize: B,
    rowsPadded: Bp,
    actorInput: rows(2 * Bp, actor1.inPadded),
    actorHidden1: rows(2 * Bp, actor2.inPadded),
    actorHidden2: rows(2 * Bp, actor3.inPadded),
    actorHead: rows(2 * Bp, actor3.outPadded),
    criticInput: rows(Bp, critic1.inPadded),
    sampledInput: rows(Bp, critic1.inPadded),
    hidden1: [rows(Bp, hidden), rows(Bp, hidden)],
    hidden2: [rows(Bp, hidden), rows(Bp, hidden)],
    q: [rows(Bp, critic3.outPadded), rows(Bp, critic3.outPadded)],
    dQ: [rows(Bp, critic3.outPadded), rows(Bp, critic3.outPadded)],
    delta2: rows(Bp, hidden),
    delta1: rows(Bp, hidden),
    inputGradient: rows(Bp, critic1.inPadded),
    dHead: rows(Bp, actor3.outPadded),
    nextNoise: new Float32Array(B * actionSize),
    currentNoise: new Float32Array(B * actionSize),
    samples: new SampleBuffers(2 * B, actionSize),
    target: new Float64Array(B),
    minQ: new Float64Array(B),
    dAction: new Float64Array(B * actionSize),
    start,
    end: 0,
  };
  workspace.end = plan.end;
  return workspace;
}
