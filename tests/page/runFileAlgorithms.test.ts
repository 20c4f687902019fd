/**
 * Run files of other algorithms than SAC: a real PPO run and a real TD3 run (small, cpu backend) go out
 * and come back with their algorithm, metrics and checkpoint, and resume; a corrupt on-policy
 * checkpoint is refused with a message naming the problem, and a record of one algorithm with another's
 * checkpoint is refused too.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRunFile, importRunFile, RunFileError, type RunBundle } from '../../src/page/runFile';
import { newRunRecord } from '../../src/page/newRuns';
import { makeAlgorithmConfig } from '../../src/rl/algorithmSettings';
import { OFF_POLICY_ALGORITHMS } from '../../src/rl/offPolicyAlgorithms';
import { createOnPolicyTrainer, restoreOnPolicyTrainer } from '../../src/rl/onPolicy/factory';

let ppo: RunBundle;
let td3: RunBundle;
let idCounter = 0;
const newId = () => `id-${(idCounter += 1)}`;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const ppoConfig = makeAlgorithmConfig('ppo', { nEnvs: 2, nSteps: 64, batchSize: 32, nEpochs: 1, hiddenSize: 8, seed: 3 });
  const onPolicy = createOnPolicyTrainer('ppo', ppoConfig);
  // 2 episodes per env pair, and a partial rollout after them.
  while (onPolicy.episodesDone < 2) onPolicy.runFor(64);
  onPolicy.runFor(64);
  ppo = {
    record: { ...newRunRecord('p', 'ppo', ppoConfig, '#0072b2', 'paused', 1), episodesDone: onPolicy.episodesDone, totalSteps: onPolicy.totalSteps },
    episodes: onPolicy.metrics.slice(),
    saved: { checkpoint: onPolicy.checkpoint(), finalActor: await onPolicy.exportActor('p', 'final'), bestActor: null, best100: null },
  };

  const td3Config = makeAlgorithmConfig('td3', { hiddenSize: 8, batchSize: 16, bufferSize: 500, learningStarts: 100, seed: 1, tau: 0.01 });
  const offPolicy = await OFF_POLICY_ALGORITHMS.td3.create(td3Config);
  while (offPolicy.episodesDone < 2) offPolicy.runFor(200);
  td3 = {
    record: { ...newRunRecord('t', 'td3', td3Config, '#e69f00', 'done', 2), episodesDone: offPolicy.episodesDone, totalSteps: offPolicy.totalSteps },
    episodes: offPolicy.metrics.slice(),
    saved: { checkpoint: offPolicy.checkpoint(), finalActor: await offPolicy.exportActor('t', 'final'), bestActor: null, best100: null },
  };
  offPolicy.dispose();
});

function refusal(bytes: Uint8Array): string {
  try {
    importRunFile(bytes, newId);
  } catch (error) {
    expect(error).toBeInstanceOf(RunFileError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

/** The file with its first run's checkpoint.json changed by `change`. */
function withCheckpoint(bytes: Uint8Array, change: (checkpoint: Record<string, unknown>) => void): Uint8Array {
  const files = { ...unzipSync(bytes) };
  const checkpoint = JSON.parse(new TextDecoder().decode(files['runs/0/checkpoint.json'])) as Record<string, unknown>;
  change(checkpoint);
  files['runs/0/checkpoint.json'] = strToU8(JSON.stringify(checkpoint));
  return zipSync(files);
}

describe('run files of every algorithm', () => {
  it('a PPO and a TD3 run round-trip with their algorithm, names, metrics and checkpoints', () => {
    expect(ppo.record.name).toBe('PPO · hidden_size 8 · n_envs 2 · n_steps 64 · batch_size 32 · n_epochs 1 · seed 3');
    expect(td3.record.name).toContain('TD3 · ');
    const imported = importRunFile(exportRunFile([ppo, td3]), newId);
    const [ppoBack, td3Back] = imported.runs;
    expect(ppoBack?.record.algorithm).toBe('ppo');
    expect(ppoBack?.record.config).toEqual(ppo.record.config);
    expect(ppoBack?.episodes).toEqual(ppo.episodes);
    expect(Object.keys(ppoBack?.episodes[0] ?? {})).toContain('clipFraction');
    expect(ppoBack?.saved?.checkpoint).toEqual(ppo.saved?.checkpoint);
    expect(td3Back?.record.algorithm).toBe('td3');
    expect(td3Back?.record.status).toBe('done');
    expect(td3Back?.saved?.checkpoint).toEqual(td3.saved?.checkpoint);
    expect(td3Back?.episodes).toEqual(td3.episodes);
  });

  it('the imported checkpoints resume with their own trainers', async () => {
    const [ppoBack, td3Back] = importRunFile(exportRunFile([ppo, td3]), newId).runs;
    const onPolicy = restoreOnPolicyTrainer(ppoBack?.saved?.checkpoint);
    expect(onPolicy.totalSteps).toBe(ppo.record.totalSteps);
    const offPolicy = await OFF_POLICY_ALGORITHMS.td3.restore(td3Back?.saved?.checkpoint);
    expect(offPolicy.episodesDone).toBe(td3.record.episodesDone);
    offPolicy.dispose();
  });

  it('refuses a corrupt on-policy checkpoint, naming the problem, and changes nothing', () => {
    const good = exportRunFile([ppo]);
    const shortScores = refusal(
      withCheckpoint(good, (checkpoint) => {
        const state = checkpoint.state as Record<string, unknown>;
        state.episodeScores = [1];
      }),
    );
    expect(shortScores).toMatch(/Run 1 in the file: its checkpoint can't be resumed: .*unfinished episode scores must be 2 finite numbers/);
    const wrongSteps = refusal(
      withCheckpoint(good, (checkpoint) => {
        const counters = checkpoint.counters as { totalSteps: number };
        counters.totalSteps += 1;
      }),
    );
    expect(wrongSteps).toMatch(/can't be resumed: .*step count/);
    const badConfig = refusal(
      withCheckpoint(good, (checkpoint) => {
        (checkpoint.config as Record<string, unknown>).clipRange = 7;
      }),
    );
    expect(badConfig).toMatch(/can't be resumed: .*clip_range/);
  });

  it('refuses a record whose checkpoint is of another algorithm, and an unknown algorithm', () => {
    const mixed = { ...ppo, saved: td3.saved };
    expect(refusal(exportRunFile([mixed]))).toMatch(/PPO run .* TD3/);
    const unknown = { ...ppo, record: { ...ppo.record, algorithm: 'a2c' } } as unknown as RunBundle;
    expect(refusal(exportRunFile([unknown]))).toMatch(/algorithm "a2c" is not one this page knows/);
  });

  it('a record without an algorithm (a file from before issue 8) is read as SAC', async () => {
    const { runRecord } = await import('./fixtures');
    const old = { ...runRecord('old', { status: 'done' }) } as Partial<RunBundle['record']>;
    delete old.algorithm;
    const imported = importRunFile(exportRunFile([{ record: old as RunBundle['record'], episodes: [], saved: null }]), newId);
    expect(imported.runs[0]?.record.algorithm).toBe('sac');
  });
});
