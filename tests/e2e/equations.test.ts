/**
 * Issue 9 in real Chromium against the production build served under a sub-path: the equations panel
 * (KaTeX, its fonts loaded from the bundle) shows "—" before the first episode, then α and the critic
 * loss equal to the selected run's latest episode in the store (`?debug`); hovering the α annotation
 * marks the "Temperature α" chart; "Lecture as written vs fixed" puts its two groups in the runs list
 * and the swing-up table. A small network keeps the first episode short.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, fastRunHash, launchChromium, openPage, waitForCounter, type Served, type WatchedPage } from './harness';
import { runsList } from './runsHelpers';

let served: Served;
let browser: Browser;
let watched: WatchedPage | null = null;

beforeAll(async () => {
  served = await buildAndServe('/equations/');
  browser = await launchChromium();
});

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await served?.close();
});

function panel(page: Page) {
  return page.getByRole('region', { name: 'Equations, live', exact: true });
}

/** One entry (term and its value) of a formula's definition list, found by the term's text (dt/dd get no accessible name from Playwright). */
function termEntry(page: Page, formula: string, term: string) {
  return panel(page)
    .getByRole('figure', { name: formula, exact: true })
    .locator('.equation-term')
    .filter({ has: page.getByRole('term').getByText(term, { exact: true }) });
}

/** The value shown for a term of one formula: its text and its exact number (data-value). */
async function termValue(page: Page, formula: string, term: string): Promise<{ text: string; value: string }> {
  const definition = termEntry(page, formula, term).getByRole('definition');
  return {
    text: ((await definition.locator('.term-value').textContent()) ?? '').trim(),
    value: (await definition.getAttribute('data-value')) ?? '',
  };
}

/** The selected run's latest episode in the store. */
async function latestEpisode(page: Page): Promise<Record<string, number> | null> {
  return page.evaluate(() => {
    const state = window.sacPlayground?.store.getState();
    if (!state || state.selectedRunId === null) return null;
    const episodes = state.episodes[state.selectedRunId] ?? [];
    return (episodes[episodes.length - 1] as Record<string, number> | undefined) ?? null;
  });
}

function chartFigure(page: Page, title: string) {
  return page.locator('figure.chart-box', { has: page.getByRole('img', { name: `Chart: ${title}`, exact: true }) });
}

describe('Equations panel in Chromium', () => {
  it('shows the latest episode\'s α and critic loss, highlights the α chart, and starts the lecture-bugs groups', async () => {
    watched = await openPage(browser, `${served.url}?debug${fastRunHash()}`);
    const { page, errors } = watched;
    onTestFailed(async () => {
      const shot = join(tmpdir(), `equations-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).catch(() => undefined);
      console.log(`screenshot of the failure: ${shot}; console errors: ${JSON.stringify(errors)}`);
    });

    // Before any run: the formulas are there (KaTeX), the values are "—".
    await panel(page).getByRole('figure', { name: 'Temperature loss', exact: true }).waitFor();
    await expect(termValue(page, 'Temperature loss', 'α (temperature)')).resolves.toEqual({ text: '—', value: '' });
    expect(await panel(page).locator('.katex-display').count()).toBe(5);
    // KaTeX's fonts come from the bundle under the sub-path.
    const katexFonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((face) => face.family.includes('KaTeX') && face.status === 'loaded').map((face) => face.family);
    });
    expect(katexFonts).toContain('KaTeX_Main');
    const fontUrls = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.includes('KaTeX_')));
    expect(fontUrls.length).toBeGreaterThan(0);
    expect(fontUrls.every((url) => url.includes('/equations/assets/'))).toBe(true);

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForCounter(page, 'episode', 1, 60_000);
    // Pause so that the store's latest episode stays put, then the panel (refreshed ≤ 2×/s) shows it.
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await page.getByTestId('phase').filter({ hasText: 'Paused' }).waitFor({ timeout: 30_000 });
    const latest = await latestEpisode(page);
    expect(latest).not.toBeNull();
    await expect
      .poll(async () => (await termValue(page, 'Temperature loss', 'α (temperature)')).value, { timeout: 5_000 })
      .toBe(String(latest?.alpha));
    await expect
      .poll(async () => (await termValue(page, 'Critic loss', 'L_Q (critic loss)')).value, { timeout: 5_000 })
      .toBe(String(latest?.criticLoss));
    const alphaText = (await termValue(page, 'Temperature loss', 'α (temperature)')).text;
    expect(Number(alphaText)).toBeCloseTo(latest?.alpha ?? Number.NaN, 3);
    expect(Number(alphaText)).toBe(Number((latest?.alpha ?? 0).toPrecision(4)));
    await expect(panel(page).getByTestId('equations-source').textContent()).resolves.toContain(`episode ${latest?.episode}`);

    // Hovering α marks the "Temperature α" chart, and only it; leaving clears the mark.
    await termEntry(page, 'Temperature loss', 'α (temperature)').getByRole('definition').hover();
    await expect.poll(() => chartFigure(page, 'Temperature α').getAttribute('data-highlighted'), { timeout: 3_000 }).toBe('true');
    await expect(page.locator('figure.chart-box[data-highlighted="true"]').count()).resolves.toBe(1);
    await page.locator('h1').hover();
    await expect.poll(() => chartFigure(page, 'Temperature α').getAttribute('data-highlighted'), { timeout: 3_000 }).toBeNull();
    // Focus does the same (keyboard users).
    await termEntry(page, 'Critic loss', 'L_Q (critic loss)').focus();
    await expect.poll(() => chartFigure(page, 'Critic and actor loss').getAttribute('data-highlighted'), { timeout: 3_000 }).toBe('true');

    // "Lecture as written vs fixed": two groups of three in the runs list, and the swing-up table.
    await panel(page).getByRole('button', { name: 'Lecture as written vs fixed', exact: true }).click();
    await runsList(page).getByRole('group', { name: /^Group Lecture as written \(SAC, action_scale 1, target_entropy 0\)/ }).waitFor({ timeout: 10_000 });
    await runsList(page).getByRole('group', { name: /^Group Fixed \(SAC defaults: action_scale 2, target_entropy −1\)/ }).waitFor({ timeout: 10_000 });
    for (const name of ['Lecture as written · seed 1', 'Lecture as written · seed 3', 'Fixed · seed 1', 'Fixed · seed 3']) {
      await runsList(page).getByRole('textbox', { name: `Name of run ${name}`, exact: true }).waitFor();
    }
    const table = panel(page).getByRole('table', { name: 'Lecture as written vs fixed' });
    await table.waitFor({ timeout: 5_000 });
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual(['Lecture as written', 'Fixed']);
    const configs = await page.evaluate(() => {
      const state = window.sacPlayground?.store.getState();
      return Object.values(state?.runs ?? {}).filter((run) => run.groupId !== null).map((run) => [run.name, run.config.actionScale, run.config.targetEntropy, run.config.seed]);
    });
    expect(configs.sort()).toEqual([
      ['Fixed · seed 1', 2, -1, 1], ['Fixed · seed 2', 2, -1, 2], ['Fixed · seed 3', 2, -1, 3],
      ['Lecture as written · seed 1', 1, 0, 1], ['Lecture as written · seed 2', 1, 0, 2], ['Lecture as written · seed 3', 1, 0, 3],
    ]);
    expect(errors).toEqual([]);
  });
});
