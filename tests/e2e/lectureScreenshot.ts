/**
 * Takes docs/lecture-comparison.png (the score chart) and docs/lecture-claims.png (the claims table) for the README: the production build in Chromium, one press of
 * "Compare algorithms (lecture)" with every default (SAC, DDPG, TD3, PPO, TRPO × seeds 1–3; 20,000 env
 * steps per off-policy run, 100,000 per on-policy run), trained for real until every run is done, then
 * the charts on the log step axis and the claims table. Not a test (no assertions); run it by hand:
 *
 *   npx tsx tests/e2e/lectureScreenshot.ts [runs at once, default 2] [env steps per run, blank = defaults]
 */
import { fileURLToPath } from 'node:url';
import { buildAndServe, launchChromium, openPage } from './harness';

const AT_ONCE = Number(process.argv[2] ?? 2);
const STEPS = process.argv[3] ?? '';
const OUTPUT = fileURLToPath(new URL('../../docs/lecture-comparison.png', import.meta.url));
const CLAIMS_OUTPUT = fileURLToPath(new URL('../../docs/lecture-claims.png', import.meta.url));

const served = await buildAndServe('/');
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, `${served.url}?debug&maxConcurrent=${AT_ONCE}#backend=wasm`);
  await page.setViewportSize({ width: 1500, height: 1100 });
  const section = page.getByRole('region', { name: 'Lecture comparison' });
  await section.getByLabel('Env steps per run').fill(STEPS);
  await section.getByRole('button', { name: 'Compare algorithms (lecture)' }).click();
  const started = Date.now();
  for (;;) {
    const statuses = await page.evaluate(() => Object.values(window.sacPlayground?.store.getState().runs ?? {}).map((run) => `${run.name}: ${run.status} ${run.totalSteps}`));
    if (statuses.length === 15 && statuses.every((status) => / done /.test(status))) break;
    if (Date.now() - started > 40 * 60_000) throw new Error(`runs not done after 40 min: ${statuses.join(', ')}`);
    await page.waitForTimeout(15_000);
    console.log(`${Math.round((Date.now() - started) / 1000)} s: ${statuses.filter((status) => !/ done | queued /.test(status)).join(', ')}`);
  }
  await page.waitForTimeout(2500);
  // The score chart on the log step axis, and the claims table: two pictures. For the picture only, the
  // charts go one per row and taller (the page's own layout gives each chart 260 px beside another one).
  await page.setViewportSize({ width: 1000, height: 1400 });
  await page.addStyleTag({ content: '.chart-canvas { height: 520px !important; }' });
  await page.waitForTimeout(1500);
  await page.getByRole('img', { name: 'Chart: Episode score', exact: true }).screenshot({ path: OUTPUT });
  await section.screenshot({ path: CLAIMS_OUTPUT });
  const claims = await section.getByRole('list').last().allTextContents();
  console.log(`wrote ${OUTPUT} and ${CLAIMS_OUTPUT} after ${Math.round((Date.now() - started) / 1000)} s\n${claims.join('\n')}\nconsole errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`);
} finally {
  await browser.close();
  await served.close();
}
