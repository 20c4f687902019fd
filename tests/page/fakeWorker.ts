/** Fake training workers for the page-side tests: they record what the page posts and let a test answer. */
import type { WorkerLike } from '../../src/page/pool';
import type { PageToWorker, WorkerToPage } from '../../src/worker/protocol';

export class FakeWorker implements WorkerLike {
  readonly posted: PageToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;

  constructor(readonly index: number) {}

  postMessage(message: PageToWorker): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The worker sends a message to the page. */
  emit(message: WorkerToPage | unknown): void {
    this.onmessage?.({ data: message });
  }
  crash(message = 'boom'): void {
    this.onerror?.({ message, preventDefault: () => undefined });
  }
  /** Types of the messages posted to it, e.g. ['createSession', 'pause']. */
  types(): string[] {
    return this.posted.map((message) => message.type);
  }
  /** The messages of one type. */
  ofType<T extends PageToWorker['type']>(type: T): Array<Extract<PageToWorker, { type: T }>> {
    return this.posted.filter((message): message is Extract<PageToWorker, { type: T }> => message.type === type);
  }
}

export function fakeWorkerFactory() {
  const workers: FakeWorker[] = [];
  return {
    workers,
    create: (): FakeWorker => {
      const worker = new FakeWorker(workers.length);
      workers.push(worker);
      return worker;
    },
  };
}

const answered = new WeakSet<object>();

/**
 * Answers every createSession not answered yet with the backend message a real worker sends for it
 * (tfjs wasm, nothing measured): under `auto`, the page sends the next run of a shape only once the run
 * before it reports its backend (src/page/raceGate.ts).
 */
export function answerBackends(workers: readonly FakeWorker[]): void {
  for (const worker of workers) {
    for (const message of worker.ofType('createSession')) {
      if (answered.has(message)) continue;
      answered.add(message);
      worker.emit({ type: 'backend', runId: message.runId, requested: message.backend, backend: 'wasm', renderer: null, softwareRenderer: false, fallbackReason: null });
    }
  }
}

/** Lets pending promise callbacks run (the pool awaits the client's createSession). */
export async function settle(): Promise<void> {
  for (let index = 0; index < 10; index += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
