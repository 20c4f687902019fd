/** Reads settings from the URL hash once at load, then keeps the hash in step with the store. */
import { playgroundStore } from '../store/index';
import { formatUrlState, parseUrlState } from '../store/urlState';

export function syncUrlWithStore(): () => void {
  const parsed = parseUrlState(window.location.hash);
  const state = playgroundStore.getState();
  state.replaceConfig(parsed.config);
  state.setBackendChoice(parsed.backend);
  state.setSpeed(parsed.speed);
  if (parsed.errors.length > 0) state.setError(`Some settings in the address were not used: ${parsed.errors.join('; ')}`);
  let written = formatUrlState({ config: parsed.config, backend: parsed.backend, speed: parsed.speed });
  return playgroundStore.subscribe((next, previous) => {
    if (next.config === previous.config && next.backendChoice === previous.backendChoice && next.speed === previous.speed) return;
    const hash = formatUrlState({ config: next.config, backend: next.backendChoice, speed: next.speed });
    if (hash === written) return;
    written = hash;
    const url = `${window.location.pathname}${window.location.search}${hash}`;
    window.history.replaceState(null, '', url);
  });
}
