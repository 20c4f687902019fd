/**
 * Takes docs/inside-view.png for the README: the production build in Chromium, a SAC run with the
 * lecture's defaults trained for real past its swing-up, then the phase-space maps (mean torque beside
 * the state value, with the current episode's trajectory) and the live equations. Not a test (no
 * assertions); run it by hand:
 *
 *   npx tsx tests/e2e/insightScreenshot.ts [env steps to train first, default 9000]
 */
import { fileURLToPath } from 'node:url';
import { buildAndServe, launchChromium, openPage, waitForCounter } from './harness';

const STEPS = Number(process.argv[2] ?? 9000);
const OUTPUT = fileURLToPath(new URL('../../docs/inside-view.png', import.meta.url));

const served = await buildAndServe('/');
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, `${served.url}?debug#backend=wasm&stopAtGoal=false`);
  await page.setViewportSize({ width: 1500, height: 1100 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const started = Date.now();
  await waitForCounter(page, 'step', STEPS, 15 * 60_000);
  await page.getByLabel('Show phase-space maps', { exact: true }).check();
  await page.waitForTimeout(4000);
  const insight = await page.locator('section.insight, [aria-labelledby="insight-title"]').first().boundingBox();
  const equations = await page.getByRole('region', { name: 'Equations, live' }).boundingBox();
  if (!insight || !equations) throw new Error('layout not found');
  const top = Math.min(insight.y, equations.y);
  const bottom = Math.max(insight.y + insight.height, equations.y + equations.height);
  const left = Math.min(insight.x, equations.x);
  const right = Math.max(insight.x + insight.width, equations.x + equations.width);
  await page.screenshot({ path: OUTPUT, clip: { x: left - 8, y: top - 8, width: right - left + 16, height: bottom - top + 16 }, fullPage: true });
  console.log(`wrote ${OUTPUT} after ${Math.round((Date.now() - started) / 1000)} s; console errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
} finally {
  await browser.close();
  await served.close();
}
