/**
 * Figures the runs list and the compare table show, derived from a run's episodes (pure, no tfjs: the
 * main bundle imports it). The swing-up rule is the trainers' and the CLI's (src/rl/episodeRules.ts).
 */
import { isSwingUp } from '../rl/episodeRules';
import type { EpisodeMetrics } from '../rl/types';

export interface EpisodeSummary {
  /** First env step at which the last-10 mean exceeded −200 (from episode 10 on, as the CLI counts), or null. */
  swingUpStep: number | null;
  /** Highest 100-episode mean and the episode it was reached at, or null before any episode. */
  best100: { value: number; episode: number } | null;
  /** The last episode's 100-episode mean, or null before any episode. */
  final100: number | null;
}

/** Summary of `episodes`, continuing from `previous` (the summary of the episodes before them), so appends cost O(new). */
export function summarizeEpisodes(episodes: readonly EpisodeMetrics[], previous: EpisodeSummary = EMPTY_SUMMARY): EpisodeSummary {
  let { swingUpStep, best100, final100 } = previous;
  for (const metrics of episodes) {
    if (swingUpStep === null && isSwingUp(metrics)) swingUpStep = metrics.step;
    if (Number.isFinite(metrics.avg100) && (best100 === null || metrics.avg100 > best100.value)) {
      best100 = { value: metrics.avg100, episode: metrics.episode };
    }
    final100 = metrics.avg100;
  }
  return { swingUpStep, best100, final100 };
}

export const EMPTY_SUMMARY: EpisodeSummary = { swingUpStep: null, best100: null, final100: null };
