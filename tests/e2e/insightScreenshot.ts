/**
 * Takes docs/inside-view.png (maps) and docs/equations.png for the README: the production build in Chromium, a SAC run with the
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
const EQUATIONS_OUTPUT = fileURLToPath(new URL('../../docs/equations.png', import.meta.url));

const served = await buildAndServe('/');
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, `${served.url}?debug#backend=wasm&stopAtGoal=false`);
  await page.setViewportSize({ width: 1100, height: 1100 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const started = Date.now();
  await waitForCounter(page, 'step', STEPS, 15 * 60_000);
  await page.getByLabel('Show phase-space maps', { exact: true }).check();
  await page.waitForTimeout(4000);
  await page.getByRole('radio', { name: 'State value', exact: true }).check();
  await page.waitForTimeout(2500);
  // Two pictures: the maps panel (the state value map with the current episode's trajectory) and the equations.
  await page.getByRole('region', { name: 'Phase-space maps' }).screenshot({ path: OUTPUT });
  await page.getByRole('region', { name: 'Equations, live' }).screenshot({ path: EQUATIONS_OUTPUT });
  console.log(`wrote ${OUTPUT} and ${EQUATIONS_OUTPUT} after ${Math.round((Date.now() - started) / 1000)} s; console errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
} finally {
  await browser.close();
  await served.close();
}
