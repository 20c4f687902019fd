/**
 * A SAC session on the hand-written engine (issue 11): with the engine set to 'kernels' the session's
 * agent is KernelSacAgent, it trains, and its phase-space maps and batched torques (which go through a
 * temporary tfjs copy of its weights, or its own plain forward) agree with the agent's own plain-JS
 * deterministic torque at every grid cell, leaving no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cellObservation, gridObservations } from '../../src/rl/insight/grid';
import { setSacEngine } from '../../src/rl/sac/engine';
import { KernelSacAgent } from '../../src/rl/sac/kernel/agent';
import { SacAgent } from '../../src/rl/sac/agent';
import { createSessionTrainer } from '../../src/worker/sessionTrainers';
import type { SessionTrainer } from '../../src/worker/sessionTrainer';

const CONFIG = { hiddenSize: 16, batchSize: 16, bufferSize: 1000, stopAtGoal: false, seed: 11 };
const GRID = 16;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

afterEach(() => setSacEngine('tfjs'));

/** The agent behind a session (the adapter keeps the Trainer in a protected field). */
function agentOf(session: SessionTrainer): unknown {
  return (session as unknown as { trainer: { agent: unknown } }).trainer.agent;
}

describe('SAC session on the kernels engine', () => {
  it('creates a KernelSacAgent only when the engine says so', async () => {
    const tfjsSession = await createSessionTrainer('sac', CONFIG);
    expect(agentOf(tfjsSession)).toBeInstanceOf(SacAgent);
    tfjsSession.dispose();
    setSacEngine('kernels');
    const kernelSession = await createSessionTrainer('sac', CONFIG);
    expect(agentOf(kernelSession)).toBeInstanceOf(KernelSacAgent);
    kernelSession.dispose();
  });

  it("maps and batched torques equal the agent's own torque at every cell, and free their tensors", async () => {
    setSacEngine('kernels');
    const session = await createSessionTrainer('sac', CONFIG);
    try {
      session.runFor(300); // past batch_size: the actor has been updated
      const agent = agentOf(session) as KernelSacAgent;
      const tensorsBefore = tf.memory().numTensors;
      const maps = await session.insightMaps(GRID);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(maps.map((map) => map.key)).toEqual(['policyMean', 'value', 'spread']);
      const policyMean = maps.find((map) => map.key === 'policyMean')?.values ?? new Float32Array(0);
      const torques = session.deterministicTorques(gridObservations(GRID), GRID * GRID);
      let varies = false;
      for (let row = 0; row < GRID; row++) {
        for (let column = 0; column < GRID; column++) {
          const own = agent.deterministicTorque(cellObservation(GRID, row, column))[0] ?? Number.NaN;
          const cell = row * GRID + column;
          expect(policyMean[cell]).toBeCloseTo(own, 4);
          expect(torques[cell]).toBeCloseTo(own, 6);
          if (Math.abs(own - (policyMean[0] ?? 0)) > 1e-3) varies = true;
        }
      }
      expect(varies).toBe(true); // a constant map would pass the comparison trivially
      const values = maps.find((map) => map.key === 'value')?.values ?? new Float32Array(0);
      expect(values.every(Number.isFinite)).toBe(true);
    } finally {
      session.dispose();
    }
  });
});
