/**
 * A store selection that React sees at most once per `intervalMs` (the latest value, trailing): for
 * views such as the compare table whose figures change with every metrics batch of every run but need
 * not re-render for each one (several runs × several batches a second).
 */
import { useEffect, useState } from 'react';
import { playgroundStore, type PlaygroundState } from '../store/index';

export function useThrottledSelector<T>(selector: (state: PlaygroundState) => T, intervalMs: number): T {
  const [value, setValue] = useState(() => selector(playgroundStore.getState()));
  useEffect(() => {
    let timer: number | null = null;
    let lastShown = 0;
    const show = (): void => {
      timer = null;
      lastShown = performance.now();
      setValue(selector(playgroundStore.getState()));
    };
    show();
    const unsubscribe = playgroundStore.subscribe((state, previous) => {
      if (Object.is(selector(state), selector(previous)) || timer !== null) return;
      const wait = Math.max(0, lastShown + intervalMs - performance.now());
      timer = window.setTimeout(show, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== null) window.clearTimeout(timer);
    };
    // The selector is expected to be a module-level function (stable); a new one re-subscribes.
  }, [selector, intervalMs]);
  return value;
}
