/**
 * Issue 10.5: the picked actor files are capped by File.size before either is read. The weights cap is
 * the largest valid file, taken here from a real export at the biggest hidden size (not from the
 * formula in actorFileLimits.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTOR_MODEL_JSON_BYTES, MAX_ACTOR_WEIGHTS_BYTES, actorFileSizeProblem } from '../../src/page/actorFileLimits';
import { HYPERPARAMETERS, makeConfig } from '../../src/rl/sac/config';
import { Rng } from '../../src/rl/rng';
import { ActorNetwork } from '../../src/rl/sac/networks';
import { exportActorFiles } from '../../src/rl/sac/weights';

let largestWeightsBytes = 0;
let largestModelJsonBytes = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const hiddenSize = HYPERPARAMETERS.hiddenSize.max;
  const actor = new ActorNetwork(new Rng(1), 3, 1, hiddenSize);
  const files = await exportActorFiles(actor, 'big.weights.bin', {
    runName: 'big', actionScale: 2, hyperparameters: makeConfig({ hiddenSize }), steps: 0, episodes: 0, lastScore: null, avg100: null,
  });
  actor.dispose();
  largestWeightsBytes = files.weightsBin.byteLength;
  largestModelJsonBytes = new TextEncoder().encode(files.modelJson).byteLength;
});

describe('actorFileSizeProblem', () => {
  it('accepts the largest real actor files, byte for byte', () => {
    expect(MAX_ACTOR_WEIGHTS_BYTES).toBe(largestWeightsBytes);
    expect(largestModelJsonBytes).toBeLessThan(MAX_ACTOR_MODEL_JSON_BYTES / 20);
    expect(actorFileSizeProblem([{ name: 'a.json', size: largestModelJsonBytes }, { name: 'a.weights.bin', size: largestWeightsBytes }])).toBeNull();
  });

  it('refuses a weights file one byte over, naming the file, its size and the cap', () => {
    const problem = actorFileSizeProblem([{ name: 'a.json', size: 3000 }, { name: 'a.weights.bin', size: largestWeightsBytes + 1 }]);
    const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`;
    expect(problem).toContain(`a.weights.bin is ${bytes(largestWeightsBytes + 1)}; an actor weights file is at most ${bytes(largestWeightsBytes)} (hidden size 512, the largest)`);
    expect(problem).not.toContain('a.json');
  });

  it('refuses a huge pick of either kind and names every offending file', () => {
    const problem = actorFileSizeProblem([{ name: 'holiday.JSON', size: 40 * 1024 * 1024 }, { name: 'movie.mp4', size: 3 * 1024 ** 3 }]);
    expect(problem).toContain('holiday.JSON is 40.0 MiB; an actor model .json is at most 1,048,576 bytes');
    expect(problem).toContain('movie.mp4 is 3072.0 MiB');
  });
});
