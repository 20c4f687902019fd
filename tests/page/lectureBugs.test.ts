/**
 * "Lecture as written vs fixed" (issue 9): the plan is two SAC groups on the same seeds that differ in
 * exactly the lecture's two bugs, stated here independently of src/rl/sac/config.ts from SAC-SPEC.md
 * ("the slides pass a ∈ (−1, 1) straight to the env" → action scale 1 instead of max torque 2; "their
 * target entropy comes out as −0.0" instead of −dim(A) = −1); the page client makes the six runs in two
 * tagged groups; the swing-up table reads the newest pair's median and k of 3.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PlaygroundClient } from '../../src/page/client';
import { LECTURE_BUGS_BUDGET, latestLectureBugs, lectureBugsGroups, lectureBugsPlan } from '../../src/page/lectureBugs';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { createPlaygroundStore } from '../../src/store/index';
import { answerBackends, fakeWorkerFactory, settle } from './fakeWorker';

/** SAC-SPEC.md, restated: Pendulum's max torque is 2, dim(A) = 1. */
const MAX_TORQUE = 2;
const ACTION_DIM = 1;
const AS_WRITTEN = { actionScale: 1, targetEntropy: 0 };
const FIXED = { actionScale: MAX_TORQUE, targetEntropy: -ACTION_DIM };

function setup() {
  const store = createPlaygroundStore();
  const factory = fakeWorkerFactory();
  let ids = 0;
  const client = new PlaygroundClient({
    store, createWorker: factory.create, maxConcurrent: 2, locks: new RunLocks(new InMemoryLockManager()), tabSync: null,
    effects: { saveFile: () => undefined }, newId: () => `id-${(ids += 1)}`,
    setTimer: () => null, clearTimer: () => undefined,
  });
  return { store, client, workers: factory.workers, state: () => store.getState() };
}

describe('lecture bugs plan', () => {
  it('two groups, as written (scale 1, H̄ 0) and fixed (scale 2, H̄ −1), same seeds 1–3, otherwise equal', () => {
    const plan = lectureBugsPlan();
    const [asWritten, fixed] = plan.entries;
    expect(asWritten.label).toBe('Lecture as written');
    expect(fixed.label).toBe('Fixed');
    expect({ actionScale: asWritten.config.actionScale, targetEntropy: asWritten.config.targetEntropy }).toEqual(AS_WRITTEN);
    expect({ actionScale: fixed.config.actionScale, targetEntropy: fixed.config.targetEntropy }).toEqual(FIXED);
    expect(asWritten.seeds).toEqual([1, 2, 3]);
    expect(fixed.seeds).toEqual(asWritten.seeds);
    // Nothing else differs: the comparison changes the two bugs only.
    const differing = Object.keys(fixed.config).filter((key) => fixed.config[key as keyof typeof fixed.config] !== asWritten.config[key as keyof typeof asWritten.config]);
    expect(differing.sort()).toEqual(['actionScale', 'targetEntropy']);
    // Same budget for both, the stop rule off, so both curves run to the end.
    for (const entry of plan.entries) {
      expect(entry.config.maxSteps).toBe(LECTURE_BUGS_BUDGET);
      expect(entry.config.stopAtGoal).toBe(false);
    }
    expect(asWritten.groupName).toMatch(/^Lecture as written/);
    expect(fixed.groupName).toMatch(/^Fixed/);
  });

  it('records: six queued SAC runs, the seeds in order, named by version, both groups tagged as one pair', () => {
    let ids = 0;
    const made = lectureBugsGroups(lectureBugsPlan(), [], () => `x${(ids += 1)}`, 10);
    if ('problem' in made) throw new Error(made.problem);
    expect(made.groups).toHaveLength(2);
    const [asWritten, fixed] = made.groups;
    expect(asWritten?.runs.map((run) => run.name)).toEqual(['Lecture as written · seed 1', 'Lecture as written · seed 2', 'Lecture as written · seed 3']);
    expect(fixed?.runs.map((run) => run.name)).toEqual(['Fixed · seed 1', 'Fixed · seed 2', 'Fixed · seed 3']);
    expect(asWritten?.runs.every((run) => run.config.actionScale === 1 && run.config.targetEntropy === 0 && run.status === 'queued' && run.algorithm === 'sac')).toBe(true);
    expect(fixed?.runs.every((run) => run.config.actionScale === 2 && run.config.targetEntropy === -1)).toBe(true);
    expect(asWritten?.group.lectureBugs?.id).toBe(fixed?.group.lectureBugs?.id);
    expect([asWritten?.group.lectureBugs?.variant, fixed?.group.lectureBugs?.variant]).toEqual(['asWritten', 'fixed']);
    expect(asWritten?.group.memberIds).toEqual(asWritten?.runs.map((run) => run.id));
  });
});

describe('lecture bugs in the page', () => {
  it('startLectureBugsComparison makes the two groups, queued; the first two runs go to workers', async () => {
    const { client, state, workers } = setup();
    client.startLectureBugsComparison();
    await settle();
    answerBackends(workers); // the first run's worker reports its backend; the second (same shape) follows
    await settle();
    const groups = Object.values(state().groups);
    expect(groups.map((group) => group.name)).toEqual(lectureBugsPlan().entries.map((entry) => entry.groupName));
    const runs = state().runOrder.map((id) => state().runs[id]);
    expect(runs.map((run) => [run?.config.seed, run?.config.actionScale, run?.config.targetEntropy])).toEqual([
      [1, 1, 0], [2, 1, 0], [3, 1, 0], [1, 2, -1], [2, 2, -1], [3, 2, -1],
    ]);
    const created = workers.flatMap((worker) => worker.ofType('createSession'));
    expect(created.map((message) => [message.algorithm, message.config.seed, message.config.actionScale])).toEqual([['sac', 1, 1], ['sac', 2, 1]]);
    expect(runs.filter((run) => run?.status === 'queued')).toHaveLength(4);
    expect(state().error).toBeNull();

    // The table: median over the seeds that swung up, k of 3.
    const [w1, w2, , f1, f2, f3] = state().runOrder;
    state().updateRun(w1 ?? '', { swingUpStep: 10_200, status: 'done' });
    state().updateRun(w2 ?? '', { status: 'done' });
    state().updateRun(f1 ?? '', { swingUpStep: 5_600 });
    state().updateRun(f2 ?? '', { swingUpStep: 5_200 });
    state().updateRun(f3 ?? '', { swingUpStep: 5_800 });
    const [asWritten, fixed] = latestLectureBugs(state());
    expect(asWritten).toMatchObject({ variant: 'asWritten', actionScale: 1, targetEntropy: 0, median: 10_200, reached: 1, total: 3 });
    expect(asWritten?.seeds.map((seed) => [seed.seed, seed.swingUpStep, seed.finished])).toEqual([[1, 10_200, true], [2, null, true], [3, null, false]]);
    expect(fixed).toMatchObject({ variant: 'fixed', actionScale: 2, targetEntropy: -1, median: 5_600, reached: 3, total: 3 });
  });

  it('reads the newest pair only; none before the button', async () => {
    const { client, state } = setup();
    expect(latestLectureBugs(state())).toEqual([]);
    client.startLectureBugsComparison();
    await settle();
    client.startLectureBugsComparison();
    await settle();
    expect(state().runOrder).toHaveLength(12);
    const newestFixed = state().runOrder[9] ?? '';
    state().updateRun(newestFixed, { swingUpStep: 4_000 });
    const results = latestLectureBugs(state());
    expect(results.map((result) => result.variant)).toEqual(['asWritten', 'fixed']);
    expect(results[1]?.median).toBe(4_000);
    expect(results[0]?.reached).toBe(0);
  });
});
