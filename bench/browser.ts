/**
 * Browser half of `npm run bench`: the real page's worker on the production build, in Debian's headless
 * Chromium, driven through the page itself (URL hash for settings, the Start button, the `?debug` store
 * for reading counters). Fast mode with the canvas drawing, as a user runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SwingUpResult, TrainingRate } from '../src/rl/benchmark';
import { SWING_UP_THRESHOLD } from '../src/rl/benchmark';
import { ALGORITHM_IDS, type AlgorithmId } from '../src/rl/algorithm';
import { buildAndServe, launchChromium } from '../tests/e2e/harness';

/** Several runs training at once in the page: their env steps per wall-clock second, summed. */
export interface ConcurrentRate {
  runs: number;
  envStepsPerSecond: number;
  /** Runs seen training at the end of the window (should equal `runs`). */
  training: number;
}

/** One algorithm's run in the page's worker (`#algo=…`, its defaults, hidden 64, tfjs on wasm). */
export interface PageAlgorithmRate {
  algorithm: AlgorithmId;
  /** The table row: the algorithm id, or 'sac-kernels' for SAC on its hand-written engine. */
  key: string;
  /** Env steps per second of the run's training time, updates included; null when not measured. */
  envStepsPerSecond: number | null;
  /** Why there is no figure (the page ignores `algo`, or the run did not train). */
  note: string | null;
}

export interface BrowserResults {
  rates: TrainingRate[];
  algorithms: PageAlgorithmRate[];
  concurrent: ConcurrentRate[];
  renderer: string | null;
  swingUps: SwingUpResult[];
  memory: {
    backend: string;
    tensorsAfter1k: number | null;
    tensorsAfterLong: number | null;
    longUpdates: number;
    heapAfter1kMiB: number | null;
    heapAfterLongMiB: number | null;
  } | null;
  bundle: { mainGzipKiB: number; lazyGzipKiB: number; workerGzipKiB: number };
}

interface StoreSnapshot {
  /** The selected run's status (the run Start created). */
  status: string;
  /** The selected run's algorithm as its record says ('sac' for a page that predates issue 8's algo). */
  algorithm: string;
  totalSteps: number;
  updates: number;
  elapsedSeconds: number;
  numTensors: number | null;
  backend: string | null;
  renderer: string | null;
  avg10: number[];
  steps: number[];
  heapMiB: number | null;
  /** Every run: status and env steps so far (for the concurrent-runs rows). */
  runs: Array<{ status: string; totalSteps: number }>;
}

/** Reads the page's store (exposed by `?debug`): the selected run, and every run's steps. */
async function snapshot(page: Page): Promise<StoreSnapshot> {
  return page.evaluate(() => {
    type Store = { getState: () => Record<string, unknown> };
    const store = (window as unknown as { sacPlayground: { store: Store } }).sacPlayground.store;
    const state = store.getState();
    const runs = state.runs as Record<string, { status: string; totalSteps: number; updates: number; elapsedSeconds: number; algorithm?: string }>;
    const selectedId = state.selectedRunId as string | null;
    const run = selectedId === null ? undefined : runs[selectedId];
    const backends = state.backends as Record<string, { backend: string; renderer: string | null }>;
    const backend = selectedId === null ? undefined : backends[selectedId];
    const tensors = state.tensors as Record<string, { latest: number }>;
    const episodeLists = state.episodes as Record<string, Array<{ avg10: number; step: number }>>;
    const episodes = (selectedId === null ? undefined : episodeLists[selectedId]) ?? [];
    // Collect garbage first (Chromium runs with --js-flags=--expose-gc) so the heap figure is what is live.
    (window as unknown as { gc?: () => void }).gc?.();
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return {
      status: run?.status ?? 'none',
      algorithm: run?.algorithm ?? 'sac',
      totalSteps: run?.totalSteps ?? 0,
      updates: run?.updates ?? 0,
      elapsedSeconds: run?.elapsedSeconds ?? 0,
      numTensors: selectedId === null ? null : (tensors[selectedId]?.latest ?? null),
      backend: backend?.backend ?? null,
      renderer: backend?.renderer ?? null,
      avg10: episodes.map((e) => e.avg10),
      steps: episodes.map((e) => e.step),
      heapMiB: memory ? memory.usedJSHeapSize / 2 ** 20 : null,
      runs: Object.values(runs).map((r) => ({ status: r.status, totalSteps: r.totalSteps })),
    };
  });
}

async function waitFor(page: Page, predicate: (s: StoreSnapshot) => boolean, timeoutMs: number): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await snapshot(page);
    if (predicate(state) || Date.now() > deadline) return state;
    await page.waitForTimeout(250);
  }
}

/**
 * A fresh page (a new browser context: empty IndexedDB, new workers) with settings in the hash; presses
 * Start and resolves once training runs. `seeds` > 1 starts a group; `maxConcurrent` sets how many train at once.
 */
async function startRun(browser: Browser, baseUrl: string, hash: string, options: { seeds?: number; maxConcurrent?: number; timeoutMs?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const query = options.maxConcurrent === undefined ? '?debug' : `?debug&maxConcurrent=${options.maxConcurrent}`;
  await page.goto(`${baseUrl}${query}#${hash}`);
  const seeds = options.seeds ?? 1;
  if (seeds > 1) await page.getByLabel('Seeds', { exact: true }).fill(String(seeds));
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitFor(page, (s) => s.runs.filter((r) => r.status === 'training' && r.totalSteps > 0).length >= seeds && s.updates > 0, options.timeoutMs ?? 120_000);
  return page;
}

/**
 * Every algorithm in the page's worker, chosen by `#algo=<id>` (issue 8), with its defaults at hidden 64
 * (tfjs ones on wasm): env steps over the run's own training time, after a warm-up that reaches the
 * updates (DDPG/TD3: past their 10,000 random warm-up steps; PPO/TRPO: past the first update phase).
 * A page that does not know `algo` starts SAC instead: that row says so rather than timing SAC again.
 */
async function measureAlgorithmsInPage(browser: Browser, baseUrl: string, seconds: number, log: (line: string) => void): Promise<PageAlgorithmRate[]> {
  const results: PageAlgorithmRate[] = [];
  // Every algorithm on tfjs wasm, and SAC on its hand-written kernels too (what auto picks here).
  const rows = [...ALGORITHM_IDS.map((algorithm) => ({ algorithm, backend: 'wasm', key: algorithm as string })), { algorithm: 'sac' as AlgorithmId, backend: 'kernels', key: 'sac-kernels' }];
  for (const { algorithm, backend, key } of rows) {
    const page = await startRun(browser, baseUrl, `algo=${algorithm}&backend=${backend}&hiddenSize=64&stopAtGoal=false`, { timeoutMs: 60_000 });
    try {
      const started = await snapshot(page);
      if (started.algorithm !== algorithm) {
        results.push({ algorithm, key, envStepsPerSecond: null, note: `the page started ${started.algorithm} for #algo=${algorithm} (no algo support in this build)` });
      } else if (started.status !== 'training') {
        results.push({ algorithm, key, envStepsPerSecond: null, note: `the run did not start training (status ${started.status})` });
      } else {
        await page.waitForTimeout(2000);
        const before = await snapshot(page);
        await page.waitForTimeout(seconds * 1000);
        const after = await snapshot(page);
        const elapsed = after.elapsedSeconds - before.elapsedSeconds;
        results.push(elapsed > 0 ? { algorithm, key, envStepsPerSecond: (after.totalSteps - before.totalSteps) / elapsed, note: null } : { algorithm, key, envStepsPerSecond: null, note: 'no training time elapsed' });
      }
    } finally {
      await page.close();
    }
    const row = results[results.length - 1];
    log(`page ${key}: ${row?.envStepsPerSecond?.toFixed(0) ?? '—'} env steps/s${row?.note ? ` (${row.note})` : ''}`);
  }
  return results;
}

/** Aggregate env steps/s of `runs` runs training at once in one page (one worker each), kernels, hidden 64. */
async function measureConcurrent(browser: Browser, baseUrl: string, runs: number, seconds: number): Promise<ConcurrentRate> {
  const page = await startRun(browser, baseUrl, 'backend=kernels&hiddenSize=64&stopAtGoal=false', { seeds: runs, maxConcurrent: runs });
  await page.waitForTimeout(2000);
  const sum = (s: StoreSnapshot): number => s.runs.reduce((total, r) => total + r.totalSteps, 0);
  const before = await snapshot(page);
  const startedAt = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const after = await snapshot(page);
  const wall = (Date.now() - startedAt) / 1000;
  await page.close();
  return { runs, envStepsPerSecond: (sum(after) - sum(before)) / wall, training: after.runs.filter((r) => r.status === 'training').length };
}

function gzipKiB(files: string[]): number {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(file)).byteLength, 0) / 1024;
}

/**
 * Main-thread JS: what the first paint loads (the scripts index.html names, and their static imports:
 * Vite puts those in index.html as modulepreload links) vs. the chunks loaded later (the equations panel's
 * KaTeX, lazily) and the worker chunk(s) that hold tfjs.
 */
function bundleSizes(outDir: string): { mainGzipKiB: number; lazyGzipKiB: number; workerGzipKiB: number } {
  const assets = join(outDir, 'assets');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js')).map((name) => join(assets, name));
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const worker = scripts.filter((file) => /worker/i.test(file));
  const main = scripts.filter((file) => !worker.includes(file) && html.includes(basename(file)));
  const lazy = scripts.filter((file) => !worker.includes(file) && !main.includes(file));
  return { mainGzipKiB: gzipKiB(main), lazyGzipKiB: gzipKiB(lazy), workerGzipKiB: gzipKiB(worker) };
}

export async function runBrowserBench(options: { seconds: number; swingUpSeed: number; log: (line: string) => void; longUpdates?: number; onlyAlgorithms?: boolean }): Promise<BrowserResults> {
  const served = await buildAndServe();
  const browser = await launchChromium(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
  const rates: TrainingRate[] = [];
  let algorithms: PageAlgorithmRate[] = [];
  const concurrent: ConcurrentRate[] = [];
  let renderer: string | null = null;
  const swingUps: SwingUpResult[] = [];
  let memory: BrowserResults['memory'] = null;
  try {
    algorithms = await measureAlgorithmsInPage(browser, served.url, options.seconds, options.log);
    for (const backend of options.onlyAlgorithms ? [] : ['kernels', 'wasm', 'webgl', 'cpu']) {
      for (const hiddenSize of [64, 256]) {
        const page = await startRun(browser, served.url, `backend=${backend}&hiddenSize=${hiddenSize}&stopAtGoal=false`);
        // Warm-up (shader compilation on WebGL, wasm tiering), then count updates over `seconds`.
        await page.waitForTimeout(2000);
        const before = await snapshot(page);
        await page.waitForTimeout(options.seconds * 1000);
        const after = await snapshot(page);
        const seconds = after.elapsedSeconds - before.elapsedSeconds;
        const rate = seconds > 0 ? (after.updates - before.updates) / seconds : 0;
        renderer = after.renderer ?? renderer;
        options.log(`page ${after.backend} hidden ${hiddenSize}: ${rate.toFixed(1)} updates/s`);
        rates.push({ backend: after.backend ?? backend, hiddenSize, updatesPerSecond: rate, kernelsPerUpdate: Number.NaN, steps: after.updates - before.updates });
        await page.close();
      }
    }

    if (options.onlyAlgorithms) return { rates, algorithms, concurrent, renderer, swingUps, memory, bundle: bundleSizes(served.outDir) };
    // Several runs at once (a seed group with as many slots as runs): aggregate env steps/s.
    for (const runs of [1, 2, 4]) {
      const result = await measureConcurrent(browser, served.url, runs, options.seconds);
      concurrent.push(result);
      options.log(`page kernels, ${runs} concurrent run(s): ${result.envStepsPerSecond.toFixed(1)} env steps/s in all (${result.training} training)`);
    }

    // Time to swing up from pressing Start, on the fastest backend at hidden 64.
    const best = rates.filter((r) => r.hiddenSize === 64).sort((a, b) => b.updatesPerSecond - a.updatesPerSecond)[0]?.backend ?? 'wasm';
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${served.url}?debug#backend=${best}&seed=${options.swingUpSeed}&stopAtGoal=false`);
    const pressed = Date.now();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const final = await waitFor(page, (s) => s.avg10.some((v, i) => i >= 9 && v > SWING_UP_THRESHOLD) || s.totalSteps >= 20_000, 600_000);
    const index = final.avg10.findIndex((v, i) => i >= 9 && v > SWING_UP_THRESHOLD);
    const seconds = (Date.now() - pressed) / 1000;
    swingUps.push({ backend: best, seed: options.swingUpSeed, steps: index >= 0 ? (final.steps[index] ?? null) : null, seconds, updatesPerSecond: final.updates / Math.max(final.elapsedSeconds, 1e-9) });
    options.log(`page ${best} swing-up seed ${options.swingUpSeed}: step ${index >= 0 ? final.steps[index] : 'never'}, ${seconds.toFixed(1)} s from pressing Start`);

    await page.close();

    // Issue 11's goal: Start → upright with every default (no settings in the URL, a fresh profile, so the
    // default backend is measured first, as on a first visit), then again in the same profile (measurement cached).
    // The second visit gets a new profile holding only the first one's localStorage (the backend measured
    // and cached there), not its IndexedDB runs: its page shows Start again, with the measurement cached.
    let storageState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
    for (const visit of ['first visit', 'second visit']) {
      const defaultsContext = await browser.newContext({ viewport: { width: 1400, height: 1000 }, storageState });
      const defaultsPage = await defaultsContext.newPage();
      await defaultsPage.goto(`${served.url}?debug`);
      const started = Date.now();
      await defaultsPage.getByRole('button', { name: 'Start', exact: true }).click();
      const done = await waitFor(defaultsPage, (s) => s.avg10.some((v, i) => i >= 9 && v > SWING_UP_THRESHOLD) || s.totalSteps >= 20_000, 600_000);
      const upright = done.avg10.findIndex((v, i) => i >= 9 && v > SWING_UP_THRESHOLD);
      const defaultsSeconds = (Date.now() - started) / 1000;
      swingUps.push({ backend: `every default, ${visit}: ${done.backend ?? '?'}`, seed: 500, steps: upright >= 0 ? (done.steps[upright] ?? null) : null, seconds: defaultsSeconds, updatesPerSecond: done.updates / Math.max(done.elapsedSeconds, 1e-9) });
      options.log(`page, every default (${visit}, ${done.backend ?? '?'}): upright at step ${upright >= 0 ? done.steps[upright] : 'never'}, ${defaultsSeconds.toFixed(1)} s from pressing Start`);
      storageState = await defaultsContext.storageState();
      await defaultsContext.close();
    }

    // Memory: tensors and heap after 1,000 updates and after many more, same run.
    const longUpdates = options.longUpdates ?? 50_000;
    const longPage = await startRun(browser, served.url, `backend=${best}&stopAtGoal=false`);
    const early = await waitFor(longPage, (s) => s.updates >= 1000, 120_000);
    const late = await waitFor(longPage, (s) => s.updates >= longUpdates, longUpdates * 20);
    memory = {
      backend: best,
      tensorsAfter1k: early.numTensors,
      tensorsAfterLong: late.numTensors,
      longUpdates: late.updates,
      heapAfter1kMiB: early.heapMiB,
      heapAfterLongMiB: late.heapMiB,
    };
    options.log(`page memory: tensors ${early.numTensors} → ${late.numTensors}, heap ${early.heapMiB?.toFixed(1)} → ${late.heapMiB?.toFixed(1)} MiB after ${late.updates} updates`);
  } finally {
    await browser.close();
    if (options.onlyAlgorithms) await served.close();
  }
  const bundle = bundleSizes(served.outDir);
  await served.close();
  return { rates, algorithms, concurrent, renderer, swingUps, memory, bundle };
}
