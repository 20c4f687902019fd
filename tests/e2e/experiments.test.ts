/**
 * Issue 7 "Experiments" in real Chromium against the production build: a 3-seed group and a second
 * configuration train side by side, show on the charts and in the compare table, come back after a
 * reload (a run that was training comes back paused at its last checkpoint) and resume from their step
 * count; deleting frees storage (with undo first); a run exported here imports into a fresh profile with
 * its curves; a corrupt file changes nothing and says why. Tiny networks keep it short on two cores.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, fastRunHash, launchChromium, openPage, type Served, type WatchedPage } from './harness';
import {
  chartContent,
  checkpointSteps,
  compareRowNames,
  runItem,
  runItems,
  runNames,
  runStatus,
  runSteps,
  storedBytes,
  waitForChartPoints,
  waitForChartView,
  waitForRunStatus,
} from './runsHelpers';

let served: Served;
let browser: Browser;
/** The profile of the first test, kept for the export in the second. */
let first: WatchedPage | null = null;
let exportedFrom: string | null = null;

beforeAll(async () => {
  served = await buildAndServe('/experiments/');
  browser = await launchChromium();
});

afterAll(async () => {
  await first?.context.close();
  await browser?.close();
  await served?.close();
});

function button(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true });
}

const SCORE_CHART = 'Episode score';
/** One episode is 200 env steps. */
const EPISODE_STEPS = 200;

describe('Experiments in Chromium', () => {
  it('a 3-seed group and a second configuration: charts, table, reload, resume, delete with undo, storage', async () => {
    // Two runs train at once here (the pool's ?maxConcurrent): the others wait as queued. No stop rule and a
    // high limit keep them training until they are paused: SAC's hand-written kernels, which auto picks,
    // train this small network thousands of steps a second (the goal came at ~55,000 steps in ~10 s, and
    // the default 1,000-episode limit, 200,000 steps, in ~30 s), so both limits are raised.
    first = await openPage(browser, `${served.url}?debug&maxConcurrent=2${fastRunHash({ maxSteps: 1000000, maxEpisodes: 100000, stopAtGoal: 'false' })}`);
    const { page, errors } = first;
    page.on('crash', () => errors.push('the page crashed'));
    onTestFailed(async () => {
      const shot = join(tmpdir(), `experiments-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).catch(() => undefined);
      console.log(`screenshot of the failure: ${shot}; console errors: ${JSON.stringify(errors)}`);
    });
    await page.getByLabel('Seeds', { exact: true }).fill('3');
    await button(page, 'Start').click();
    await expect.poll(() => runItems(page).count(), { timeout: 10_000 }).toBe(3);

    // A second configuration: initial α is a restart setting, so editing it touches no running run.
    const initialAlpha = page.getByLabel('Initial temperature (initial_alpha) value', { exact: true });
    await initialAlpha.fill('0.5');
    await initialAlpha.press('Enter');
    await page.getByLabel('Seeds', { exact: true }).fill('1');
    await button(page, 'Add run').click();
    await expect.poll(() => runItems(page).count(), { timeout: 10_000 }).toBe(4);
    const names = await runNames(page);
    expect(new Set(names).size).toBe(4);
    const [member0, member1, member2, second] = names as [string, string, string, string];
    expect(second).toContain('initial_alpha 0.5');
    const groupHeader = page.getByRole('group', { name: /^Group / });
    await expect(groupHeader.count()).resolves.toBe(1);
    const groupName = ((await groupHeader.getAttribute('aria-label')) ?? '').replace(/^Group /, '');
    await waitForRunStatus(page, member2, /^Queued$/, 10_000);
    await waitForRunStatus(page, second, /^Queued$/, 10_000);
    await page.getByTestId('concurrency').filter({ hasText: '2 queued' }).waitFor();

    // Train until a run has finished an episode and saved a checkpoint (at least every ~10 s of training).
    const waitForCheckpoints = async (runNamesToWait: readonly string[]): Promise<void> => {
      await page.waitForFunction(
        ({ wanted, minimum }) => {
          const runs = Object.values(window.sacPlayground?.store.getState().runs ?? {});
          return wanted.every((name) => (runs.find((run) => run.name === name)?.checkpointStep ?? 0) >= minimum);
        },
        { wanted: [...runNamesToWait], minimum: EPISODE_STEPS },
        { timeout: 120_000, polling: 500 },
      );
    };
    await waitForCheckpoints([member0, member1]);
    // Pausing frees their slots: the queued runs start.
    await button(page, `Pause ${member0}`).click();
    await button(page, `Pause ${member1}`).click();
    await waitForRunStatus(page, member2, /^(Starting…|Training)$/, 30_000);
    await waitForRunStatus(page, second, /^(Starting…|Training)$/, 30_000);
    await waitForCheckpoints([member2, second]);
    for (const name of [member2, second]) expect(await runStatus(page, name)).toBe('Training');
    for (const name of [member0, member1]) expect(await runStatus(page, name)).toBe('Paused');

    // Both configurations on the charts: the group (mean, band, members) and the single run.
    await waitForChartPoints(page, SCORE_CHART, 4);
    const drawn = await chartContent(page, SCORE_CHART);
    expect(drawn.curves).toContain(`${groupName} (group of 3)`);
    expect(drawn.curves).toContain(second);
    await expect.poll(() => compareRowNames(page), { timeout: 10_000 }).toEqual([`${groupName} (group)`, second]);

    // Reload: every run, its curves and its state come back; runs that were training come back paused at their checkpoint.
    const stepsBefore = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await runSteps(page, name)] as const)));
    await page.reload();
    await expect.poll(() => runItems(page).count(), { timeout: 20_000 }).toBe(4);
    expect(await runNames(page)).toEqual(names);
    const checkpoints = await checkpointSteps(page);
    for (const name of names) {
      await waitForRunStatus(page, name, /^Paused$/, 20_000);
      const restored = await runSteps(page, name);
      expect(restored).toBe(checkpoints[name]);
      expect(restored).toBeGreaterThanOrEqual(EPISODE_STEPS);
      expect(restored).toBeLessThanOrEqual(stepsBefore[name] ?? 0);
    }
    const pointsAfterReload = await waitForChartPoints(page, SCORE_CHART, 4);
    expect(pointsAfterReload).toBeGreaterThan(0);
    expect((await chartContent(page, SCORE_CHART)).curves).toContain(second);
    await expect.poll(() => compareRowNames(page), { timeout: 10_000 }).toEqual([`${groupName} (group)`, second]);

    // The table sorts by a column header (aria-sort says how); the charts redraw on another x axis and band.
    const table = page.getByRole('table', { name: 'Compare runs' });
    const bestHeader = table.getByRole('columnheader', { name: /Best 100-ep\. mean/ });
    await bestHeader.getByRole('button').click();
    await expect(bestHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await bestHeader.getByRole('button').click();
    await expect(bestHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    for (const [axis, view] of [['Wall-clock seconds', 'wall/minmax'], ['Env step', 'step/minmax'], ['Episode', 'episode/minmax']] as const) {
      await page.getByRole('radiogroup', { name: 'X axis' }).getByLabel(axis, { exact: true }).check();
      await waitForChartView(page, SCORE_CHART, view);
      // A group's mean on step or wall axes has its own grid (where every seed has data), so only "drawn" is checked.
      await waitForChartPoints(page, SCORE_CHART, 1);
    }
    await page.getByRole('radiogroup', { name: 'Band' }).getByLabel('±1 s.d.', { exact: true }).check();
    await waitForChartView(page, SCORE_CHART, 'episode/sd');
    expect((await chartContent(page, SCORE_CHART)).points).toBe(pointsAfterReload);

    // Resume one: it continues from its step count (never back to 0), then pause it again.
    const restoredSecond = await runSteps(page, second);
    await button(page, `Resume ${second}`).click();
    await waitForRunStatus(page, second, /^(Starting…|Training)$/, 20_000);
    expect(await runSteps(page, second)).toBeGreaterThanOrEqual(restoredSecond);
    await expect.poll(() => runSteps(page, second), { timeout: 60_000 }).toBeGreaterThan(restoredSecond + EPISODE_STEPS);
    await button(page, `Pause ${second}`).click();
    await waitForRunStatus(page, second, /^Paused$/, 20_000);

    // Delete with undo: the run leaves the list at once and comes back with Undo.
    await button(page, `Delete ${member0}`).click();
    await expect.poll(() => runItems(page).count()).toBe(3);
    await button(page, `Undo delete of ${member0}`).click();
    await expect.poll(() => runItems(page).count()).toBe(4);
    await runItem(page, member0).waitFor();

    // Delete for good: once the undo window has passed, the storage figure shrinks.
    await expect.poll(() => storedBytes(page), { timeout: 20_000 }).toBeGreaterThan(0);
    const bytesBefore = await storedBytes(page);
    await button(page, `Delete ${member0}`).click();
    await expect.poll(() => runItems(page).count()).toBe(3);
    await expect.poll(() => storedBytes(page), { timeout: 30_000 }).toBeLessThan(bytesBefore);
    expect(await runNames(page)).toEqual([member1, member2, second]);
    expect(errors).toEqual([]);
    exportedFrom = second;
  });

  it('export a run, import it into a fresh profile with its curves; a corrupt file changes nothing and says why', async () => {
    if (!first || !exportedFrom) throw new Error('the first test did not finish');
    const { page } = first;
    const downloadEvent = page.waitForEvent('download');
    await button(page, `Export ${exportedFrom}`).click();
    const download = await downloadEvent;
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const directory = mkdtempSync(join(tmpdir(), 'sac-run-file-'));
    const path = join(directory, download.suggestedFilename());
    await download.saveAs(path);
    const steps = await runSteps(page, exportedFrom);

    // A fresh profile (new browser context: its own IndexedDB).
    const fresh = await openPage(browser, `${served.url}?debug`);
    try {
      const other = fresh.page;
      await button(other, 'Start').waitFor();
      await expect(runItems(other).count()).resolves.toBe(0);
      await other.getByLabel('Run file to import', { exact: true }).setInputFiles(path);
      await expect.poll(() => runItems(other).count(), { timeout: 20_000 }).toBe(1);
      expect(await runNames(other)).toEqual([exportedFrom]);
      expect(await runSteps(other, exportedFrom)).toBe(steps);
      await waitForChartPoints(other, SCORE_CHART, 1);
      expect((await chartContent(other, SCORE_CHART)).curves).toBe(exportedFrom);
      await expect.poll(() => compareRowNames(other), { timeout: 10_000 }).toEqual([exportedFrom]);
      await expect.poll(() => storedBytes(other), { timeout: 20_000 }).toBeGreaterThan(0);
      const bytes = await storedBytes(other);

      // Corrupt files: a truncated copy of the real one and a PNG. Each gets a message; nothing changes.
      const original = readFileSync(path);
      const corrupt = [
        { name: 'truncated.zip', mimeType: 'application/zip', buffer: original.subarray(0, Math.floor(original.length / 2)) },
        { name: 'picture.zip', mimeType: 'application/zip', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') },
      ];
      for (const file of corrupt) {
        await other.getByLabel('Run file to import', { exact: true }).setInputFiles(file);
        await other.getByRole('alert').filter({ hasText: file.name }).waitFor({ timeout: 20_000 });
        expect(await runNames(other)).toEqual([exportedFrom]);
        expect(await storedBytes(other)).toBe(bytes);
        await button(other, 'Dismiss error').click();
      }
      expect(fresh.errors.filter((error) => !/truncated|picture/.test(error))).toEqual([]);
    } finally {
      await fresh.context.close();
    }
    expect(first.errors).toEqual([]);
  });
});
