/**
 * Equations slice (issue 9, "Equations, live"): which chart the equations panel points at. Hovering or
 * focusing a term's value in the panel sets the title of the chart that plots it (a ChartSpec title
 * such as "Temperature α"); the chart with that title marks itself. Null: none highlighted.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { PlaygroundState } from './index';

export interface EquationsSlice {
  /** Title of the chart to highlight, or null. */
  highlightedChart: string | null;
  setHighlightedChart: (title: string | null) => void;
}

export const createEquationsSlice: StateCreator<PlaygroundState, [], [], EquationsSlice> = (set, get) => ({
  highlightedChart: null,
  setHighlightedChart: (title) => {
    if (get().highlightedChart !== title) set({ highlightedChart: title });
  },
});
