/**
 * Takes docs/experiments.png for the README: the production build in Chromium, a 3-seed group with the
 * lecture's defaults and a second configuration (hidden size 32) trained for real, side by side, with
 * the group's min–max band. Not a test (no assertions); run it by hand:
 *
 *   npx tsx tests/e2e/experimentsScreenshot.ts [steps per run, default 6000]
 */
import { fileURLToPath } from 'node:url';
import { buildAndServe, launchChromium, openPage } from './harness';
import { runItems } from './runsHelpers';

const STEPS_PER_RUN = Number(process.argv[2] ?? 6000);
const OUTPUT = fileURLToPath(new URL('../../docs/experiments.png', import.meta.url));

const served = await buildAndServe('/');
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, `${served.url}?debug&maxConcurrent=4#maxSteps=${STEPS_PER_RUN}&backend=wasm`);
  await page.getByLabel('Seeds', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const hidden = page.getByLabel('Hidden layer size (hidden_size) value', { exact: true });
  await hidden.fill('32');
  await hidden.press('Enter');
  await page.getByLabel('Seeds', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Add run', exact: true }).click();
  const started = Date.now();
  // Until every run is done (the step limit), reporting progress now and then.
  for (;;) {
    const statuses = await runItems(page).getByTestId('run-status').allTextContents();
    if (statuses.length === 4 && statuses.every((status) => status.startsWith('Done'))) break;
    if (Date.now() - started > 15 * 60_000) throw new Error(`runs not done after 15 min: ${statuses.join(', ')}`);
    await page.waitForTimeout(5000);
    console.log(`${Math.round((Date.now() - started) / 1000)} s: ${statuses.join(', ')}`);
  }
  await page.waitForTimeout(1500);
  // The runs list beside the charts and the compare table: crop to the runs panel and the right column.
  await page.getByRole('heading', { name: 'Training curves' }).scrollIntoViewIfNeeded();
  const top = await page.locator('.column-right').boundingBox();
  const table = await page.getByRole('table', { name: 'Compare runs' }).boundingBox();
  const runs = await page.locator('section.runs').boundingBox();
  if (!top || !table || !runs) throw new Error('layout not found');
  const clip = { x: runs.x - 8, y: Math.min(top.y, runs.y) - 8, width: top.x + top.width - runs.x + 16, height: table.y + table.height - Math.min(top.y, runs.y) + 24 };
  await page.screenshot({ path: OUTPUT, clip, fullPage: true });
  console.log(`wrote ${OUTPUT} after ${Math.round((Date.now() - started) / 1000)} s; console errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
} finally {
  await browser.close();
  await served.close();
}
