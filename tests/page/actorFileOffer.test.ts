/**
 * Issue 10.5 (page side): "Load actor weights" with a file of another hidden size than the run it would
 * go into names what the file has and what is expected, changes nothing, and offers a run that fits:
 * startRunForActorFile makes a paused run of the file's hidden size (editor's other settings) and sends
 * it the file's actor. A file no run can load (another activation) gets the message and no offer.
 * Real actor files, exported by the trainer (tfjs cpu); fake workers.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundClient } from '../../src/page/client';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { makeConfig } from '../../src/rl/sac/config';
import type { ActorFiles } from '../../src/rl/sac/weights';
import { Trainer } from '../../src/rl/trainer';
import { createPlaygroundStore } from '../../src/store/index';
import { fakeWorkerFactory, settle } from './fakeWorker';

function setup() {
  const store = createPlaygroundStore();
  const factory = fakeWorkerFactory();
  let ids = 0;
  const client = new PlaygroundClient({
    store, createWorker: factory.create, maxConcurrent: 1, locks: new RunLocks(new InMemoryLockManager()), tabSync: null,
    effects: { saveFile: () => undefined }, newId: () => `run-${(ids += 1)}`,
  });
  return { store, state: () => store.getState(), client, workers: factory.workers };
}

const exported: Record<number, ActorFiles> = {};
const trainers: Trainer[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const hiddenSize of [16, 32]) {
    const trainer = await Trainer.create(makeConfig({ seed: 1, hiddenSize, batchSize: 16 }));
    trainers.push(trainer);
    exported[hiddenSize] = await trainer.exportActor(`h${hiddenSize}`);
  }
});
afterAll(() => {
  for (const trainer of trainers.splice(0)) trainer.dispose();
});

function picked(files: ActorFiles | undefined, name: string, editJson: (json: string) => string = (json) => json): File[] {
  if (!files) throw new Error('no exported files');
  return [new File([editJson(files.modelJson)], `${name}.json`), new File([files.weightsBin.slice(0)], `${name}.weights.bin`)];
}

describe('an actor file of another hidden size', () => {
  it('with no run: names the file\'s network and the editor\'s, makes no run, and the offer starts a paused run of hidden size 32 holding the actor', async () => {
    const { state, client, workers } = setup();
    state().setParameter('hiddenSize', 16);
    state().setParameter('actorLr', 3e-4);
    await client.loadActor(picked(exported[32], 'sac-pendulum-h32'));
    const offer = state().actorFileOffer;
    expect(offer?.fittingHiddenSize).toBe(32);
    expect(offer?.message).toMatch(/^sac-pendulum-h32\.json: .*it has hidden layers 32 relu, 32 relu.*hidden layers 16 relu, 16 relu.*Start a run with hidden size 32/);
    expect(offer?.message).toMatch(/no run was made/);
    expect(state().runOrder).toEqual([]);
    expect(workers).toHaveLength(0);

    await client.startRunForActorFile();
    await settle();
    expect(state().actorFileOffer).toBeNull();
    const [runId] = state().runOrder;
    const run = runId === undefined ? undefined : state().runs[runId];
    expect(run?.status).toBe('paused');
    expect(run?.config.hiddenSize).toBe(32);
    expect(run?.config.actorLr).toBe(3e-4); // the editor's other settings
    expect(state().selectedRunId).toBe(runId);
    const worker = workers[0];
    expect(worker?.types()).toEqual(['createSession', 'importActor']);
    expect(worker?.ofType('createSession')[0]?.start).toBe('paused');
    expect(worker?.ofType('createSession')[0]?.config.hiddenSize).toBe(32);
    const imported = worker?.ofType('importActor')[0];
    expect(imported?.runId).toBe(runId);
    expect(imported?.files.modelJson).toBe(exported[32]?.modelJson);
    expect(imported?.files.weightsBin.byteLength).toBe(exported[32]?.weightsBin.byteLength);

    // The offer was used: a second press has nothing to start.
    await client.startRunForActorFile();
    expect(state().runOrder).toHaveLength(1);
    expect(state().notice).toMatch(/No actor file is waiting/);
  });

  it('with a selected run: the run is untouched (no import sent), the message names the run\'s hidden size', async () => {
    const { state, client, workers } = setup();
    state().setParameter('hiddenSize', 32);
    await client.loadActor(picked(exported[32], 'a'));
    await settle();
    const [first] = state().runOrder;
    expect(workers[0]?.types()).toEqual(['createSession', 'importActor']); // same size: loaded at once, no offer
    expect(state().actorFileOffer).toBeNull();

    await client.loadActor(picked(exported[16], 'small'));
    await settle();
    expect(state().actorFileOffer?.fittingHiddenSize).toBe(16);
    expect(state().actorFileOffer?.message).toMatch(/it has hidden layers 16 relu, 16 relu.*this run's actor has hidden layers 32 relu, 32 relu/);
    expect(state().actorFileOffer?.message).toMatch(/is untouched/);
    expect(workers[0]?.ofType('importActor')).toHaveLength(1);
    expect(state().runOrder).toEqual([first]);

    client.dismissActorFileOffer();
    expect(state().actorFileOffer).toBeNull();
    await client.startRunForActorFile();
    expect(state().runOrder).toEqual([first]);
  });

  it('another activation: the message says no run can load it, and there is no offer to take', async () => {
    const { state, client } = setup();
    await client.loadActor(picked(exported[32], 'tanh', (json) => json.replaceAll('"activation":"relu"', '"activation":"tanh"')));
    expect(state().actorFileOffer?.fittingHiddenSize).toBeNull();
    expect(state().actorFileOffer?.message).toMatch(/32 tanh.*no run can load this file/);
    await client.startRunForActorFile();
    expect(state().runOrder).toEqual([]);
  });
});
