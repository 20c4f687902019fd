/**
 * "Replay last test episode" in the worker: startTest with `replay` (a testEpisode's seed, physics and
 * pushes) plays that one episode again — the same score to the bit, the same pushes reported — and then
 * the test ends by itself; without the pushes the score differs (so the pushes were really replayed);
 * a malformed replay is refused with a notice and starts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS } from '../../src/rl/env/physics';
import type { TestReplay } from '../../src/worker/protocol';
import { openSession, type SessionHarness } from './sessionHarness';

const RUN = 'run-1';
const SAC_SMALL = { hiddenSize: 16, batchSize: 16, bufferSize: 1000, stopAtGoal: false, seed: 11 };
const harnesses: SessionHarness[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(() => {
  while (harnesses.length > 0) harnesses.pop()?.session?.dispose();
});

async function pausedSacSession(): Promise<SessionHarness> {
  const harness = await openSession({ algorithm: 'sac', config: SAC_SMALL, start: 'paused' });
  harnesses.push(harness);
  return harness;
}

/** Runs the test until `count` testEpisode messages have arrived (or the session goes idle). */
async function untilTestEpisodes(h: SessionHarness, count: number, afterTick?: (tick: number) => void): Promise<void> {
  let tick = 0;
  await h.run({ msPerTick: 50, maxTicks: 600, until: () => h.of('testEpisode').length >= count, afterTick: () => afterTick?.((tick += 1)) });
}

describe('replaying a test episode', () => {
  it('plays the recorded seed, physics and pushes again to the same score, then ends the test', async () => {
    const h = await pausedSacSession();
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 1, physics: { ...DEFAULT_PHYSICS, gravity: 14 }, applyToTraining: false });
    await h.live.handle({ type: 'startTest', runId: RUN });
    await untilTestEpisodes(h, 1, (tick) => {
      if (tick === 25) void h.live.handle({ type: 'push', runId: RUN, requestId: 2, deltaThetaDot: 3 });
      if (tick === 80) void h.live.handle({ type: 'push', runId: RUN, requestId: 3, theta: -2 });
    });
    await h.live.handle({ type: 'stopTest', runId: RUN });
    const recorded = h.of('testEpisode')[0];
    expect(recorded?.pushes).toHaveLength(2);
    expect(recorded?.physics?.gravity).toBe(14);
    const replay: TestReplay = { seed: recorded?.seed as number, pushes: recorded?.pushes ?? [], physics: recorded?.physics ?? DEFAULT_PHYSICS };

    // Back to the defaults first: the replay must use the recorded physics, not the session's current ones.
    await h.live.handle({ type: 'setPhysics', runId: RUN, requestId: 4, physics: DEFAULT_PHYSICS, applyToTraining: false });
    await h.live.handle({ type: 'startTest', runId: RUN, replay });
    await untilTestEpisodes(h, 2);
    const replayed = h.of('testEpisode')[1];
    expect(replayed?.score).toBe(recorded?.score);
    expect(replayed?.seed).toBe(recorded?.seed);
    expect(replayed?.pushes).toEqual(recorded?.pushes);
    expect(h.last('phase')?.phase).toBe('paused');
    // It ended by itself: no more test episodes however long the session ticks.
    await h.run({ msPerTick: 50, maxTicks: 50 });
    expect(h.of('testEpisode')).toHaveLength(2);

    // The same episode without its pushes scores differently: the pushes were replayed, not ignored.
    await h.live.handle({ type: 'startTest', runId: RUN, replay: { ...replay, pushes: [] } });
    await untilTestEpisodes(h, 3);
    expect(h.of('testEpisode')[2]?.score).not.toBe(recorded?.score);
  });

  it('refuses a malformed replay with a notice and starts no test', async () => {
    const h = await pausedSacSession();
    const bad: TestReplay[] = [
      { seed: -1, pushes: [], physics: DEFAULT_PHYSICS },
      { seed: 1, pushes: [{ step: 250, deltaThetaDot: 1 }], physics: DEFAULT_PHYSICS },
      { seed: 1, pushes: [{ step: 3 }], physics: DEFAULT_PHYSICS },
      { seed: 1, pushes: [], physics: { ...DEFAULT_PHYSICS, gravity: 500 } },
    ];
    for (const replay of bad) await h.live.handle({ type: 'startTest', runId: RUN, replay });
    const notices = h.of('notice').map((notice) => notice.message).filter((message) => message.startsWith("Can't replay"));
    expect(notices).toHaveLength(4);
    expect(notices[0]).toMatch(/seed/);
    expect(notices[1]).toMatch(/step in \[0, 199\]/);
    expect(notices[3]).toMatch(/gravity|g\b/i);
    expect(h.of('phase').some((phase) => phase.phase === 'testing')).toBe(false);
  });
});
