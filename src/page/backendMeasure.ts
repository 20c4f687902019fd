/**
 * "Measure again": measures the backends for a run shape in a worker of its own (one that hosts no
 * run, since a race switches tfjs's backend), then ends that worker. The result goes into the page's
 * cache (backendCache.ts), so runs of that shape started from now on use it. The worker factory is
 * injected (the page passes its training worker; Node tests a fake).
 */
import { isBackendsMeasuredMessage, type BackendShape, type MeasureBackendsMessage, type MeasuredBackends } from '../worker/protocol';

/** The part of a Worker this uses. */
export interface MeasuringWorker {
  postMessage(message: MeasureBackendsMessage): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
}

/** A measurement takes a few seconds (warm-up and 0.3 s per backend); a worker silent this long is given up. */
export const MEASURE_TIMEOUT_MS = 120_000;

export type MeasureBackends = (shape: BackendShape) => Promise<MeasuredBackends>;

export function measureBackendsWith(
  createWorker: () => MeasuringWorker,
  timers: { set: (callback: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (callback, ms) => setTimeout(callback, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): MeasureBackends {
  let requests = 0;
  return (shape) =>
    new Promise<MeasuredBackends>((resolve, reject) => {
      requests += 1;
      const requestId = requests;
      const worker = createWorker();
      const finish = (outcome: () => void): void => {
        timers.clear(timeout);
        worker.onmessage = null;
        worker.onerror = null;
        worker.terminate();
        outcome();
      };
      const timeout = timers.set(() => finish(() => reject(new Error('the measuring worker did not answer'))), MEASURE_TIMEOUT_MS);
      worker.onmessage = (event) => {
        const data = event.data;
        if (!isBackendsMeasuredMessage(data) || data.requestId !== requestId) return; // its `ready`, or anything else
        finish(() => (data.result !== null ? resolve(data.result) : reject(new Error(data.problem ?? 'the measurement failed'))));
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        finish(() => reject(new Error(`the measuring worker failed${event.message ? `: ${event.message}` : ''}`)));
      };
      worker.postMessage({ type: 'measureBackends', runId: null, requestId, shape });
    });
}
