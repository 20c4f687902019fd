/**
 * The page's one zustand store, combined from typed slices: the editor (config), the runs (records,
 * groups, episodes, selection, view options) and the sessions (workers, tests, messages). A vanilla
 * store (usable without React, e.g. in unit tests and the page's client); components read it with
 * `usePlayground(selector)`. Fast-changing pendulum frames are not here: see pendulumFrame.ts.
 * Imports nothing from src/page or src/worker except types (and the pure helpers of protocol.ts).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { createConfigSlice, type ConfigSlice } from './configSlice';
import { createEquationsSlice, type EquationsSlice } from './equationsSlice';
import { createInsightSlice, type InsightSlice } from './insightSlice';
import { createRunsSlice, type RunsSlice } from './runsSlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';

export type PlaygroundState = ConfigSlice & RunsSlice & SessionSlice & EquationsSlice & InsightSlice;
export type PlaygroundStore = StoreApi<PlaygroundState>;

export function createPlaygroundStore(): PlaygroundStore {
  return createStore<PlaygroundState>()((...args) => ({
    ...createConfigSlice(...args),
    ...createRunsSlice(...args),
    ...createSessionSlice(...args),
    ...createEquationsSlice(...args),
    ...createInsightSlice(...args),
  }));
}

/** The page's store. */
export const playgroundStore: PlaygroundStore = createPlaygroundStore();

export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  return useStore(playgroundStore, selector);
}

export * from './selectors';
