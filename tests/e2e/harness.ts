/**
 * Shared setup of the browser tests: build the production bundle, serve it with `vite preview` on a
 * free localhost port, and drive Debian's Chromium through playwright-core (nothing is downloaded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  /** The folder the app was built into (removed by close). */
  outDir: string;
  close: () => Promise<void>;
}

/**
 * Builds the app into a fresh temporary folder (so test files, and sessions running tests side by side,
 * never overwrite each other's build) and serves it under `basePath` (to prove it works from any path).
 */
export async function buildAndServe(basePath = '/', headers?: Record<string, string>): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'sac-playground-dist-'));
  await build({ root: ROOT, configFile: `${ROOT}/vite.config.ts`, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server: PreviewServer = await preview({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    base: basePath,
    logLevel: 'error',
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1', open: false, ...(headers ? { headers } : {}) },
  });
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    outDir,
    close: () =>
      new Promise<void>((resolve) => server.httpServer.close(() => resolve())).then(() => rmSync(outDir, { recursive: true, force: true })),
  };
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** console.error messages and uncaught errors, page and workers. */
  errors: string[];
}

/** A fresh context + page that records console errors and uncaught exceptions. */
export async function openPage(browser: Browser, url: string, initScript?: string): Promise<WatchedPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('worker', (worker) => {
    worker.on('close', () => undefined);
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Reads a number from a status field such as "Episode 12" or "Step 1,234". */
export async function readCounter(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const digits = text.replace(/[^0-9-]/g, '');
  return digits === '' ? Number.NaN : Number(digits);
}

/** Waits until a status counter reaches at least `minimum`. */
export async function waitForCounter(page: Page, testId: string, minimum: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await readCounter(page, testId);
    if (value >= minimum) return value;
    if (Date.now() > deadline) throw new Error(`${testId} stayed at ${value}, expected ≥ ${minimum} within ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/** Hash of small hyperparameters that make a run fast on two cores. */
export function fastRunHash(extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams({ hiddenSize: '16', batchSize: '16', ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, String(value)])) });
  return `#${params.toString()}`;
}

/** Init script: records main-thread long tasks from the first paint on (PerformanceObserver 'longtask') in window.__longTasks. */
export const LONG_TASK_RECORDER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {}
`;
