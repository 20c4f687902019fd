/**
 * Helpers of the browser tests for the runs list, the charts and the debug store (`?debug`). They find
 * things by role and accessible name, as a user would; the store is read only for facts the page does
 * not print (a run's last checkpoint step).
 */
import type { Locator, Page } from 'playwright-core';

export function runsList(page: Page): Locator {
  return page.getByRole('list', { name: 'Runs', exact: true });
}

export function runItems(page: Page): Locator {
  return runsList(page).getByRole('listitem');
}

/** The list item of the run whose name is exactly `name` (its name box holds it). */
export function runItem(page: Page, name: string): Locator {
  return runItems(page).filter({ has: page.getByRole('textbox', { name: `Name of run ${name}`, exact: true }) });
}

/** The runs' names in list order. */
export async function runNames(page: Page): Promise<string[]> {
  return runsList(page).getByRole('textbox').evaluateAll((inputs) =>
    inputs.filter((input) => (input.getAttribute('aria-label') ?? '').startsWith('Name of run ')).map((input) => (input as HTMLInputElement).value),
  );
}

export async function runSteps(page: Page, name: string): Promise<number> {
  const text = (await runItem(page, name).getByTestId('run-steps').textContent()) ?? '';
  return Number(text.replace(/[^0-9]/g, ''));
}

export async function runStatus(page: Page, name: string): Promise<string> {
  return ((await runItem(page, name).getByTestId('run-status').textContent()) ?? '').trim();
}

export async function waitForRunStatus(page: Page, name: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await runItem(page, name).getByTestId('run-status').filter({ hasText: pattern }).waitFor({ timeout: timeoutMs });
}

/** What a chart draws: the names of its curves (from its description) and the points on its main lines. */
export async function chartContent(page: Page, title: string): Promise<{ curves: string; points: number }> {
  const canvas = page.getByRole('img', { name: `Chart: ${title}`, exact: true });
  const curves = (await canvas.getAttribute('data-curves')) ?? '';
  const points = Number((await canvas.getAttribute('data-points')) ?? '0');
  return { curves, points };
}

/** Waits until a chart has drawn at least `minimum` points on its main lines. */
export async function waitForChartPoints(page: Page, title: string, minimum: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { points } = await chartContent(page, title);
    if (points >= minimum) return points;
    if (Date.now() > deadline) throw new Error(`chart "${title}" has ${points} points, expected ≥ ${minimum}`);
    await page.waitForTimeout(200);
  }
}

/** Rows of the compare table (header row excluded): the text of each row's first cell. The table refreshes at most twice a second: poll it. */
export async function compareRowNames(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Compare runs' });
  return table.locator('tbody tr th[scope="row"]').evaluateAll((cells) => cells.map((cell) => (cell.textContent ?? '').trim()));
}

/** The bytes the kept runs take, as the page shows them (exact figure in data-bytes). */
export async function storedBytes(page: Page): Promise<number> {
  const value = await page.getByTestId('storage-used').getAttribute('data-bytes');
  return value === null || value === '' ? Number.NaN : Number(value);
}

/** Store facts through `?debug` (window.sacPlayground.store). */
export async function checkpointSteps(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => {
    const store = (window as unknown as { sacPlayground?: { store: { getState: () => { runs: Record<string, { name: string; checkpointStep: number | null }> } } } })
      .sacPlayground?.store;
    if (!store) throw new Error('no debug store: open the page with ?debug');
    return Object.fromEntries(Object.values(store.getState().runs).map((run) => [run.name, run.checkpointStep]));
  });
}

/** Waits until a chart has been redrawn for an x axis and band, e.g. "wall/minmax" (data-view). */
export async function waitForChartView(page: Page, title: string, view: string, timeoutMs = 15_000): Promise<void> {
  await page.locator(`canvas[aria-label="Chart: ${title}"][data-view="${view}"]`).waitFor({ state: 'attached', timeout: timeoutMs });
}
