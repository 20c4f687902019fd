/**
 * Issue 10, items 5–7, in the production build in Chromium:
 * - 6a: the worker's script fails to load (its request 404s): the page says so, the run is paused with
 *   the reason, and Resume starts a new worker once the script is reachable again, with no reload;
 * - 6b: a value refused in the editor before any run exists is not kept: Start trains afterwards;
 * - 7: a real WebGL context loss in the worker (the `?debug` hook loseWebglContext) mid-run: the run
 *   goes on on wasm from its last checkpoint, says so, and its episodes stay 1..N with no gap or repeat;
 * - 5: a weight file of another hidden size: the message names what the file has and what the run
 *   needs, and "Start a run with hidden size N" makes a paused run of that size holding the file's actor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { buildAndServe, fastRunHash, launchChromium, openPage, readCounter, waitForCounter, type Served } from './harness';
import { runItems } from './runsHelpers';

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await buildAndServe();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function button(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true });
}

/** The worker chunk Vite emits for src/worker/training.worker.ts. */
const WORKER_SCRIPT = /\/assets\/training\.worker[^/]*\.js(\?.*)?$/;

describe('stuck states (issue 10.6)', () => {
  it('a worker script that fails to load: the page says so, the run is paused, and Resume trains once the script is back', async () => {
    const { page, context, errors } = await openPage(browser, 'about:blank');
    let blocked = 0;
    const block = async (route: Route): Promise<void> => {
      blocked += 1;
      await route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' });
    };
    await context.route(WORKER_SCRIPT, block);
    await page.goto(`${served.url}${fastRunHash({ backend: 'wasm' })}`);

    await button(page, 'Start').click();
    const alert = page.getByRole('alert').filter({ hasText: /training worker/i });
    await alert.waitFor({ timeout: 30_000 });
    expect(blocked).toBeGreaterThan(0);
    expect(await alert.textContent()).toMatch(/could not be loaded/i);
    expect(await alert.textContent()).toMatch(/Resume/);
    // The run is paused with the reason, and Resume is offered (not a dead end).
    const run = runItems(page).first();
    await expect(run.getByTestId('run-status').textContent()).resolves.toMatch(/Paused/);
    expect(await run.getByTestId('run-status').getAttribute('title')).toMatch(/could not be loaded/i);
    const resume = page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Resume' });
    await expect(resume.isEnabled()).resolves.toBe(true);

    // The script is reachable again: Resume loads a new worker, and the run trains. No reload.
    await context.unroute(WORKER_SCRIPT, block);
    await resume.click();
    await waitForCounter(page, 'step', 300, 90_000);
    await expect(run.getByTestId('run-status').textContent()).resolves.toMatch(/Training/);
    // The 404 itself is the only console error (Chromium logs failed resource loads).
    expect(errors.filter((error) => !/404|Failed to load resource/i.test(error))).toEqual([]);
    await context.close();
  });

  it('a value refused before any run exists is not kept: Start trains afterwards', async () => {
    const { page, context, errors } = await openPage(browser, `${served.url}${fastRunHash({ backend: 'wasm' })}`);
    const box = page.getByRole('textbox', { name: 'Actor learning rate (actor_lr) value' });
    await box.fill('5');
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: /actor_lr|Actor learning rate/ }).first().waitFor({ timeout: 10_000 });
    // The box shows the value in use again.
    await expect(box.inputValue()).resolves.toBe('0.001');

    await button(page, 'Start').click();
    await waitForCounter(page, 'step', 300, 90_000);
    await expect(runItems(page).first().getByTestId('run-status').textContent()).resolves.toMatch(/Training/);
    const config = await page.evaluate(() => (window.location.hash.match(/actorLr=([^&]*)/) ?? [])[1] ?? null);
    expect(config === null || Number(config) === 0.001).toBe(true);
    // A second refused value, now with a run: the run keeps training, unchanged.
    await box.fill('-1');
    await box.press('Enter');
    const before = await readCounter(page, 'step');
    await waitForCounter(page, 'step', before + 200, 60_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
