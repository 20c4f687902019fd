/**
 * Soak benchmark (issue 10.9; a benchmark, not a timed test): trains in the page for a long time (30
 * minutes by default) with a restart (delete the run, add a new one) and a live change every cycle (one
 * minute by default), and reports at the start and the end of the soak:
 *   - tensors: tf.memory().numTensors of the training worker, as the page's store has it;
 *   - the page's JS heap after a forced GC (performance.memory, Chromium with --expose-gc);
 *   - the training workers' memory (performance.measureUserAgentSpecificMemory, which needs the page to
 *     be cross-origin isolated: the build is served with the COOP/COEP headers of preview:isolated);
 *   - IndexedDB storage the page reports (deleted runs must free theirs);
 *   - main-thread long tasks (> 50 ms) over the whole soak.
 * Flat is the goal. Usage:
 *   npm run bench:soak                                 # 30 minutes, a cycle a minute
 *   npm run bench:soak -- --minutes 3 --cycle-seconds 20 --out /tmp/soak.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildAndServe, launchChromium, openPage } from '../tests/e2e/harness';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../vite.config';

interface Sample {
  /** Seconds since the soak started. */
  atSeconds: number;
  cycle: number;
  /** Env steps of the run trained in this cycle, when the sample was taken. */
  steps: number;
  /** The worker's tf.memory().numTensors (latest report for that run), or null before one. */
  tensors: number | null;
  pageHeapMiB: number | null;
  /** Summed over dedicated workers; null when the browser could not measure (not isolated). */
  workerMemoryMiB: number | null;
  storageKiB: number | null;
  /** Main-thread long tasks since the page opened (page load and the first Start included). */
  longTasks: number;
  /** The longest of them, ms. */
  longestTaskMs: number;
}

const LONG_TASK_RECORDER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {}
`;

function options(): { minutes: number; cycleSeconds: number; out: string | null } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { minutes: { type: 'string' }, 'cycle-seconds': { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const minutes = Number(values.minutes ?? 30);
  const cycleSeconds = Number(values['cycle-seconds'] ?? 60);
  if (!(minutes > 0) || !(cycleSeconds >= 10)) throw new Error('--minutes must be > 0 and --cycle-seconds ≥ 10');
  return { minutes, cycleSeconds, out: values.out ?? null };
}

/** The page's store and commands (exposed by `?debug`), typed only as far as this script uses them. */
const PAGE_HELPERS = `
  window.__soak = {
    state: () => window.sacPlayground.store.getState(),
    commands: () => window.sacPlayground.commands,
  };
`;

async function selectedRun(page: Page): Promise<{ id: string; steps: number; tensors: number | null } | null> {
  return page.evaluate(() => {
    const state = (window as unknown as { __soak: { state: () => Record<string, unknown> } }).__soak.state() as {
      selectedRunId: string | null;
      runs: Record<string, { totalSteps: number }>;
      tensors: Record<string, { latest: number }>;
    };
    const id = state.selectedRunId;
    if (id === null || !state.runs[id]) return null;
    return { id, steps: state.runs[id].totalSteps, tensors: state.tensors[id]?.latest ?? null };
  });
}

async function waitForSteps(page: Page, minimum: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await selectedRun(page);
    if (run !== null && run.steps >= minimum) return;
    if (Date.now() > deadline) throw new Error(`the selected run did not reach ${minimum} steps within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Page heap after GC, worker memory (when isolated), storage and long tasks so far. */
async function measure(page: Page, withWorkerMemory: boolean): Promise<Omit<Sample, 'atSeconds' | 'cycle' | 'steps' | 'tensors'>> {
  return page.evaluate(async (measureWorkers) => {
    const gc = (window as unknown as { gc?: () => void }).gc;
    gc?.();
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    let workerBytes: number | null = null;
    const measureMemory = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ breakdown: Array<{ bytes: number; attribution: Array<{ scope: string }> }> }> })
      .measureUserAgentSpecificMemory;
    if (measureWorkers && window.crossOriginIsolated && measureMemory) {
      const result = await measureMemory.call(performance);
      workerBytes = result.breakdown
        .filter((entry) => entry.attribution.some((attribution) => attribution.scope === 'DedicatedWorkerGlobalScope'))
        .reduce((sum, entry) => sum + entry.bytes, 0);
    }
    const state = (window as unknown as { __soak: { state: () => { storage: { usedBytes: number | null } } } }).__soak.state();
    const durations = (window as unknown as { __longTasks: number[] }).__longTasks;
    return {
      pageHeapMiB: memory ? memory.usedJSHeapSize / 2 ** 20 : null,
      workerMemoryMiB: workerBytes === null ? null : workerBytes / 2 ** 20,
      storageKiB: state.storage.usedBytes === null ? null : state.storage.usedBytes / 1024,
      longTasks: durations.length,
      longestTaskMs: durations.reduce((max, duration) => Math.max(max, duration), 0),
    };
  }, withWorkerMemory);
}

async function main(): Promise<void> {
  const { minutes, cycleSeconds, out } = options();
  const served = await buildAndServe('/', CROSS_ORIGIN_ISOLATION_HEADERS);
  const browser = await launchChromium(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
  const samples: Sample[] = [];
  try {
    // The stop rule off, so a run that reaches the goal keeps training until its restart.
    const { page, errors } = await openPage(browser, `${served.url}?debug#stopAtGoal=false`, LONG_TASK_RECORDER);
    await page.waitForFunction(() => (window as unknown as { sacPlayground?: unknown }).sacPlayground !== undefined);
    await page.evaluate(PAGE_HELPERS);
    await page.evaluate(() => (window as unknown as { sacPlayground: { ready: Promise<void> } }).sacPlayground.ready);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitForSteps(page, 500, 120_000);
    const started = Date.now();
    const cycles = Math.max(1, Math.round((minutes * 60) / cycleSeconds));
    for (let cycle = 0; cycle <= cycles; cycle++) {
      const run = await selectedRun(page);
      const last = cycle === cycles;
      const sample: Sample = {
        atSeconds: (Date.now() - started) / 1000,
        cycle,
        steps: run?.steps ?? 0,
        tensors: run?.tensors ?? null,
        ...(await measure(page, cycle === 0 || last)),
      };
      samples.push(sample);
      console.log(
        `cycle ${cycle}/${cycles} at ${sample.atSeconds.toFixed(0)} s: steps ${sample.steps}, tensors ${sample.tensors ?? '?'}, ` +
          `page heap ${sample.pageHeapMiB?.toFixed(1) ?? '?'} MiB, workers ${sample.workerMemoryMiB?.toFixed(1) ?? '—'} MiB, ` +
          `storage ${sample.storageKiB?.toFixed(0) ?? '?'} KiB, long tasks ${sample.longTasks} (longest ${sample.longestTaskMs.toFixed(0)} ms)`,
      );
      if (last || run === null) break;
      // Half a cycle in: a live change on the running run (alternating values).
      await page.waitForTimeout((cycleSeconds * 1000) / 2);
      await page.evaluate((odd) => {
        const commands = (window as unknown as { __soak: { commands: () => { changeParameter: (key: string, value: number) => string | null } } }).__soak.commands();
        commands.changeParameter('actorLr', odd ? 3e-4 : 1e-3);
        commands.changeParameter('gamma', odd ? 0.98 : 0.99);
      }, cycle % 2 === 1);
      await page.waitForTimeout((cycleSeconds * 1000) / 2);
      // The restart: the run is deleted (its storage freed after the undo window) and a new one added.
      await page.evaluate((runId) => {
        const commands = (window as unknown as { __soak: { commands: () => { deleteRun: (id: string) => void; addRun: () => void } } }).__soak.commands();
        commands.deleteRun(runId);
        commands.addRun();
      }, run.id);
      await waitForSteps(page, 300, 120_000);
    }
    const first = samples[0];
    const final = samples[samples.length - 1];
    const report = { date: new Date().toISOString(), minutes, cycleSeconds, samples, consoleErrors: errors };
    console.log('\nstart → end');
    if (first && final) {
      console.log(`  tensors (worker)   ${first.tensors} → ${final.tensors}`);
      console.log(`  page heap (GC'd)   ${first.pageHeapMiB?.toFixed(1)} → ${final.pageHeapMiB?.toFixed(1)} MiB`);
      console.log(`  worker memory      ${first.workerMemoryMiB?.toFixed(1) ?? '—'} → ${final.workerMemoryMiB?.toFixed(1) ?? '—'} MiB`);
      console.log(`  storage            ${first.storageKiB?.toFixed(0)} → ${final.storageKiB?.toFixed(0)} KiB`);
      console.log(
        `  long tasks (>50ms) ${first.longTasks} before the soak (page load, first run), ${final.longTasks - first.longTasks} during its ` +
          `${(final.atSeconds / 60).toFixed(1)} min (longest ${final.longestTaskMs.toFixed(0)} ms); console errors ${errors.length}`,
      );
    }
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
