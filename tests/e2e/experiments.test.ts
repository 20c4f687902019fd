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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    // Four runs train at once here (the pool's ?maxConcurrent), so every run has episodes and a checkpoint before the reload.
    first = await openPage(browser, `${served.url}?debug&maxConcurrent=4${fastRunHash({ maxSteps: 20000 })}`);
    const { page, errors } = first;
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

    // Train until every run has finished an episode and saved a checkpoint (at least every ~10 s of training).
    await page.waitForFunction(
      (minimum) => {
        const store = window.sacPlayground?.store;
        const runs = store ? Object.values(store.getState().runs) : [];
        return runs.length === 4 && runs.every((run) => (run.checkpointStep ?? 0) >= minimum);
      },
      EPISODE_STEPS,
      { timeout: 120_000, polling: 500 },
    );
    for (const name of names) expect(await runStatus(page, name)).toBe('Training');

    // Both configurations on the charts: the group (mean, band, members) and the single run.
    await waitForChartPoints(page, SCORE_CHART, 4);
    const drawn = await chartContent(page, SCORE_CHART);
    expect(drawn.curves).toContain(`${groupName} (group of 3)`);
    expect(drawn.curves).toContain(second);
    expect(await compareRowNames(page)).toEqual([`${groupName} (group)`, second]);

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
    expect(await compareRowNames(page)).toEqual([`${groupName} (group)`, second]);

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
      expect(await compareRowNames(other)).toEqual([exportedFrom]);
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
