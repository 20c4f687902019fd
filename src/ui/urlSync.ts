/**
 * Keeps the URL hash and the editor's settings in step, both ways:
 * - at load, and whenever the hash changes (a pasted configuration link in an open tab), the hash is
 *   parsed and applied to the store; refused values are named in one message, and the address is
 *   rewritten at once to the settings actually in use, so it never shows a value that was not used;
 * - every later change of the settings in the store is written back (replaceState: no history entry
 *   per slider move, and no hashchange event, so the two directions cannot feed each other).
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { AlgorithmConfig } from '../rl/algorithmSettings';
import { playgroundStore } from '../store/index';
import { describeRefusedUrlValues, formatUrlState, parseUrlState } from '../store/urlState';
import type { BackendChoice, SpeedSetting } from '../worker/protocol';

/** The part of the store this file reads and writes (the page's store has it; tests pass a small one). */
export interface UrlSyncedState {
  algorithm: AlgorithmId;
  config: AlgorithmConfig;
  backendChoice: BackendChoice;
  speed: SpeedSetting;
  error: string | null;
  replaceConfig: (config: AlgorithmConfig, algorithm?: AlgorithmId) => void;
  setBackendChoice: (choice: BackendChoice) => void;
  setSpeed: (speed: SpeedSetting) => void;
  setError: (message: string | null) => void;
}

/** What of a zustand store this file uses (method syntax: the page's bigger store fits it). */
export interface UrlSyncedStore {
  getState(): UrlSyncedState;
  subscribe(listener: (next: UrlSyncedState, previous: UrlSyncedState) => void): () => void;
}

/** What of `window` this file uses (tests pass a fake one). */
export interface UrlHost {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState: (data: unknown, unused: string, url: string) => void };
  addEventListener: (type: 'hashchange', listener: () => void) => void;
  removeEventListener: (type: 'hashchange', listener: () => void) => void;
}

/** Starts the sync; returns a function that stops it. */
export function syncUrlWithStore(store: UrlSyncedStore = playgroundStore, host: UrlHost = window): () => void {
  /** The hash this file last wrote or accepted: writing it again is a no-op. */
  let written: string | null = null;
  /** The message this file put up, so a clean link can take it down (and only it). */
  let shownMessage: string | null = null;
  /** While a hash is being applied, the store's intermediate states are not written back. */
  let applying = false;

  const writeHash = (hash: string): void => {
    written = hash;
    if (host.location.hash === hash || (hash === '' && host.location.hash === '#')) return;
    host.history.replaceState(null, '', `${host.location.pathname}${host.location.search}${hash}`);
  };

  const applyHash = (): void => {
    const parsed = parseUrlState(host.location.hash);
    const state = store.getState();
    applying = true;
    try {
      state.replaceConfig(parsed.config, parsed.algorithm);
      state.setBackendChoice(parsed.backend);
      state.setSpeed(parsed.speed);
    } finally {
      applying = false;
    }
    const message = describeRefusedUrlValues(parsed.refused);
    if (message !== null) store.getState().setError(message);
    else if (shownMessage !== null && store.getState().error === shownMessage) store.getState().setError(null);
    shownMessage = message;
    // The address shows what is in use: refused values leave it, accepted ones are written canonically.
    const inUse = store.getState();
    writeHash(formatUrlState({ algorithm: inUse.algorithm, config: inUse.config, backend: inUse.backendChoice, speed: inUse.speed }));
  };

  applyHash();
  const onHashChange = (): void => {
    // Our own writes use replaceState, which fires no hashchange: this is the user's (or a link's) change.
    if (host.location.hash === written) return;
    applyHash();
  };
  host.addEventListener('hashchange', onHashChange);
  const unsubscribe = store.subscribe((next, previous) => {
    if (applying) return;
    if (next.algorithm === previous.algorithm && next.config === previous.config && next.backendChoice === previous.backendChoice && next.speed === previous.speed) return;
    const hash = formatUrlState({ algorithm: next.algorithm, config: next.config, backend: next.backendChoice, speed: next.speed });
    if (hash !== written) writeHash(hash);
  });
  return () => {
    host.removeEventListener('hashchange', onHashChange);
    unsubscribe();
  };
}
