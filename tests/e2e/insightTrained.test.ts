/**
 * Issue 9 with a trained actor in real Chromium: an actor trained headless to the lecture's goal
 * (tests/fixtures/trained-sac-actor, made by `npm run train -- --seed 500 --backend wasm --out …`) is
 * loaded with "Load actor weights"; during Test policy it holds the pendulum upright, a push knocks it
 * away (the status shows θ̇ before and after) and the policy brings it back upright within seconds;
 * "Replay last test episode" plays the episode with the push again to the same score and then stops.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildAndServe, launchChromium, openPage, ROOT, type Served } from './harness';

const ACTOR = join(ROOT, 'tests/fixtures/trained-sac-actor');

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await buildAndServe('/trained/');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function button(page: Page, name: string): Locator {
  return page.getByRole('button', { name, exact: true });
}

/** cos θ of the pendulum the canvas drew last (1 = upright). */
async function uprightness(page: Page): Promise<number> {
  const theta = Number(await page.locator('canvas.pendulum-canvas').getAttribute('data-theta'));
  return Math.cos(theta);
}

/** Polls until `accept(value)`; fails naming `what` and the last value. */
async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function lastTestEpisode(page: Page): Promise<{ episode: number; score: number; pushes: unknown[] } | null> {
  return page.evaluate(() => {
    const state = window.sacPlayground?.store.getState() as unknown as { selectedRunId: string | null; lastTestEpisodes: Record<string, { episode: number; score: number; pushes: unknown[] }> };
    return state.selectedRunId === null ? null : (state.lastTestEpisodes[state.selectedRunId] ?? null);
  });
}

describe('A trained actor in Chromium', () => {
  it('holds the pendulum up, recovers from a push within seconds, and replays the pushed episode to the same score', async () => {
    const { page, errors, context } = await openPage(browser, `${served.url}?debug#backend=wasm`);
    await page.getByLabel('Actor weight files (model .json and .weights.bin)').setInputFiles([join(ACTOR, 'model.json'), join(ACTOR, 'weights.bin')]);
    await page.getByTestId('notice').filter({ hasText: /Loaded actor weights from/ }).waitFor({ timeout: 60_000 });

    await button(page, 'Test policy').click();
    await page.getByTestId('phase').filter({ hasText: /test/i }).waitFor({ timeout: 30_000 });
    // From a random start the actor swings up and holds it (the lecture's test.py, 20 steps/s).
    await waitUntil(() => uprightness(page), (cos) => cos > 0.98, 'upright before the push', 12_000);

    await button(page, 'Push right').click();
    const pushStatus = page.getByTestId('push-status');
    await pushStatus.filter({ hasText: /^Pushed: θ̇ / }).waitFor({ timeout: 5_000 });
    // Knocked away from upright, then back within a few seconds of real time.
    await waitUntil(() => uprightness(page), (cos) => cos < 0.95, 'knocked away by the push', 3_000);
    const knocked = Date.now();
    await waitUntil(() => uprightness(page), (cos) => cos > 0.98, 'upright again after the push', 6_000);
    console.log(`trained actor back upright ${((Date.now() - knocked) / 1000).toFixed(1)} s after the push`);

    // The episode with the push ends (200 steps at 20 steps/s); replaying it gives the same score.
    const pushed = await waitUntil(() => lastTestEpisode(page), (episode) => episode !== null && episode.pushes.length === 1, 'the pushed episode recorded', 15_000);
    await button(page, 'Stop test').click();
    await page.getByTestId('last-test-episode').waitFor();
    // The record object is replaced by the next test episode: remember this one to tell them apart.
    await page.evaluate(() => {
      const state = window.sacPlayground?.store.getState() as unknown as { selectedRunId: string; lastTestEpisodes: Record<string, unknown> };
      (window as unknown as { __beforeReplay: unknown }).__beforeReplay = state.lastTestEpisodes[state.selectedRunId];
    });
    await button(page, 'Replay last test episode').click();
    await waitUntil(
      () => page.evaluate(() => {
        const state = window.sacPlayground?.store.getState() as unknown as { selectedRunId: string; lastTestEpisodes: Record<string, unknown> };
        return state.lastTestEpisodes[state.selectedRunId] !== (window as unknown as { __beforeReplay: unknown }).__beforeReplay;
      }),
      (changed) => changed,
      'the replayed episode',
      20_000,
    );
    const replayed = await lastTestEpisode(page);
    expect(replayed?.score).toBe(pushed?.score);
    expect(replayed?.pushes).toEqual(pushed?.pushes);
    // The replay ends by itself: the run is no longer testing.
    await button(page, 'Test policy').waitFor({ timeout: 5_000 });

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
