import { describe, expect, it } from 'vitest';
import {
  FRAME_LENGTH,
  actorFileNames,
  assertNever,
  isPageToWorker,
  isWorkerToPage,
  normalizeSpeed,
  transferablesOf,
  type PageToWorker,
  type WorkerToPage,
} from '../../src/worker/protocol';
import { defaultConfig } from '../../src/rl/sac/config';

const RUN = 'b8f0c1de-0000-4000-8000-000000000001';
const actorFiles = (): { modelJson: string; weightsBin: ArrayBuffer; weightsFileName: string } => ({
  modelJson: '{}',
  weightsBin: new ArrayBuffer(8),
  weightsFileName: 'w.weights.bin',
});

/** Every message type of each direction, built once: if a type is added, this table must grow (exhaustive switch). */
function samplePageToWorker(type: PageToWorker['type']): PageToWorker {
  switch (type) {
    case 'createSession':
      return { type, runId: RUN, runName: 'r', algorithm: 'sac', config: defaultConfig(), backend: 'auto', speed: { mode: 'fast', multiplier: 1 }, start: 'running' };
    case 'pause':
    case 'resume':
    case 'stop':
    case 'disposeSession':
    case 'startTest':
    case 'stopTest':
    case 'debugLoseWebglContext':
      return { type, runId: RUN };
    case 'setLiveConfig':
      return { type, runId: RUN, requestId: 1, partial: { actorLr: 3e-4 } };
    case 'setSpeed':
      return { type, runId: RUN, speed: { mode: 'watch', multiplier: 3 } };
    case 'requestCheckpoint':
      return { type, runId: RUN, requestId: 4 };
    case 'exportActor':
      return { type, runId: RUN, requestId: 2, runName: 'r', which: 'best' };
    case 'importActor':
      return { type, runId: RUN, requestId: 3, files: actorFiles() };
    case 'setInsight':
      return { type, runId: RUN, enabled: true, gridSize: 64 };
    case 'push':
      return { type, runId: RUN, requestId: 5, deltaThetaDot: 2 };
    case 'setPhysics':
      return { type, runId: RUN, requestId: 6, physics: { gravity: 20, mass: 1, length: 1, maxTorque: 2, maxSpeed: 8 }, applyToTraining: false };
    case 'robustness':
      return { type, runId: RUN, requestId: 7, parameter: 'gravity', values: [2, 10, 20] };
    default:
      return assertNever(type);
  }
}

const PAGE_TYPES: Array<PageToWorker['type']> = [
  'createSession', 'pause', 'resume', 'stop', 'disposeSession', 'setLiveConfig', 'setSpeed', 'startTest', 'stopTest',
  'requestCheckpoint', 'exportActor', 'importActor', 'debugLoseWebglContext', 'setInsight', 'push', 'setPhysics', 'robustness',
];
const WORKER_TYPES: Array<WorkerToPage['type']> = [
  'ready', 'backend', 'sessionCreated', 'progress', 'phase', 'frame', 'checkpoint', 'configApplied', 'configRejected',
  'testEpisode', 'actorExported', 'actorImported', 'actorFailed', 'sessionDisposed', 'notice', 'error', 'insight', 'pushApplied',
  'pushRejected', 'physicsApplied', 'physicsRejected', 'robustnessResult', 'robustnessFailed',
];

describe('protocol', () => {
  it('recognises every page → worker message and nothing else', () => {
    for (const type of PAGE_TYPES) expect(isPageToWorker(samplePageToWorker(type))).toBe(true);
    expect(isPageToWorker({ type: 'progress' })).toBe(false);
    expect(isPageToWorker({ type: 'nope' })).toBe(false);
    // The single-run messages of before issue 7 are gone: an old page talking to a new worker is refused.
    expect(isPageToWorker({ type: 'start' })).toBe(false);
    expect(isPageToWorker(null)).toBe(false);
    expect(isPageToWorker('pause')).toBe(false);
    expect(isPageToWorker({ kind: 'pause' })).toBe(false);
  });

  it('recognises every worker → page message type and nothing else', () => {
    for (const type of WORKER_TYPES) expect(isWorkerToPage({ type })).toBe(true);
    expect(isWorkerToPage({ type: 'createSession' })).toBe(false);
    expect(isWorkerToPage({ type: 'runStarted' })).toBe(false);
    expect(isWorkerToPage(undefined)).toBe(false);
  });

  it('every page → worker message names its run', () => {
    for (const type of PAGE_TYPES) expect(samplePageToWorker(type)).toHaveProperty('runId', RUN);
  });

  it('messages survive structured cloning (what postMessage does)', () => {
    for (const type of PAGE_TYPES) {
      const message = samplePageToWorker(type);
      const copy: unknown = structuredClone(message);
      expect(copy).toEqual(message);
      expect(isPageToWorker(copy)).toBe(true);
    }
  });

  it('transfers the buffers of frames and weights instead of copying them', () => {
    const data = new Float32Array(FRAME_LENGTH);
    expect(transferablesOf({ type: 'frame', runId: RUN, source: 'train', data })).toEqual([data.buffer]);
    const files = actorFiles();
    expect(transferablesOf({ type: 'actorExported', runId: RUN, requestId: 1, files })).toEqual([files.weightsBin]);
    const importMessage = samplePageToWorker('importActor');
    expect(transferablesOf(importMessage)).toHaveLength(1);
    expect(transferablesOf({ type: 'pause', runId: RUN })).toEqual([]);
    // Checkpoints: the sender decides (it may keep the arrays), so nothing is transferred by default.
    expect(transferablesOf(samplePageToWorker('createSession'))).toEqual([]);
  });

  it('assertNever throws with the unknown tag', () => {
    expect(() => assertNever({ type: 'mystery' } as never)).toThrow('Unknown message type: mystery');
  });

  it('normalizes speed into fast/watch and an integer multiplier 1…10', () => {
    expect(normalizeSpeed({ mode: 'watch', multiplier: 3.4 })).toEqual({ mode: 'watch', multiplier: 3 });
    expect(normalizeSpeed({ mode: 'watch', multiplier: 99 })).toEqual({ mode: 'watch', multiplier: 10 });
    expect(normalizeSpeed({ mode: 'fast', multiplier: 0 })).toEqual({ mode: 'fast', multiplier: 1 });
    expect(normalizeSpeed({ mode: 'fast', multiplier: Number.NaN })).toEqual({ mode: 'fast', multiplier: 1 });
  });

  it('names the actor files after the run', () => {
    expect(actorFileNames('demo')).toEqual({ json: 'sac-pendulum-demo.json', weights: 'sac-pendulum-demo.weights.bin' });
    expect(actorFileNames('demo', 'ppo')).toEqual({ json: 'ppo-pendulum-demo.json', weights: 'ppo-pendulum-demo.weights.bin' });
  });
});
