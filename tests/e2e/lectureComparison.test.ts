/**
 * "Compare algorithms (lecture)" in real Chromium on the production build: one press starts SAC, DDPG,
 * TD3, PPO and TRPO × 3 seeds as five groups (a small env-step budget typed in keeps it short), the
 * charts switch to the log step axis, and once the runs are done the claims table holds one row per
 * algorithm whose SAC α cell equals the medians of the runs' own first and last α (read from the store
 * and computed here).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildAndServe, launchChromium, openPage, type Served, type WatchedPage } from './harness';
import { runNames } from './runsHelpers';

let served: Served;
let browser: Browser;
let watched: WatchedPage | null = null;

beforeAll(async () => {
  served = await buildAndServe('/lecture/');
  browser = await launchChromium();
});

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await served?.close();
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

describe('Lecture comparison in Chromium', () => {
  it('one press: five algorithm groups × 3 seeds on the log step axis, then a claims row per algorithm from their runs', async () => {
    watched = await openPage(browser, `${served.url}?debug&maxConcurrent=2`);
    const { page, errors } = watched;
    onTestFailed(async () => {
      const shot = join(tmpdir(), `lecture-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).catch(() => undefined);
      console.log(`screenshot of the failure: ${shot}; console errors: ${JSON.stringify(errors)}`);
    });

    const section = page.getByRole('region', { name: 'Lecture comparison' });
    // A budget the form refuses is named and starts nothing.
    await section.getByLabel('Env steps per run').fill('-5');
    await section.getByRole('button', { name: 'Compare algorithms (lecture)' }).click();
    await expect(section.getByRole('alert').textContent()).resolves.toMatch(/./);
    await expect(runNames(page)).resolves.toEqual([]);

    // Two episodes per run: enough for every algorithm to report, short enough for the suite.
    await section.getByLabel('Env steps per run').fill('400');
    await section.getByRole('button', { name: 'Compare algorithms (lecture)' }).click();
    await expect.poll(async () => (await runNames(page)).length, { timeout: 15_000 }).toBe(15);
    const names = await runNames(page);
    for (const label of ['SAC', 'DDPG', 'TD3', 'PPO', 'TRPO']) {
      expect(names.filter((name) => name.startsWith(`${label} `))).toHaveLength(3);
    }
    await expect(page.getByRole('radio', { name: 'Env step (log)' }).isChecked()).resolves.toBe(true);

    // Every run spends its 400 steps and stops (stop-at-goal is off in the plan).
    await expect
      .poll(
        () => page.evaluate(() => Object.values(window.sacPlayground?.store.getState().runs ?? {}).filter((run) => run.status === 'done' && run.totalSteps === 400).length),
        { timeout: 150_000, interval: 1000 },
      )
      .toBe(15);

    const table = section.getByRole('table');
    const rowHeaders = table.getByRole('rowheader');
    await expect.poll(() => rowHeaders.allTextContents(), { timeout: 5_000 }).toEqual(['SAC', 'DDPG', 'TD3', 'PPO', 'TRPO']);

    // SAC's α cell: medians over its three runs of their first and last α, computed here from the store.
    const alphas = await page.evaluate(() => {
      const state = window.sacPlayground?.store.getState();
      if (!state) return [];
      return Object.values(state.runs)
        .filter((run) => run.algorithm === 'sac')
        .map((run) => (state.episodes[run.id] ?? []).map((episode) => (episode as unknown as { alpha: number }).alpha));
    });
    expect(alphas).toHaveLength(3);
    const first = median(alphas.map((series) => series[0] as number));
    const last = median(alphas.map((series) => series[series.length - 1] as number));
    const sacRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'SAC', exact: true }) });
    const minus = (value: number): string => value.toPrecision(2).replace('-', '−');
    await expect(sacRow.textContent()).resolves.toContain(`α: ${minus(first)} → ${minus(last)}`);
    // No run of 400 steps swings up (that needs 10 episodes): every row says 0 of 3.
    for (const label of ['SAC', 'DDPG', 'TD3', 'PPO', 'TRPO']) {
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
      await expect(row.textContent()).resolves.toContain('0 of 3');
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
