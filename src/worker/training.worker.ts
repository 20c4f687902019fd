/// <reference lib="webworker" />
/**
 * The training worker's entry: wires SessionRouter (router.ts: sessions by runId, round-robin slices,
 * shared backend, WebGL context-loss recovery) to the real worker: postMessage with transfers,
 * performance.now, backend.ts, a MessageChannel for "as soon as possible" (no timer clamping) and
 * setTimeout for delays. All run logic lives in TrainingSession (session.ts).
 */
import { errorText, loseWebglContextForTest, measureBackendsNow, selectBackend, watchWebglContext } from './backend';
import { isMeasureBackendsMessage, transferablesOf, type MeasureBackendsMessage, type WorkerToPage } from './protocol';
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

/** "Measure again" (src/page/backendMeasure.ts): answered only by a worker that hosts no run, since the race switches tfjs's backend. */
async function measureBackends(message: MeasureBackendsMessage): Promise<void> {
  const reply = (result: Awaited<ReturnType<typeof measureBackendsNow>> | null, problem: string | null): void =>
    self.postMessage({ type: 'backendsMeasured', runId: null, requestId: message.requestId, result, problem });
  if (router.runIds.length > 0) {
    reply(null, 'this worker trains runs: measuring would switch their backend');
    return;
  }
  try {
    reply(await measureBackendsNow(message.shape), null);
  } catch (error) {
    reply(null, errorText(error));
  }
}

self.onmessage = (event: MessageEvent<unknown>) => {
  if (isMeasureBackendsMessage(event.data)) void measureBackends(event.data);
  else void router.receive(event.data);
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
