/**
 * A TrainingSession with a fake clock and its posted messages captured (structured-cloned with their
 * transfer lists, as postMessage would), for the worker's session tests of every algorithm.
 */
import type { AlgorithmId } from '../../src/rl/algorithm';
import type { AlgorithmConfig } from '../../src/rl/algorithmSettings';
import type { RunCheckpoint } from '../../src/rl/runCheckpoint';
import type { EpisodeMetrics } from '../../src/rl/types';
import type { CreateSessionMessage, SpeedSetting, WorkerToPage } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';

/** A clock that moves only when the test says so. */
export class FakeClock {
  time = 1000;
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

type Message<T extends WorkerToPage['type']> = Extract<WorkerToPage, { type: T }>;

export class SessionHarness {
  readonly posts: WorkerToPage[] = [];
  readonly clock = new FakeClock();
  session: TrainingSession | null = null;

  readonly post = (message: WorkerToPage, transfer: Transferable[] = []): void => {
    this.posts.push(structuredClone(message, { transfer }));
  };

  of<T extends WorkerToPage['type']>(type: T): Array<Message<T>> {
    return this.posts.filter((message): message is Message<T> => message.type === type);
  }

  last<T extends WorkerToPage['type']>(type: T): Message<T> | undefined {
    const all = this.of(type);
    return all[all.length - 1];
  }

  /** Every episode sent in progress messages, in order. */
  episodes(): EpisodeMetrics[] {
    return this.of('progress').flatMap((message) => message.episodes);
  }

  get live(): TrainingSession {
    if (!this.session) throw new Error('no session');
    return this.session;
  }

  /** Ticks until `until` or `maxTicks`, moving the clock by `msPerTick` (or the delay asked for); `afterTick` sees each. */
  async run(options: { msPerTick?: number; maxTicks?: number; until?: () => boolean; afterTick?: () => void }): Promise<void> {
    const maxTicks = options.maxTicks ?? 400;
    for (let i = 0; i < maxTicks; i += 1) {
      if (options.until?.()) return;
      const next = await this.live.tick();
      options.afterTick?.();
      if (next === null) return;
      this.clock.advance(options.msPerTick ?? next);
    }
  }
}

export interface OpenOptions {
  algorithm: AlgorithmId;
  config: AlgorithmConfig;
  start?: 'running' | 'paused';
  speed?: SpeedSetting;
  checkpoint?: RunCheckpoint;
  runId?: string;
}

export function createMessage(options: OpenOptions): CreateSessionMessage {
  return {
    type: 'createSession',
    runId: options.runId ?? 'run-1',
    runName: 'test-run',
    algorithm: options.algorithm,
    config: options.config,
    backend: 'cpu',
    speed: options.speed ?? { mode: 'fast', multiplier: 1 },
    start: options.start ?? 'running',
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
}

export async function openSession(options: OpenOptions): Promise<SessionHarness> {
  const harness = new SessionHarness();
  harness.session = await TrainingSession.create(createMessage(options), { post: harness.post, now: harness.clock.now });
  return harness;
}

/** Episode metrics without the wall-clock fields (those differ between two runs of the same seed). */
export function deterministicPart(episode: EpisodeMetrics): Omit<EpisodeMetrics, 'wallSeconds' | 'updatesPerSecond'> {
  const { wallSeconds: _wall, updatesPerSecond: _rate, ...rest } = episode;
  return rest;
}
