/// <reference lib="webworker" />
/**
 * The training worker's entry: wires SessionRouter (router.ts: sessions by runId, round-robin slices,
 * shared backend, WebGL context-loss recovery) to the real worker: postMessage with transfers,
 * performance.now, backend.ts, a MessageChannel for "as soon as possible" (no timer clamping) and
 * setTimeout for delays. All run logic lives in TrainingSession (session.ts).
 */
import { errorText, loseWebglContextForTest, selectBackend, watchWebglContext } from './backend';
import { transferablesOf, type WorkerToPage } from './protocol';
import { SessionRouter } from './router';

declare const self: DedicatedWorkerGlobalScope;

function post(message: WorkerToPage, transfer?: Transferable[]): void {
  self.postMessage(message, transfer ?? transferablesOf(message));
}

// "Soon" callbacks, in order, each run by one MessageChannel message (a new task: page messages that
// arrived meanwhile are handled first).
const soon: Array<() => void> = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => soon.shift()?.();

const router = new SessionRouter({
  post,
  now: () => performance.now(),
  selectBackend,
  watchContextLoss: watchWebglContext,
  loseWebglContext: loseWebglContextForTest,
  runSoon: (run) => {
    soon.push(run);
    channel.port2.postMessage(null);
  },
  runLater: (run, delayMs) => {
    const id = setTimeout(run, delayMs);
    return () => clearTimeout(id);
  },
});

self.onmessage = (event: MessageEvent<unknown>) => {
  void router.receive(event.data);
};

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(event.reason)}` });
});

self.addEventListener('error', (event) => {
  event.preventDefault();
  post({ type: 'error', runId: null, message: `The training worker failed: ${errorText(event.error ?? event.message)}` });
});

post({ type: 'ready', runId: null });
