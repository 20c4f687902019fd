/** The backend in plain words: one sentence for the status, the details (renderer included) for the disclosure. */
import { describe, expect, it } from 'vitest';
import { backendDetails, backendSentence, describeMeasurements, remeasuredSentence } from '../../src/worker/describeMeasurements';
import type { BackendMessage, MeasuredBackends } from '../../src/worker/protocol';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
const MEASURED: MeasuredBackends = {
  version: 1, key: 'k', shape: { algorithm: 'sac', hiddenSize: 64, batchSize: 64, members: 1 }, userAgent: 'Mozilla/5.0 Chrome/156', renderer: SWIFTSHADER,
  measuredAt: Date.UTC(2026, 10, 25, 12), winner: 'kernels',
  measurements: [{ backend: 'kernels', updatesPerSecond: 910.4, problem: null }, { backend: 'wasm', updatesPerSecond: 380, problem: null }],
  skipped: [{ backend: 'webgl', reason: 'not measured: WebGL here is drawn in software, without a GPU, and is always far slower than WebAssembly' }],
};
const AUTO: BackendMessage = {
  type: 'backend', runId: 'r', requested: 'auto', backend: 'kernels', renderer: SWIFTSHADER, softwareRenderer: true, fallbackReason: null, measured: MEASURED, cached: false,
};

describe('backend sentence', () => {
  it('says what trains and that it was the fastest measured, with the rates, and no renderer string', () => {
    const sentence = backendSentence(AUTO, 'sac');
    expect(sentence).toBe('kernels (hand-written WebAssembly kernels) — fastest of 2 measured here: kernels 910, wasm 380 steps/s');
    expect(sentence).not.toContain('SwiftShader');
  });

  it('a cached result says when it was measured, and "cached"', () => {
    expect(backendSentence({ ...AUTO, cached: true }, 'sac')).toMatch(/fastest of 2 measured here: kernels 910, wasm 380 steps\/s \(measured on 25 Nov, cached\)$/);
  });

  it('explicit choices, fallbacks, PPO and a DDPG run in a kernels worker say so in plain words', () => {
    expect(backendSentence({ ...AUTO, requested: 'wasm', backend: 'wasm', measured: null, cached: false }, 'sac')).toBe('wasm (WebAssembly through tfjs) — as chosen');
    expect(backendSentence({ ...AUTO, requested: 'webgl', backend: 'webgl', measured: null }, 'sac')).toBe('webgl (WebGL drawn in software, no GPU) — as chosen');
    expect(backendSentence({ ...AUTO, requested: 'webgl', backend: 'wasm', measured: null, fallbackReason: 'The webgl backend failed: x: training on wasm' }, 'sac')).toMatch(/^wasm .* — instead of webgl$/);
    expect(backendSentence({ ...AUTO, backend: 'wasm' }, 'ppo')).toMatch(/^wasm — PPO computes outside tfjs/);
    expect(backendSentence(AUTO, 'ddpg')).toMatch(/^wasm .*DDPG has no hand-written kernels \(SAC only\), and this worker was measured for a SAC run/);
    expect(backendSentence({ ...AUTO, backend: 'wasm', measured: { ...MEASURED, winner: 'wasm', measurements: [] } }, 'td3')).toMatch(/the only backend worth trying here/);
  });

  it('the details hold each rate, what was left out and why, the renderer once, and the browser', () => {
    const details = backendDetails(AUTO);
    expect(details).toContain('kernels (hand-written WebAssembly kernels): 910 training steps/s');
    expect(details.some((line) => line.startsWith('webgl: not measured: WebGL here is drawn in software'))).toBe(true);
    expect(details.filter((line) => line.includes('SwiftShader'))).toHaveLength(1);
    expect(details).toContain('Browser: Mozilla/5.0 Chrome/156');
  });

  it('Measure again says what it found, and that PPO has nothing to measure', () => {
    expect(remeasuredSentence(MEASURED)).toBe('Measured again for SAC, hidden 64, batch 64: kernels is the fastest of 2 (kernels 910, wasm 380 steps/s); runs of this shape started from now on use it.');
    expect(remeasuredSentence({ ...MEASURED, shape: { ...MEASURED.shape, algorithm: 'ppo' }, measurements: [] })).toMatch(/^PPO trains outside tfjs: .*nothing to measure/);
  });

  it('lists backends that did not start after those measured', () => {
    expect(describeMeasurements([{ backend: 'wasm', updatesPerSecond: 300, problem: null }, { backend: 'webgl', updatesPerSecond: null, problem: 'x' }])).toBe('wasm 300 steps/s; webgl did not start');
  });
});
