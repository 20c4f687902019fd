/**
 * Issue 10.1: served cross-origin isolated (COOP same-origin + COEP require-corp, what hosts set to enable
 * SharedArrayBuffer), the page must still train. tfjs's wasm backend then picks its threaded SIMD binary,
 * whose pthread workers cannot start from Vite's bundled module worker (`ReferenceError: e is not
 * defined`, once per thread, and the page stayed at Step 0); src/worker/wasmSetup.ts selects the
 * single-threaded SIMD binary on purpose. The same headers as `npm run preview:isolated`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildAndServe, fastRunHash, launchChromium, openPage, readCounter, waitForCounter, type Served } from './harness';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../vite.config';

let served: Served;
let browser: Browser;

beforeAll(async () => {
  served = await buildAndServe('/isolated/', CROSS_ORIGIN_ISOLATION_HEADERS);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('served cross-origin isolated', () => {
  it('is crossOriginIsolated, and Start trains on wasm with no console or worker errors', async () => {
    const { page, errors, context } = await openPage(browser, `${served.url}${fastRunHash({ backend: 'wasm' })}`);
    const wasmRequests: string[] = [];
    context.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmRequests.push(request.url());
    });
    const workerErrors: string[] = [];
    // Uncaught errors inside the worker (and its pthread workers) surface here, not as page errors.
    page.on('worker', (worker) => {
      worker.on('console', (message) => {
        if (message.type() === 'error') workerErrors.push(message.text());
      });
    });
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
    await page.getByRole('button', { name: 'Start' }).click();
    const reached = await waitForCounter(page, 'step', 300, 90_000);
    expect(reached).toBeGreaterThanOrEqual(300);
    // It keeps going (not a one-off count): the step counter moves again a little later.
    await waitForCounter(page, 'step', reached + 50, 60_000);
    expect(await readCounter(page, 'step')).toBeGreaterThan(reached);
    expect(errors).toEqual([]);
    expect(workerErrors).toEqual([]);
    // The single-threaded SIMD binary, chosen on purpose (wasmSetup.ts); never the threaded one.
    expect(wasmRequests.some((url) => /tfjs-backend-wasm-simd-[^/]*\.wasm$/.test(url))).toBe(true);
    expect(wasmRequests.filter((url) => url.includes('threaded'))).toEqual([]);
    await context.close();
  });
});
