/**
 * The page's one zustand store, combined from typed slices (config, run, metrics). A vanilla store
 * (usable without React, e.g. in unit tests and the worker client); components read it with
 * `usePlayground(selector)`. Fast-changing pendulum frames are not here: see pendulumFrame.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createConfigSlice, type ConfigSlice } from './configSlice';
import { createMetricsSlice, type MetricsSlice } from './metricsSlice';
import { createRunSlice, type RunSlice } from './runSlice';

export type PlaygroundState = ConfigSlice & RunSlice & MetricsSlice;
export type PlaygroundStore = StoreApi<PlaygroundState>;

export function createPlaygroundStore(): PlaygroundStore {
  return createStore<PlaygroundState>()((...args) => ({
    ...createConfigSlice(...args),
    ...createRunSlice(...args),
    ...createMetricsSlice(...args),
  }));
}

/** The page's store. */
export const playgroundStore: PlaygroundStore = createPlaygroundStore();

export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  return useStore(playgroundStore, selector);
}

/** Whether a run exists that live changes, export and test can act on. */
export function hasRun(state: Pick<PlaygroundState, 'runId' | 'phase'>): boolean {
  return state.runId !== null && state.phase !== 'idle';
}
