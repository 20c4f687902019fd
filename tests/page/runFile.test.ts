import * as tf from '@tensorflow/tfjs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRunFile, importRunFile, runFileName, RunFileError, type RunBundle } from '../../src/page/runFile';
import { makeConfig } from '../../src/rl/sac/config';
import type { TrainerCheckpoint } from '../../src/rl/checkpoint';
import { Trainer } from '../../src/rl/trainer';
import { episode, episodes, runRecord } from './fixtures';

/** A real, small run (cpu backend): 3 episodes, so the checkpoint has every part the trainer keeps. */
let bundle: RunBundle;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const config = makeConfig({ hiddenSize: 8, bufferSize: 300, batchSize: 16, seed: 7 });
  const trainer = await Trainer.create(config);
  while (trainer.episodesDone < 3) trainer.runFor(200);
  const checkpoint = trainer.checkpoint();
  const finalActor = await trainer.exportActor('r', 'final');
  const bestActor = await trainer.exportActor('r', 'best');
  const metrics = trainer.metrics.slice();
  trainer.dispose();
  bundle = {
    record: runRecord('original', { name: 'SAC · seed 7', status: 'training', episodesDone: 4, totalSteps: 800 }, config),
    // One episode more than the checkpoint holds (sent before the page closed): the import drops it.
    episodes: [...metrics, { ...(metrics[2] ?? episodes(1)[0]!), episode: 4 }],
    saved: { checkpoint, finalActor, bestActor, best100: { value: -1000, episode: 3 } },
  };
});

let idCounter = 0;
const newId = () => `new-${(idCounter += 1)}`;

describe('run files', () => {
  it('round trip: record, metrics (NaN losses kept), checkpoint with its typed arrays, both actors; new ids', () => {
    const bytes = exportRunFile([bundle]);
    const imported = importRunFile(bytes, newId);
    expect(imported.group).toBeNull();
    const [run] = imported.runs;
    expect(run?.record.id).toMatch(/^new-/);
    expect(run?.record.name).toBe('SAC · seed 7');
    expect(run?.record.status).toBe('paused'); // it was training: it comes in paused, resumable
    expect(run?.record.episodesDone).toBe(3);
    expect(run?.record.totalSteps).toBe(bundle.saved?.checkpoint.counters.totalSteps);
    expect(run?.episodes).toEqual(bundle.episodes.slice(0, 3));
    expect(run?.saved?.checkpoint).toEqual(bundle.saved?.checkpoint);
    expect(run?.saved?.finalActor.modelJson).toBe(bundle.saved?.finalActor.modelJson);
    expect(new Uint8Array(run?.saved?.bestActor?.weightsBin ?? new ArrayBuffer(0))).toEqual(new Uint8Array(bundle.saved?.bestActor?.weightsBin ?? new ArrayBuffer(1)));
    // Importing twice gives two copies.
    const again = importRunFile(bytes, newId);
    expect(again.runs[0]?.record.id).not.toBe(run?.record.id);
  });

  it('a restored checkpoint from the file resumes the trainer', async () => {
    const imported = importRunFile(exportRunFile([bundle]), newId);
    const checkpoint = imported.runs[0]?.saved?.checkpoint;
    if (!checkpoint) throw new Error('no checkpoint');
    if (checkpoint.algorithm !== 'sac') throw new Error('not a SAC checkpoint');
    const trainer = await Trainer.restore(checkpoint as TrainerCheckpoint);
    expect(trainer.episodesDone).toBe(3);
    trainer.dispose();
  });

  it('a group keeps its members together under a new group id', () => {
    const group = { id: 'g', name: 'SAC · 2 seeds', color: '#e69f00', memberIds: ['a', 'b'], createdAt: 1 };
    const members = [
      { ...bundle, record: { ...bundle.record, id: 'a', groupId: 'g' } },
      // Losses are NaN in an episode without updates: JSON has no NaN, the file must keep them.
      { record: runRecord('b', { groupId: 'g', status: 'done', episodesDone: 2 }), episodes: [episode(1, { criticLoss: Number.NaN }), episode(2)], saved: null },
    ];
    const imported = importRunFile(exportRunFile(members, group), newId);
    expect(imported.group?.name).toBe('SAC · 2 seeds');
    expect(imported.group?.id).not.toBe('g');
    expect(imported.group?.memberIds).toEqual(imported.runs.map((run) => run.record.id));
    expect(imported.runs.every((run) => run.record.groupId === imported.group?.id)).toBe(true);
    expect(imported.runs[1]?.record.status).toBe('done');
    expect(imported.runs[1]?.episodes).toEqual([episode(1, { criticLoss: Number.NaN }), episode(2)]);
    expect(Number.isNaN(imported.runs[1]?.episodes[0]?.criticLoss)).toBe(true);
  });

  it('refuses foreign, corrupt and truncated files with a clear message', () => {
    const good = exportRunFile([bundle]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const refuse = (bytes: Uint8Array) => {
      try {
        importRunFile(bytes, newId);
      } catch (error) {
        expect(error).toBeInstanceOf(RunFileError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refuse(png)).toContain('not a zip archive');
    expect(refuse(good.slice(0, Math.floor(good.length / 2)))).toMatch(/damaged or truncated|truncated/);
    expect(refuse(zipSync({ 'photo.txt': strToU8('hello') }))).toContain('no manifest.json');
    expect(refuse(zipSync({ 'manifest.json': strToU8('{"format":"something-else"}') }))).toContain('not a SAC Playground run file');

    const entries = unzipSync(good);
    const rebuild = (change: (manifest: Record<string, unknown>, files: Record<string, Uint8Array>) => void) => {
      const files = { ...entries };
      const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
      change(manifest, files);
      files['manifest.json'] = strToU8(JSON.stringify(manifest));
      return zipSync(files);
    };
    const firstRun = (manifest: Record<string, unknown>) => (manifest.runs as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
    expect(refuse(rebuild((manifest) => { manifest.version = 99; }))).toContain('version 99');
    expect(refuse(rebuild((manifest) => {
      const record = firstRun(manifest).record as { config: Record<string, unknown> };
      record.config.actorLr = 5;
    }))).toContain('actor_lr');
    expect(refuse(rebuild((manifest) => {
      const record = firstRun(manifest).record as { config: Record<string, unknown> };
      delete record.config.gamma;
    }))).toContain('gamma is missing');
    expect(refuse(rebuild((_manifest, files) => { files['runs/0/episodes.json'] = strToU8('[{"episode":1}]'); }))).toContain('lacks the metric');
    expect(refuse(rebuild((_manifest, files) => { delete files['runs/0/arrays/0.bin']; }))).toContain('lacks');
    expect(refuse(rebuild((_manifest, files) => {
      const checkpoint = JSON.parse(new TextDecoder().decode(files['runs/0/checkpoint.json'])) as { counters: { episodesDone: number } };
      checkpoint.counters.episodesDone = 2;
      files['runs/0/checkpoint.json'] = strToU8(JSON.stringify(checkpoint));
    }))).toContain("can't be resumed");
    expect(refuse(rebuild((_manifest, files) => { files['runs/0/final-actor.json'] = strToU8('{"not":"a model"}'); }))).toContain('LayersModel');
  });

  it('file names are safe', () => {
    expect(runFileName('SAC · actor_lr 3e-4 · seed 2')).toBe('sac-run-SAC-actor_lr-3e-4-seed-2.zip');
    expect(runFileName('../../')).not.toContain('/');
    expect(runFileName('')).toBe('sac-run-run.zip');
  });
});
