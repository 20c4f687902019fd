/**
 * The `auto` backend choice with fake measurements: the fastest measured wins (WebGL too, when it is
 * fastest), a cached result for the same browser, GPU and shape is used without a race, any change of
 * those (or of the measuring code's version) measures again, and PPO/TRPO never race.
 */
import { describe, expect, it } from 'vitest';
import { MEASUREMENT_VERSION, backendCacheKey, findCachedMeasurement, planRace, selectMeasured, type MeasuredSelectionDeps, type WebglFacts } from '../../src/worker/backendRace';
import { parseBackendChoice, type BackendMeasurement, type BackendName, type BackendShape } from '../../src/worker/protocol';

const SAC_64: BackendShape = { algorithm: 'sac', hiddenSize: 64, batchSize: 64, members: 1 };
const GPU: WebglFacts = { available: true, renderer: 'ANGLE (NVIDIA H100)', software: false, problem: null };
const SWIFTSHADER: WebglFacts = { available: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', software: true, problem: null };
const NO_WEBGL: WebglFacts = { available: false, renderer: null, software: false, problem: 'WebGL is disabled or unavailable' };

/** Fake host: each backend "measures" at the given rate; records the races and activations. */
function fakeDeps(webgl: WebglFacts, rates: Partial<Record<BackendName, number | 'fails'>>, userAgent = 'Chromium/156') {
  const races: BackendName[][] = [];
  const activated: BackendName[] = [];
  const deps: MeasuredSelectionDeps = {
    webgl,
    userAgent,
    now: () => Date.UTC(2026, 10, 25, 12),
    activate: async (backend) => {
      activated.push(backend);
      return rates[backend] === 'fails' ? `the ${backend} backend failed` : null;
    },
    race: async (candidates) => {
      races.push([...candidates]);
      const measurements: BackendMeasurement[] = candidates.map((backend) => {
        const rate = rates[backend];
        return typeof rate === 'number' ? { backend, updatesPerSecond: rate, problem: null } : { backend, updatesPerSecond: null, problem: `${backend} failed` };
      });
      const best = [...measurements].sort((a, b) => (b.updatesPerSecond ?? -1) - (a.updatesPerSecond ?? -1))[0];
      return { winner: best?.updatesPerSecond != null ? best.backend : null, measurements };
    },
  };
  return { deps, races, activated };
}

describe("auto backend: what races", () => {
  it('SAC on a GPU races WebGL, the kernels and wasm; cpu is left out with its reason', () => {
    const plan = planRace(SAC_64, GPU);
    expect(plan.candidates).toEqual(['webgl', 'kernels', 'wasm']);
    expect(plan.skipped.map((s) => s.backend)).toEqual(['cpu']);
    expect(plan.skipped[0]?.reason).toMatch(/slower/);
  });

  it('a software WebGL (SwiftShader) or none is not raced, and says why in plain words', () => {
    expect(planRace(SAC_64, SWIFTSHADER).candidates).toEqual(['kernels', 'wasm']);
    expect(planRace(SAC_64, SWIFTSHADER).skipped[0]).toMatchObject({ backend: 'webgl', reason: expect.stringMatching(/software, without a GPU/) });
    expect(planRace(SAC_64, NO_WEBGL).skipped[0]).toMatchObject({ backend: 'webgl', reason: expect.stringMatching(/no WebGL here/) });
  });

  it('the kernels are SAC-only: DDPG and TD3 race tfjs backends; PPO and TRPO race nothing', () => {
    expect(planRace({ ...SAC_64, algorithm: 'ddpg' }, GPU).candidates).toEqual(['webgl', 'wasm']);
    expect(planRace({ ...SAC_64, algorithm: 'td3', batchSize: 256 }, SWIFTSHADER).candidates).toEqual(['wasm']);
    expect(planRace({ ...SAC_64, algorithm: 'ppo' }, GPU).candidates).toEqual([]);
    expect(planRace({ ...SAC_64, algorithm: 'trpo' }, GPU).candidates).toEqual([]);
  });
});

describe('auto backend: the choice', () => {
  it('keeps the fastest measured (kernels here), fastest first, with the shape, browser and renderer', async () => {
    const { deps, races } = fakeDeps(SWIFTSHADER, { kernels: 910, wasm: 380 });
    const selection = await selectMeasured(SAC_64, [], deps);
    expect(races).toEqual([['kernels', 'wasm']]);
    expect(selection.backend).toBe('kernels');
    expect(selection.cached).toBe(false);
    expect(selection.measured.measurements.map((m) => m.backend)).toEqual(['kernels', 'wasm']);
    expect(selection.measured).toMatchObject({ winner: 'kernels', shape: SAC_64, userAgent: 'Chromium/156', renderer: SWIFTSHADER.renderer, version: MEASUREMENT_VERSION });
  });

  it('chooses WebGL when WebGL measures fastest', async () => {
    const { deps } = fakeDeps(GPU, { webgl: 1500, kernels: 910, wasm: 380 });
    const selection = await selectMeasured({ ...SAC_64, hiddenSize: 256, batchSize: 256 }, [], deps);
    expect(selection.backend).toBe('webgl');
    expect(selection.measured.measurements[0]).toMatchObject({ backend: 'webgl', updatesPerSecond: 1500 });
  });

  it('and wasm when wasm beats the GPU (a small network)', async () => {
    const { deps } = fakeDeps(GPU, { webgl: 95, wasm: 380 });
    expect((await selectMeasured({ ...SAC_64, algorithm: 'ddpg' }, [], deps)).backend).toBe('wasm');
  });

  it('a second run of the same shape in the same browser uses the cached result without racing', async () => {
    const first = fakeDeps(GPU, { webgl: 95, kernels: 910, wasm: 380 });
    const measured = (await selectMeasured(SAC_64, [], first.deps)).measured;
    const second = fakeDeps(GPU, { webgl: 2000, kernels: 1, wasm: 1 }); // would win otherwise: proves no race ran
    const selection = await selectMeasured(SAC_64, [measured], second.deps);
    expect(second.races).toEqual([]);
    expect(second.activated).toEqual(['kernels']);
    expect(selection).toMatchObject({ backend: 'kernels', cached: true, measured });
  });

  it('another GPU, browser, shape or measuring version measures again', async () => {
    const measured = (await selectMeasured(SAC_64, [], fakeDeps(GPU, { webgl: 95, kernels: 910, wasm: 380 }).deps)).measured;
    const otherGpu = fakeDeps({ ...GPU, renderer: 'ANGLE (AMD Radeon)' }, { webgl: 95, kernels: 910, wasm: 380 });
    await selectMeasured(SAC_64, [measured], otherGpu.deps);
    expect(otherGpu.races).toHaveLength(1);
    const otherBrowser = fakeDeps(GPU, { webgl: 95, kernels: 910, wasm: 380 }, 'Firefox/140');
    await selectMeasured(SAC_64, [measured], otherBrowser.deps);
    expect(otherBrowser.races).toHaveLength(1);
    for (const shape of [{ ...SAC_64, hiddenSize: 128 }, { ...SAC_64, batchSize: 256 }, { ...SAC_64, algorithm: 'td3' as const }, { ...SAC_64, members: 8 }]) {
      const again = fakeDeps(GPU, { webgl: 95, kernels: 910, wasm: 380 });
      await selectMeasured(shape, [measured], again.deps);
      expect(again.races).toHaveLength(1);
    }
    const oldVersion = fakeDeps(GPU, { webgl: 95, kernels: 910, wasm: 380 });
    await selectMeasured(SAC_64, [{ ...measured, version: MEASUREMENT_VERSION - 1 }], oldVersion.deps);
    expect(oldVersion.races).toHaveLength(1);
  });

  it('a cached winner that no longer starts is measured again', async () => {
    const measured = (await selectMeasured(SAC_64, [], fakeDeps(GPU, { webgl: 2000, kernels: 910, wasm: 380 }).deps)).measured;
    expect(measured.winner).toBe('webgl');
    const lost = fakeDeps(GPU, { webgl: 'fails', kernels: 910, wasm: 380 });
    const selection = await selectMeasured(SAC_64, [measured], lost.deps);
    expect(lost.races).toHaveLength(1);
    expect(selection).toMatchObject({ backend: 'kernels', cached: false });
  });

  it('one candidate is not raced; PPO takes wasm without measuring; nothing that starts is an error naming each problem', async () => {
    const single = fakeDeps(SWIFTSHADER, { wasm: 300 });
    const ddpg = await selectMeasured({ ...SAC_64, algorithm: 'ddpg' }, [], single.deps);
    expect(single.races).toEqual([]);
    expect(ddpg).toMatchObject({ backend: 'wasm', cached: false });
    expect(ddpg.measured.measurements).toEqual([]);
    const ppo = fakeDeps(GPU, {});
    expect((await selectMeasured({ ...SAC_64, algorithm: 'ppo' }, [], ppo.deps)).backend).toBe('wasm');
    expect(ppo.races).toEqual([]);
    const none = fakeDeps(NO_WEBGL, { kernels: 'fails', wasm: 'fails', cpu: 'fails' });
    await expect(selectMeasured(SAC_64, [], none.deps)).rejects.toThrow(/kernels did not start.*wasm did not start.*cpu did not start/);
  });

  it('wasm and the kernels failing to start leave cpu, with their problems listed', async () => {
    const { deps } = fakeDeps(NO_WEBGL, { kernels: 'fails', wasm: 'fails' });
    const selection = await selectMeasured(SAC_64, [], deps);
    expect(selection.backend).toBe('cpu');
    expect(selection.measured.skipped.map((s) => s.backend)).toEqual(['webgl', 'cpu', 'kernels', 'wasm']);
  });
});

describe('the cache key and the legacy choice', () => {
  it('the key holds the user agent, the renderer, the shape and the version', () => {
    const key = backendCacheKey('Chromium/156', 'ANGLE (NVIDIA H100)', SAC_64);
    for (const part of ['Chromium/156', 'ANGLE (NVIDIA H100)', 'sac', '64']) expect(key).toContain(part);
    expect(key).not.toBe(backendCacheKey('Chromium/156', null, SAC_64));
    expect(findCachedMeasurement([{ nonsense: true }, null, 'x'], key)).toBeNull();
  });

  it("'fastest' of old links and saved state is read as 'auto'; unknown values are refused", () => {
    expect(parseBackendChoice('fastest')).toBe('auto');
    expect(parseBackendChoice('auto')).toBe('auto');
    expect(parseBackendChoice('kernels')).toBe('kernels');
    expect(parseBackendChoice('webgpu')).toBeNull();
    expect(parseBackendChoice('toString')).toBeNull();
    expect(parseBackendChoice(3)).toBeNull();
  });
});
