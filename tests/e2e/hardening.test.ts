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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Route } from 'playwright-core';
import { makeConfig } from '../../src/rl/sac/config';
import { Trainer } from '../../src/rl/trainer';
import { buildAndServe, fastRunHash, launchChromium, openPage, readCounter, waitForCounter, type Served } from './harness';
import { runItems } from './runsHelpers';

let served: Served;
let browser: Browser;
/** A real actor of hidden size 32 (exported by the trainer in Node), as the two files the page downloads. */
let actorDir: string;
let actorPaths: string[];

beforeAll(async () => {
  served = await buildAndServe();
  browser = await launchChromium();
  await tf.setBackend('cpu');
  const trainer = await Trainer.create(makeConfig({ seed: 3, hiddenSize: 32, batchSize: 16 }));
  const files = await trainer.exportActor('h32');
  trainer.dispose();
  actorDir = mkdtempSync(join(tmpdir(), 'sac-actor-h32-'));
  actorPaths = [join(actorDir, 'sac-pendulum-h32.json'), join(actorDir, files.weightsFileName)];
  writeFileSync(actorPaths[0] ?? '', files.modelJson);
  writeFileSync(actorPaths[1] ?? '', new Uint8Array(files.weightsBin));
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  if (actorDir) rmSync(actorDir, { recursive: true, force: true });
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

interface DebugEpisode { episode: number; step: number }
interface DebugRun { id: string; name: string; status: string; totalSteps: number; checkpointStep: number | null; backend: string | null }
interface DebugWindow {
  sacPlayground?: {
    store: { getState: () => { selectedRunId: string | null; runs: Record<string, DebugRun>; episodes: Record<string, readonly DebugEpisode[]> } };
    loseWebglContext: (runId: string) => boolean;
  };
}

/** The selected run and its episodes (episode number, step), read through `?debug`. */
async function selectedRunFacts(page: Page): Promise<{ run: DebugRun; episodes: DebugEpisode[] }> {
  return page.evaluate(() => {
    const debug = (window as unknown as DebugWindow).sacPlayground;
    if (!debug) throw new Error('no debug store: open the page with ?debug');
    const state = debug.store.getState();
    const run = state.selectedRunId === null ? undefined : state.runs[state.selectedRunId];
    if (!run) throw new Error('no run is selected');
    const episodes = (state.episodes[run.id] ?? []).map((episode) => ({ episode: episode.episode, step: episode.step }));
    return { run: { id: run.id, name: run.name, status: run.status, totalSteps: run.totalSteps, checkpointStep: run.checkpointStep, backend: run.backend }, episodes };
  });
}

async function waitForFacts(page: Page, what: string, done: (facts: { run: DebugRun; episodes: DebugEpisode[] }) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const facts = await selectedRunFacts(page);
    if (done(facts)) return facts;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (run ${JSON.stringify(facts.run)}, ${facts.episodes.length} episodes)`);
    await page.waitForTimeout(250);
  }
}

describe('WebGL context loss mid-run (issue 10.7)', () => {
  it('a real loss in the worker: the run goes on on wasm from its last checkpoint, says why, and its episodes stay 1..N, 200 steps apart', async () => {
    const { page, context, errors } = await openPage(browser, `${served.url}?debug${fastRunHash({ backend: 'webgl', stopAtGoal: 'false' })}`);
    await button(page, 'Start').click();
    await page.getByTestId('backend').filter({ hasText: /^webgl/ }).waitFor({ timeout: 60_000 });
    // At least one checkpoint (every 10 s of training) and a few episodes, all on WebGL (SwiftShader here),
    // with an episode finished after that checkpoint: the recovery must drop it and produce it again.
    // Interval checkpoints come every 10 s of training: the loss is forced just after one arrived (and one
    // episode past it), so no newer checkpoint can land between reading the facts and the loss.
    const first = await waitForFacts(page, 'a first checkpoint on webgl', ({ run }) => run.checkpointStep !== null && run.checkpointStep > 0, 240_000);
    const fresh = await waitForFacts(page, 'the next checkpoint', ({ run }) => run.checkpointStep !== first.run.checkpointStep, 120_000);
    const before = await waitForFacts(
      page,
      'a checkpoint and 3 episodes on webgl, one after the checkpoint',
      ({ run, episodes }) =>
        run.checkpointStep === fresh.run.checkpointStep && episodes.length >= 3 && (episodes.at(-1)?.step ?? 0) > (run.checkpointStep ?? Infinity),
      60_000,
    );
    expect(before.run.backend).toBe('webgl');

    expect(await page.evaluate((runId) => (window as unknown as DebugWindow).sacPlayground?.loseWebglContext(runId) ?? false, before.run.id)).toBe(true);

    // The status says where the run goes on and why.
    // The status bar (the page has other live regions: push, physics, lecture comparison).
    const status = page.getByRole('status', { name: 'Selected run status', exact: true });
    await page.getByTestId('backend').filter({ hasText: /^wasm/ }).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('backend-fallback').textContent()).resolves.toMatch(/WebGL lost its context.*training goes on on wasm/);
    await expect(status.textContent()).resolves.toMatch(/Training/);
    const notice = (await page.getByTestId('notice').textContent()) ?? '';
    const resumedAt = Number(/goes on on wasm from step (\d+) \(its last checkpoint\)/.exec(notice)?.[1] ?? Number.NaN);
    expect(notice).toMatch(/WebGL context was lost/);
    // From a checkpoint before the last episode it had shown: that episode is produced again, not kept twice.
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(before.episodes.at(-1)?.step ?? 0);

    // It keeps training: a few more episodes than it had at the loss.
    const lostAt = before.episodes.length;
    const after = await waitForFacts(page, 'more episodes on wasm', ({ episodes, run }) => episodes.length >= lostAt + 3 && run.backend === 'wasm', 120_000);
    expect(after.run.status).toBe('training');
    // No episode lost or repeated: 1..N, each 200 steps after the one before.
    expect(after.episodes.map((episode) => episode.episode)).toEqual(after.episodes.map((_, index) => index + 1));
    expect(after.episodes.map((episode) => episode.step)).toEqual(after.episodes.map((_, index) => 200 * (index + 1)));
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('an actor file of another hidden size (issue 10.5)', () => {
  it('names what the file has vs what is expected, and "Start a run with hidden size 32" makes a paused run holding that actor', async () => {
    const { page, context, errors } = await openPage(browser, `${served.url}${fastRunHash({ backend: 'wasm' })}`);
    expect(actorPaths[1]).toMatch(/\.weights\.bin$/);
    await page.getByLabel('Actor weight files (model .json and .weights.bin)').setInputFiles(actorPaths);
    const message = page.getByRole('alert').filter({ hasText: 'sac-pendulum-h32.json' });
    await message.waitFor({ timeout: 20_000 });
    const text = (await message.textContent()) ?? '';
    expect(text).toMatch(/it has hidden layers 32 relu, 32 relu/);
    expect(text).toMatch(/hidden layers 16 relu, 16 relu/);
    // Nothing changed: no run was made.
    expect(await runItems(page).count()).toBe(0);

    await page.getByRole('button', { name: 'Start a run with hidden size 32', exact: true }).click();
    await page.getByTestId('notice').filter({ hasText: /Loaded actor weights from .*h32/ }).waitFor({ timeout: 60_000 });
    await expect(runItems(page).count()).resolves.toBe(1);
    await expect(runItems(page).first().getByTestId('run-status').textContent()).resolves.toMatch(/Paused/);
    // The editor shows the new (selected) run's settings: hidden size 32.
    await expect(page.getByRole('textbox', { name: 'Hidden layer size (hidden_size) value' }).inputValue()).resolves.toBe('32');
    // The offer is gone once taken.
    await expect(page.getByRole('button', { name: 'Start a run with hidden size 32', exact: true }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
