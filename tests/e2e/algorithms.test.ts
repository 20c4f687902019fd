/**
 * Issue 8 in real Chromium against the production build: the Algorithm selector starts a PPO run (named
 * PPO in the runs list, its own "Policy and value loss" chart, its step count rising); a TD3 run added
 * beside it shows its critic/actor loss chart; after a reload both are back with their algorithms.
 * Small networks and step limits (PPO from the address, TD3 typed into its editor) keep it short.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe, launchChromium, openPage, type Served, type WatchedPage } from './harness';
import { chartContent, compareRowNames, runItems, runNames, runStatus, runSteps, waitForChartPoints, waitForRunStatus } from './runsHelpers';

let served: Served;
let browser: Browser;
let watched: WatchedPage | null = null;

beforeAll(async () => {
  served = await buildAndServe('/algorithms/');
  browser = await launchChromium();
});

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await served?.close();
});

function button(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true });
}

/** Types a value into a hyperparameter's exact-value box (its accessible name is the slider's label + " value"). */
async function setValue(page: Page, label: string, value: string): Promise<void> {
  const box = page.getByLabel(`${label} value`, { exact: true });
  await box.fill(value);
  await box.press('Enter');
}

/** The runs' algorithms by name, from the debug store (the list shows them only in the names). */
async function algorithmsByName(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const runs = Object.values(window.sacPlayground?.store.getState().runs ?? {});
    return Object.fromEntries(runs.map((run) => [run.name, run.algorithm]));
  });
}

describe('Algorithms in Chromium', () => {
  it('a PPO run and a TD3 run beside it: names, their own charts, steps, and both back after a reload', async () => {
    // Two runs train at once (the pool's ?maxConcurrent).
    watched = await openPage(browser, `${served.url}?debug&maxConcurrent=2`);
    const { page, errors } = watched;
    onTestFailed(async () => {
      const shot = join(tmpdir(), `algorithms-failure-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 }).catch(() => undefined);
      console.log(`screenshot of the failure: ${shot}; console errors: ${JSON.stringify(errors)}`);
    });

    const algorithm = page.getByRole('combobox', { name: 'Algorithm', exact: true });
    await expect(algorithm.evaluate((select) => [...(select as HTMLSelectElement).options].map((option) => option.text))).resolves.toEqual([
      'SAC', 'DDPG', 'TD3', 'PPO', 'TRPO',
    ]);
    await algorithm.selectOption({ label: 'PPO' });
    // The editor now shows PPO's table: its own settings, with their sources.
    await page.getByLabel('Steps per rollout (n_steps) value', { exact: true }).waitFor();
    await expect(page.getByLabel('Actor learning rate (actor_lr) value', { exact: true }).count()).resolves.toBe(0);
    // Small rollouts (the first update after 4 envs × 128 steps) and a small network; PPO's own step
    // limit (1e5) stays, and the run is paused before the reload.
    await setValue(page, 'Steps per rollout (n_steps)', '128');
    await setValue(page, 'Hidden layer size (hidden_size)', '16');
    expect(page.url()).toContain('#algo=ppo&hiddenSize=16&nSteps=128');
    await button(page, 'Start').click();
    const ppoName = 'PPO · hidden_size 16 · n_steps 128 · seed 500';
    await expect.poll(() => runNames(page), { timeout: 10_000 }).toEqual([ppoName]);

    // PPO's own chart, found by its accessible name, fills; the step count rises.
    await waitForChartPoints(page, 'Policy and value loss', 3, 60_000);
    expect((await chartContent(page, 'Policy and value loss')).curves).toContain(ppoName);
    await expect(page.getByRole('img', { name: 'Chart: Temperature α', exact: true }).count()).resolves.toBe(0);
    const firstSteps = await runSteps(page, ppoName);
    await expect.poll(() => runSteps(page, ppoName), { timeout: 20_000 }).toBeGreaterThan(firstSteps);

    // A TD3 run beside it, with a short warm-up so its critic learns within the test.
    await algorithm.selectOption({ label: 'TD3' });
    await setValue(page, 'Hidden layer size (hidden_size)', '16');
    await setValue(page, 'Minibatch size (batch_size)', '16');
    await setValue(page, 'Random warm-up steps (learning_starts)', '200');
    await setValue(page, 'Maximum env steps (max_steps)', '2000');
    await button(page, 'Add run').click();
    await expect.poll(() => runItems(page).count(), { timeout: 10_000 }).toBe(2);
    const names = await runNames(page);
    const td3Name = names.find((name) => name.startsWith('TD3 · ')) ?? '';
    expect(td3Name).toContain('learning_starts 200');
    await waitForChartPoints(page, 'Critic and actor loss', 3, 90_000);
    expect((await chartContent(page, 'Critic and actor loss')).curves).toContain(td3Name);
    // Score is common: both runs on one chart; each algorithm's own charts beside it.
    await waitForChartPoints(page, 'Episode score', 4, 30_000);
    const score = await chartContent(page, 'Episode score');
    expect(score.curves).toContain(ppoName);
    expect(score.curves).toContain(td3Name);
    await expect.poll(() => compareRowNames(page), { timeout: 10_000 }).toEqual([ppoName, td3Name]);
    const table = page.getByRole('table', { name: 'Compare runs' });
    await expect(table.getByRole('cell', { name: 'PPO', exact: true }).count()).resolves.toBe(1);
    await expect(table.getByRole('cell', { name: 'TD3', exact: true }).count()).resolves.toBe(1);
    expect(await algorithmsByName(page)).toEqual({ [ppoName]: 'ppo', [td3Name]: 'td3' });

    // Selecting the PPO run shows PPO's settings again (for live edits).
    await page.getByRole('radio', { name: `Select ${ppoName}` }).check();
    await expect.poll(() => algorithm.inputValue()).toBe('ppo');

    // A reload brings a training run back at its last checkpoint: let TD3 end (its final checkpoint)
    // and pause PPO (a checkpoint at the pause), so both come back with their episodes.
    await waitForRunStatus(page, td3Name, /^Done/, 90_000);
    if ((await runStatus(page, ppoName)) === 'Training') await button(page, `Pause ${ppoName}`).click();
    await waitForRunStatus(page, ppoName, /^(Paused|Done)/, 30_000);
    const ppoSteps = await runSteps(page, ppoName);

    // Reload: both runs are back, with their algorithms, names and charts.
    await page.reload();
    await expect.poll(() => runNames(page), { timeout: 20_000 }).toEqual([ppoName, td3Name]);
    expect(await algorithmsByName(page)).toEqual({ [ppoName]: 'ppo', [td3Name]: 'td3' });
    expect(await runSteps(page, ppoName)).toBe(ppoSteps);
    expect(await runStatus(page, td3Name)).toMatch(/^Done/);
    await waitForChartPoints(page, 'Policy and value loss', 1, 20_000);
    await waitForChartPoints(page, 'Critic and actor loss', 1, 20_000);
    expect(errors).toEqual([]);
  });
});
