/**
 * One chart redraw per animation frame across all charts (oldest request first), and at most one
 * redraw per chart every MIN_REDRAW_INTERVAL_MS (2/s: training curves need no more, and with many runs a
 * redraw is the main thread's largest task): a metrics batch then costs a few small frames instead
 * of one frame that redraws every chart (which on a slow machine could exceed 50 ms, a long task).
 */
export interface Redrawable {
  redraw(): void;
}

const MIN_REDRAW_INTERVAL_MS = 500;
const queue = new Set<Redrawable>();
const lastRedraw = new WeakMap<Redrawable, number>();
let frameRequest = 0;

function pump(): void {
  frameRequest = 0;
  const now = performance.now();
  for (const item of queue) {
    if (now - (lastRedraw.get(item) ?? Number.NEGATIVE_INFINITY) < MIN_REDRAW_INTERVAL_MS) continue;
    queue.delete(item);
    lastRedraw.set(item, now);
    item.redraw();
    break;
  }
  if (queue.size > 0) frameRequest = requestAnimationFrame(pump);
}

export function requestRedraw(item: Redrawable): void {
  queue.add(item);
  if (frameRequest === 0) frameRequest = requestAnimationFrame(pump);
}

export function cancelRedraw(item: Redrawable): void {
  queue.delete(item);
}
