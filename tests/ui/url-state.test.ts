/**
 * Issue 10.4, URL state: strict parsing (a refused value is named, never guessed), a pasted link applies
 * in an open tab (hashchange), and the address is rewritten to the settings in use. In Node, with a fake
 * window (location, history, hashchange) and a small zustand store with the fields urlSync uses.
 */
import { describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AlgorithmId } from '../../src/rl/algorithm';
import { defaultAlgorithmConfig, type AlgorithmConfig } from '../../src/rl/algorithmSettings';
import { defaultConfig } from '../../src/rl/sac/config';
import { createPlaygroundStore } from '../../src/store/index';
import { describeRefusedUrlValues, formatUrlState, parseUrlState } from '../../src/store/urlState';
import { syncUrlWithStore, type UrlHost, type UrlSyncedState } from '../../src/ui/urlSync';

/** A window stand-in: replaceState changes the hash without an event; `paste` is the user changing it. */
class FakeWindow implements UrlHost {
  location = { hash: '', pathname: '/playground/', search: '?debug' };
  readonly replaced: string[] = [];
  private readonly listeners = new Set<() => void>();
  readonly history = {
    replaceState: (_data: unknown, _unused: string, url: string): void => {
      expect(url.startsWith('/playground/?debug')).toBe(true);
      this.replaced.push(url);
      const index = url.indexOf('#');
      this.location.hash = index === -1 ? '' : url.slice(index);
    },
  };
  constructor(hash: string) {
    this.location.hash = hash;
  }
  addEventListener(_type: 'hashchange', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'hashchange', listener: () => void): void {
    this.listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  /** The user pastes another link (same page, new hash): the browser fires hashchange. */
  paste(hash: string): void {
    this.location.hash = hash;
    for (const listener of [...this.listeners]) listener();
  }
}

function smallStore(): StoreApi<UrlSyncedState> {
  return createStore<UrlSyncedState>()((set) => ({
    algorithm: 'sac',
    config: defaultConfig(),
    backendChoice: 'auto',
    speed: { mode: 'fast', multiplier: 1 },
    error: null,
    replaceConfig: (config: AlgorithmConfig, algorithm?: AlgorithmId) => set((state) => ({ config: { ...config }, algorithm: algorithm ?? state.algorithm })),
    setBackendChoice: (backendChoice) => set({ backendChoice }),
    setSpeed: (speed) => set({ speed }),
    setError: (error) => set({ error }),
  }));
}

describe('parseUrlState is strict', () => {
  it.each([
    ['stopAtGoal=yes', /Stop at goal \(stop_at_goal\) must be true or false, got yes/],
    ['stopAtGoal=', /Stop at goal \(stop_at_goal\) must be true or false, got $/],
    ['stopAtGoal=TRUE', /got TRUE/],
    ['speed=slow', /Speed must be fast or watch.*got slow/],
    ['speed=watchx11', /x1…x10.*got watchx11/],
    ['speed=watchx2.5', /got watchx2\.5/],
    ['hiddenSize=', /Hidden layer size \(hidden_size\) must be a number .*got nothing/],
    ['backend=tpu', /Backend must be one of .*got tpu/],
    ['bogus=1', /Unknown setting "bogus"/],
  ])('refuses %s, names it, and keeps the default', (hash, reason) => {
    const parsed = parseUrlState(`#${hash}`);
    expect(parsed.refused).toHaveLength(1);
    const [name, value] = hash.split('=') as [string, string];
    expect(parsed.refused[0]).toMatchObject({ name, value });
    expect(parsed.refused[0]?.reason).toMatch(reason);
    expect(parsed.config).toEqual(defaultConfig());
    expect(parsed.backend).toBe('auto');
    expect(parsed.speed).toEqual({ mode: 'fast', multiplier: 1 });
  });

  it("reads an old link's backend=fastest as the measured auto (and writes no backend for it), and backend=kernels", () => {
    const old = parseUrlState('#backend=fastest&hiddenSize=32');
    expect(old.refused).toEqual([]);
    expect(old.backend).toBe('auto');
    expect(formatUrlState({ config: old.config, backend: old.backend, speed: old.speed })).not.toContain('backend');
    expect(parseUrlState('#backend=kernels').backend).toBe('kernels');
  });

  it('accepts the spellings it writes (true/false, 1/0, watchx4, fast)', () => {
    expect(parseUrlState('#stopAtGoal=false').config.stopAtGoal).toBe(false);
    expect(parseUrlState('#stopAtGoal=0').config.stopAtGoal).toBe(false);
    expect(parseUrlState('#stopAtGoal=1').config.stopAtGoal).toBe(true);
    expect(parseUrlState('#speed=watchx4').speed).toEqual({ mode: 'watch', multiplier: 4 });
    expect(parseUrlState('#speed=watch').speed).toEqual({ mode: 'watch', multiplier: 1 });
    expect(parseUrlState('#speed=fast').refused).toEqual([]);
    const written = formatUrlState({ config: { ...defaultConfig(), stopAtGoal: false, goalScore: -200 }, backend: 'cpu', speed: { mode: 'watch', multiplier: 10 } });
    const parsed = parseUrlState(written);
    expect(parsed.refused).toEqual([]);
    expect(parsed.config.stopAtGoal).toBe(false);
    expect(parsed.config.goalScore).toBe(-200);
  });

  it('the message names every refused value as written', () => {
    const parsed = parseUrlState('#actorLr=7&stopAtGoal=yes&gamma=0.95&speed=slow');
    const message = describeRefusedUrlValues(parsed.refused) ?? '';
    expect(message).toMatch(/^These 3 values in the address were not used; the address now shows the settings in use: /);
    for (const written of ['actorLr=7 (', 'stopAtGoal=yes (', 'speed=slow (']) expect(message).toContain(written);
    expect(message).not.toContain('gamma');
    expect(describeRefusedUrlValues([])).toBeNull();
  });
});

describe('syncUrlWithStore', () => {
  it('at load: applies what is valid, names every refused value, and rewrites the address to the settings in use', () => {
    const host = new FakeWindow('#actorLr=7&stopAtGoal=yes&gamma=0.95');
    const store = smallStore();
    syncUrlWithStore(store, host);
    const state = store.getState();
    expect(state.config).toEqual({ ...defaultConfig(), gamma: 0.95 });
    expect(state.error).toContain('actorLr=7');
    expect(state.error).toContain('stopAtGoal=yes');
    expect(host.location.hash).toBe('#gamma=0.95');
    expect(host.replaced).toEqual(['/playground/?debug#gamma=0.95']);
  });

  it('a link pasted into the open tab applies (hashchange), clears the old address message, and keeps a canonical address', () => {
    const host = new FakeWindow('#stopAtGoal=yes');
    const store = smallStore();
    syncUrlWithStore(store, host);
    expect(store.getState().error).toContain('stopAtGoal=yes');
    expect(host.location.hash).toBe('');
    host.paste('#hiddenSize=32&backend=wasm&speed=watchx4');
    expect(store.getState().config.hiddenSize).toBe(32);
    expect(store.getState().backendChoice).toBe('wasm');
    expect(store.getState().speed).toEqual({ mode: 'watch', multiplier: 4 });
    expect(store.getState().error).toBeNull();
    expect(host.location.hash).toBe('#hiddenSize=32&backend=wasm&speed=watchx4');
    // A non-canonical spelling is rewritten to what formatUrlState writes.
    host.paste('#gamma=0.950&stopAtGoal=1');
    expect(store.getState().config).toEqual({ ...defaultConfig(), gamma: 0.95 });
    expect(host.location.hash).toBe('#gamma=0.95');
  });

  it('a clean link does not take down a message that is not the address\'s', () => {
    const host = new FakeWindow('');
    const store = smallStore();
    syncUrlWithStore(store, host);
    store.getState().setError('The training worker crashed');
    host.paste('#gamma=0.95');
    expect(store.getState().error).toBe('The training worker crashed');
  });

  it('writes later store changes to the address, once each, and stops when asked', () => {
    const host = new FakeWindow('');
    const store = smallStore();
    const stop = syncUrlWithStore(store, host);
    expect(host.replaced).toEqual([]);
    store.getState().replaceConfig({ ...defaultConfig(), actorLr: 3e-4 });
    expect(host.location.hash).toBe('#actorLr=0.0003');
    store.getState().setBackendChoice('cpu');
    expect(host.location.hash).toBe('#actorLr=0.0003&backend=cpu');
    expect(host.replaced).toHaveLength(2);
    // Pasting the same link as shown changes nothing and writes nothing.
    host.paste('#actorLr=0.0003&backend=cpu');
    expect(host.replaced).toHaveLength(2);
    stop();
    expect(host.listenerCount).toBe(0);
    store.getState().setBackendChoice('wasm');
    expect(host.location.hash).toBe('#actorLr=0.0003&backend=cpu');
  });

  it('works with the page\'s store too', () => {
    const host = new FakeWindow('#stopAtGoal=no&hiddenSize=48');
    const store = createPlaygroundStore();
    const stop = syncUrlWithStore(store, host);
    expect(store.getState().config.hiddenSize).toBe(48);
    expect(store.getState().config.stopAtGoal).toBe(true);
    expect(store.getState().error).toContain('stopAtGoal=no');
    expect(host.location.hash).toBe('#hiddenSize=48');
    stop();
  });
});

describe('the algorithm in the address', () => {
  it('algo=ppo, then PPO keys: parsed against PPO\'s table and written back algo first', () => {
    const parsed = parseUrlState('#algo=ppo&nSteps=512&gamma=0.95&backend=wasm');
    expect(parsed.refused).toEqual([]);
    expect(parsed.algorithm).toBe('ppo');
    expect(parsed.config).toEqual({ ...defaultAlgorithmConfig('ppo'), nSteps: 512, gamma: 0.95 });
    expect(parsed.backend).toBe('wasm');
    const written = formatUrlState({ algorithm: 'ppo', config: parsed.config, backend: 'wasm', speed: parsed.speed });
    expect(written).toBe('#algo=ppo&nSteps=512&gamma=0.95&backend=wasm');
    // The algorithm's own defaults are not written (PPO's gamma 0.9 is its default, not SAC's 0.99).
    expect(formatUrlState({ algorithm: 'td3', config: defaultAlgorithmConfig('td3'), backend: 'auto', speed: { mode: 'fast', multiplier: 1 } })).toBe('#algo=td3');
    // SAC needs no algo key: old links keep working.
    expect(parseUrlState('#actorLr=0.0003').algorithm).toBe('sac');
  });

  it('a key the algorithm lacks is refused and named; an unknown algorithm is refused and SAC is used', () => {
    const ppo = parseUrlState('#algo=ppo&tau=0.01&alphaLr=0.001');
    expect(ppo.algorithm).toBe('ppo');
    expect(ppo.refused.map((entry) => entry.name)).toEqual(['tau', 'alphaLr']);
    expect(ppo.refused[0]?.reason).toBe('Unknown setting "tau" in the address (PPO has no such setting)');
    expect(ppo.config).toEqual(defaultAlgorithmConfig('ppo'));
    const outOfRange = parseUrlState('#algo=trpo&targetKl=5e3');
    expect(outOfRange.refused[0]?.reason).toMatch(/\(target_kl\) must be in/);
    const unknown = parseUrlState('#algo=a2c&actorLr=0.0003');
    expect(unknown.algorithm).toBe('sac');
    expect(unknown.refused).toEqual([{ name: 'algo', value: 'a2c', reason: 'Algorithm must be one of sac, ddpg, td3, ppo, trpo, got a2c' }]);
    expect(unknown.config.actorLr).toBe(3e-4);
  });

  it('the page store follows a link with algo=td3 and writes the editor\'s algorithm back', () => {
    const store = createPlaygroundStore();
    const host = new FakeWindow('#algo=td3&tau=0.01');
    const stop = syncUrlWithStore(store, host);
    expect(store.getState().algorithm).toBe('td3');
    expect(store.getState().config.tau).toBe(0.01);
    store.getState().setAlgorithm('ppo');
    expect(host.location.hash).toBe('#algo=ppo');
    store.getState().setAlgorithm('td3');
    expect(host.location.hash).toBe('#algo=td3&tau=0.01');
    stop();
  });
});
