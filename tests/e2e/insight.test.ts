/**
 * Issue 9 in Chromium: the phase-space maps of a training run (drawn, refreshed as it trains, with the
 * current episode's trajectory and a hover readout), a push during Test policy (the status shows θ̇
 * before → after), the test env's physics (g = 20 accepted, g = 100 refused with its range), "you drive",
 * and no main-thread long tasks while the maps are live. Elements are found by role and label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildAndServe, fastRunHash, launchChromium, LONG_TASK_RECORDER, openPage, waitForCounter, type Served } from './harness';

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await buildAndServe('/sac/insight/');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function longTasksSince(page: Page, since: number): Promise<Array<{ start: number; duration: number }>> {
  return page.evaluate((from) => ((window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks ?? []).filter((task) => task.start > from), since);
}

function button(page: Page, name: string): Locator {
  return page.getByRole('button', { name, exact: true });
}

async function numberAttribute(locator: Locator, name: string): Promise<number> {
  return Number((await locator.getAttribute(name)) ?? 'NaN');
}

/** Polls `read` until `accept` holds (or fails with the last value). */
async function waitUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('See inside the agent (issue 9)', () => {
  it('maps draw and refresh while training, with trajectory and hover; a push (button, click, drag) during Test shows θ̇; physics g 20 accepted, g 100 refused; robustness; you drive', async () => {
    const { page, errors, context } = await openPage(browser, `${served.url}${fastRunHash({ speed: 'watchx10' })}`, LONG_TASK_RECORDER);
    await button(page, 'Start').click();
    await waitForCounter(page, 'step', 20, 60_000);
    // The machine's own noise: long tasks over 2 s of training with the maps closed.
    const baselineFrom = await page.evaluate(() => performance.now());
    await page.waitForTimeout(2000);
    const baseline = await longTasksSince(page, baselineFrom);
    const runName = ((await page.getByTestId('selected-run').textContent()) ?? '').trim();

    // Maps: open the panel; the selected run's map arrives and is drawn.
    await page.getByLabel('Show phase-space maps', { exact: true }).check();
    const map = page.getByRole('img', { name: `Phase-space map: Mean torque of ${runName}`, exact: true });
    await map.waitFor();
    const first = await waitUntil(() => numberAttribute(map, 'data-version'), (version) => version >= 1, 'first map');
    await waitUntil(() => map.getAttribute('data-drawn'), (drawn) => (drawn ?? '') !== '', 'map image drawn');
    const firstStep = await numberAttribute(map, 'data-step');
    const openedAt = await page.evaluate(() => performance.now());
    // As training proceeds, new maps of later steps arrive (about once a second).
    await waitUntil(async () => [await numberAttribute(map, 'data-version'), await numberAttribute(map, 'data-step')], ([version, step]) => (version ?? 0) > first && (step ?? 0) > firstStep, 'map refreshed at a later step');
    expect(await map.getAttribute('data-value-range')).toMatch(/…/);
    // The legend names the map and shows its values.
    await page.getByRole('figure', { name: /^Colour legend: Mean torque/ }).waitFor();
    // The current episode's trajectory is drawn on top.
    await waitUntil(() => numberAttribute(map, 'data-trajectory-points'), (points) => points >= 2, 'trajectory drawn');
    // Hover reads θ, θ̇ and the value there.
    const box = await map.boundingBox();
    if (!box) throw new Error('map canvas has no box');
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await expect(page.getByRole('status', { name: `Value under the pointer (${runName})` }).textContent()).resolves.toMatch(/^θ −?[0-9.]+ rad .*θ̇ −?[0-9.]+ rad\/s: Mean torque −?[0-9.]+ N·m$/);
    // Another map of the same run.
    await page.getByRole('radio', { name: 'State value', exact: true }).check();
    const valueMap = page.getByRole('img', { name: `Phase-space map: State value of ${runName}`, exact: true });
    await waitUntil(() => valueMap.getAttribute('data-drawn'), (drawn) => (drawn ?? '').endsWith(':value'), 'value map drawn');
    // No long tasks from the maps on the main thread: their own work (colouring the grid, drawing the map
    // and trajectory; User Timing entries insight-map-*) stays within a frame and never near 50 ms. The
    // page's long tasks are reported beside those of the same page with the maps closed: on this machine
    // (2 cores shared with other builds and tests) they come and go with the load, maps or not, so they
    // are not failed on here; playground.test.ts checks the page's long tasks as a whole.
    await page.waitForTimeout(2500);
    const longTasks = await longTasksSince(page, openedAt);
    const mapWork = await page.evaluate(() =>
      performance.getEntriesByType('measure').filter((entry) => entry.name.startsWith('insight-map-')).map((entry) => entry.duration),
    );
    expect(mapWork.length).toBeGreaterThan(3);
    const durations = [...mapWork].sort((a, b) => a - b);
    expect(durations[Math.floor(durations.length * 0.95)] ?? 0).toBeLessThan(16); // within a frame
    expect(durations[durations.length - 1] ?? 0).toBeLessThan(50);
    if (longTasks.length > 0) console.warn(`insight e2e: long tasks: ${baseline.length} in 2 s with the maps closed, ${longTasks.length} with them open; longest map work ${(durations[durations.length - 1] ?? 0).toFixed(1)} ms`);

    // Push it: during Test policy, "Push right" changes θ̇ and the status says from what to what.
    await button(page, 'Test policy').click();
    await page.getByTestId('phase').filter({ hasText: /test/i }).waitFor({ timeout: 30_000 });
    await expect(button(page, 'Push right').isEnabled()).resolves.toBe(true);
    await button(page, 'Push right').click();
    const pushStatus = page.getByTestId('push-status');
    await pushStatus.filter({ hasText: /^Pushed: θ̇ −?[0-9.]+ → −?[0-9.]+ rad\/s$/ }).waitFor({ timeout: 10_000 });
    const [before, after] = ((await pushStatus.textContent()) ?? '').match(/−?[0-9.]+/g)?.map((text) => Number(text.replace('−', '-'))) ?? [];
    expect(Math.abs((after ?? 0) - (before ?? 0))).toBeGreaterThan(0.5);
    // A drag on the canvas (a click beside the bob) pushes too.
    const pendulum = page.getByRole('img', { name: /^Pendulum:/ });
    const pendulumBox = await pendulum.boundingBox();
    if (!pendulumBox) throw new Error('pendulum canvas has no box');
    await page.mouse.click(pendulumBox.x + 12, pendulumBox.y + pendulumBox.height - 30);
    await waitUntil(() => pushStatus.textContent(), (text) => (text ?? '') !== `Pushed: θ̇ ${before} → ${after} rad/s` && (text ?? '').startsWith('Pushed:'), 'click push applied', 10_000);

    // A drag on the bob moves it and throws it: θ and θ̇ change, the status says from what to what. The
    // pendulum swings fast after the pushes, so the bob is found and grabbed within one task in the page
    // (where the canvas says it drew it), then dragged a quarter turn around the pivot in ~100 ms.
    const beforeDrag = (await pushStatus.textContent()) ?? '';
    await page.evaluate(async () => {
      const canvas = document.querySelector('canvas.pendulum-canvas') as HTMLCanvasElement;
      const rect = canvas.getBoundingClientRect();
      const theta = Number(canvas.dataset.theta);
      const cx = rect.left + rect.width / 2;
      const cy = rect.top + rect.height / 2 + 6;
      const rod = Math.min(rect.width, rect.height) * 0.36;
      const at = (angle: number) => ({ clientX: cx - rod * Math.sin(angle), clientY: cy - rod * Math.cos(angle) });
      const fire = (type: string, angle: number) =>
        canvas.dispatchEvent(new PointerEvent(type, { ...at(angle), bubbles: true, cancelable: true, pointerId: 7, pointerType: 'mouse', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1 }));
      fire('pointerdown', theta);
      for (let index = 1; index <= 6; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, 16));
        fire('pointermove', theta + (index / 6) * (Math.PI / 2));
      }
      fire('pointerup', theta + Math.PI / 2);
    });
    await waitUntil(() => pushStatus.textContent(), (text) => (text ?? '') !== beforeDrag && /^Pushed: θ −?\d+° → −?\d+°/.test(text ?? ''), 'drag push applied', 10_000);

    // Physics of the test env: g = 20 is accepted, g = 100 refused with its range.
    const gravity = page.getByLabel('Gravity g (m/s²) value', { exact: true });
    await gravity.fill('20');
    await button(page, 'Apply physics').click();
    const physicsStatus = page.getByTestId('physics-status');
    await physicsStatus.filter({ hasText: 'Gravity g 20 m/s²' }).waitFor({ timeout: 10_000 });
    await gravity.fill('100');
    await button(page, 'Apply physics').click();
    await physicsStatus.filter({ hasText: 'Gravity g must be from 0.5 to 30 m/s²; 100 is out of range' }).waitFor({ timeout: 5_000 });
    await button(page, 'Stop test').click();

    // Robustness: the run's actor over 10 episodes at each of 8 masses, plotted against the mass.
    await page.getByLabel('Sweep parameter', { exact: true }).selectOption({ label: 'Mass m (kg)' });
    await button(page, 'Robustness').click();
    await page.getByTestId('robustness-status').filter({ hasText: /^Return of .* against Mass m \(kg\)/ }).waitFor({ timeout: 30_000 });
    const sweepChart = page.getByRole('img', { name: /^Robustness: mean return against Mass m \(kg\)/ });
    await expect(sweepChart.getAttribute('data-points')).resolves.toBe('8');
    await expect(button(page, 'Robustness').isEnabled()).resolves.toBe(true);

    // You drive: the keys drive a pendulum on the main thread; typing in a field is left alone.
    await button(page, 'You drive').click();
    const drive = page.getByTestId('drive-score');
    await drive.waitFor();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.down('ArrowLeft');
    await waitUntil(() => drive.textContent(), (text) => Number((text ?? '').match(/Step (\d+)/)?.[1] ?? 0) >= 10, 'you drive steps');
    await page.keyboard.up('ArrowLeft');
    expect(await drive.textContent()).toMatch(/your score so far: -[0-9.]+ · agent's last test score: (-?[0-9.]+|—)/);
    await button(page, 'You drive').click();

    expect(errors).toEqual([]);
    await context.close();
  });
  it('no long task (> 50 ms) on the main thread with maps, equations and charts all live', { retry: 2 }, async () => {
    const { page, errors, context } = await openPage(browser, `${served.url}${fastRunHash()}`, LONG_TASK_RECORDER);
    await button(page, 'Start').click();
    await waitForCounter(page, 'step', 400, 60_000);
    await page.getByLabel('Show phase-space maps', { exact: true }).check();
    const runName = ((await page.getByTestId('selected-run').textContent()) ?? '').trim();
    const map = page.getByRole('img', { name: `Phase-space map: Mean torque of ${runName}`, exact: true });
    await waitUntil(() => numberAttribute(map, 'data-version'), (version) => version >= 1, 'first map');
    // The equations panel shows the latest episode's numbers (it is always live); the charts fill.
    await page.getByRole('region', { name: 'Equations, live' }).locator('dd[data-value]:not([data-value=""])').first().waitFor({ timeout: 30_000 });
    const from = await page.evaluate(() => performance.now());
    const version = await numberAttribute(map, 'data-version');
    await page.waitForTimeout(5000);
    // Maps kept arriving during the window: they were live, not stalled.
    expect(await numberAttribute(map, 'data-version')).toBeGreaterThan(version);
    const longTasks = await longTasksSince(page, from);
    expect(longTasks, JSON.stringify(longTasks)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
