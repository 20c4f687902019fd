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

/** Every message type of each direction, built once: if a type is added, this table must grow (exhaustive switch). */
function samplePageToWorker(type: PageToWorker['type']): PageToWorker {
  switch (type) {
    case 'start':
      return { type, config: defaultConfig(), backend: 'auto', speed: { mode: 'fast', multiplier: 1 }, runName: 'r' };
    case 'pause':
    case 'resume':
    case 'startTest':
    case 'stopTest':
      return { type };
    case 'setLiveConfig':
      return { type, requestId: 1, partial: { actorLr: 3e-4 } };
    case 'setSpeed':
      return { type, speed: { mode: 'watch', multiplier: 3 } };
    case 'exportActor':
      return { type, requestId: 2, runName: 'r' };
    case 'importActor':
      return {
        type,
        requestId: 3,
        files: { modelJson: '{}', weightsBin: new ArrayBuffer(8), weightsFileName: 'w.weights.bin' },
        config: defaultConfig(),
        backend: 'cpu',
        runName: 'r',
      };
    default:
      return assertNever(type);
  }
}

const PAGE_TYPES: Array<PageToWorker['type']> = ['start', 'pause', 'resume', 'setLiveConfig', 'setSpeed', 'startTest', 'stopTest', 'exportActor', 'importActor'];
const WORKER_TYPES: Array<WorkerToPage['type']> = [
  'ready', 'backend', 'runStarted', 'progress', 'phase', 'frame', 'configApplied', 'configRejected',
  'testEpisode', 'actorExported', 'actorImported', 'actorFailed', 'notice', 'error',
];

describe('protocol', () => {
  it('recognises every page → worker message and nothing else', () => {
    for (const type of PAGE_TYPES) expect(isPageToWorker(samplePageToWorker(type))).toBe(true);
    expect(isPageToWorker({ type: 'progress' })).toBe(false);
    expect(isPageToWorker({ type: 'nope' })).toBe(false);
    expect(isPageToWorker(null)).toBe(false);
    expect(isPageToWorker('start')).toBe(false);
    expect(isPageToWorker({ kind: 'start' })).toBe(false);
  });

  it('recognises every worker → page message type and nothing else', () => {
    for (const type of WORKER_TYPES) expect(isWorkerToPage({ type })).toBe(true);
    expect(isWorkerToPage({ type: 'start' })).toBe(false);
    expect(isWorkerToPage(undefined)).toBe(false);
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
    expect(transferablesOf({ type: 'frame', source: 'train', data })).toEqual([data.buffer]);
    const weightsBin = new ArrayBuffer(16);
    expect(transferablesOf({ type: 'actorExported', requestId: 1, files: { modelJson: '{}', weightsBin, weightsFileName: 'x' } })).toEqual([weightsBin]);
    const importMessage = samplePageToWorker('importActor');
    expect(transferablesOf(importMessage)).toHaveLength(1);
    expect(transferablesOf({ type: 'pause' })).toEqual([]);
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
  });
});
