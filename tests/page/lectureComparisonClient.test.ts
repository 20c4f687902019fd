/**
 * "Compare algorithms (lecture)" through the page client: the plan becomes one tagged group per
 * algorithm, every run queued with its algorithm and the plan's config, the charts switch to the log
 * step axis; the store's latest comparison is read back for the claims.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PlaygroundClient } from '../../src/page/client';
import { lectureComparisonPlan } from '../../src/page/lectureComparison';
import { latestLectureComparison } from '../../src/page/lectureComparisonRuns';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';
import { createPlaygroundStore } from '../../src/store/index';
import { answerBackends, fakeWorkerFactory, settle } from './fakeWorker';
import { episodes } from './fixtures';

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

describe('lecture comparison in the page', () => {
  it('starts one group per algorithm × 3 seeds, tagged as one comparison, on the log step axis', async () => {
    const { client, state, workers } = setup();
    const plan = lectureComparisonPlan({ budget: 1_000 });
    client.startLectureComparison(plan);
    await settle();
    answerBackends(workers); // the first run's worker reports its backend; the second (same shape) follows
    await settle();

    const groups = Object.values(state().groups);
    expect(groups.map((group) => group.name)).toEqual(plan.entries.map((entry) => entry.groupName));
    expect(new Set(groups.map((group) => group.comparison?.id)).size).toBe(1);
    expect(groups.every((group) => group.memberIds.length === 3)).toBe(true);
    const runs = state().runOrder.map((id) => state().runs[id]);
    expect(runs).toHaveLength(15);
    expect(runs.map((run) => run?.algorithm)).toEqual(['sac', 'sac', 'sac', 'ddpg', 'ddpg', 'ddpg', 'td3', 'td3', 'td3', 'ppo', 'ppo', 'ppo', 'trpo', 'trpo', 'trpo']);
    expect(runs.map((run) => run?.config.seed)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(runs.slice(9, 12).map((run) => run?.name)).toEqual(['PPO · seed 1', 'PPO · seed 2', 'PPO · seed 3']);
    expect(runs.every((run) => run?.config.maxSteps === 1_000 && run.config.stopAtGoal === false)).toBe(true);
    // Two slots: the first two runs are sent to workers with their algorithm, the rest wait.
    const created = workers.flatMap((worker) => worker.ofType('createSession'));
    expect(created.map((message) => [message.algorithm, message.config.seed])).toEqual([['sac', 1], ['sac', 2]]);
    expect(runs.filter((run) => run?.status === 'queued')).toHaveLength(13);
    expect(state().xAxis).toBe('logStep');

    const latest = latestLectureComparison(state());
    expect(latest.running).toBe(true);
    expect(latest.groups.map((group) => group.algorithm)).toEqual(['sac', 'ddpg', 'td3', 'ppo', 'trpo']);
    expect(latest.groups[0]?.runs.map((run) => run.seed)).toEqual([1, 2, 3]);
  });

  it('reads the newest comparison only, with each run\'s episodes and whether it has finished', async () => {
    const { client, state } = setup();
    client.startLectureComparison(lectureComparisonPlan({ budget: 1_000 }));
    await settle();
    const firstComparisonRun = state().runOrder[0] ?? '';
    client.startLectureComparison(lectureComparisonPlan({ budget: 2_000, sameSettingsAsSac: true }));
    await settle();
    expect(state().runOrder).toHaveLength(30);
    const newestSac = state().runOrder[15] ?? '';
    state().appendEpisodes(newestSac, episodes(3));
    state().updateRun(newestSac, { status: 'done' });

    const latest = latestLectureComparison(state());
    expect(latest.sameSettingsAsSac).toBe(true);
    const sacRuns = latest.groups[0]?.runs ?? [];
    expect(sacRuns).toHaveLength(3);
    expect(sacRuns[0]?.episodes).toHaveLength(3);
    expect(sacRuns[0]?.finished).toBe(true);
    expect(sacRuns[1]?.finished).toBe(false);
    expect(latest.groups.flatMap((group) => group.runs).some((run) => run.episodes === state().episodes[firstComparisonRun])).toBe(false);
  });

  it('a plan entry the page refuses starts nothing and says why', async () => {
    const { client, state } = setup();
    const plan = lectureComparisonPlan({ budget: 1_000 });
    const broken = { ...plan, entries: plan.entries.map((entry) => (entry.algorithm === 'ppo' ? { ...entry, config: { ...entry.config, clipRange: 5 } } : entry)) };
    client.startLectureComparison(broken);
    await settle();
    expect(state().runOrder).toHaveLength(0);
    expect(Object.keys(state().groups)).toHaveLength(0);
    expect(state().error).toMatch(/lecture comparison \(PPO\).*Clip range/);
  });
});
