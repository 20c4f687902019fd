/**
 * The per-episode rules every trainer, the CLI and the page share (pure: no tfjs, so the main bundle
 * can import it): the running means, the swing-up criterion and the lecture's stop rule. One
 * definition, so a run's "swing-up at step N" reads the same in the CLI, the runs list and the bench.
 */
import type { StopReason } from './types';

/** Swing-up: the mean of the last 10 episode scores above −200 (SAC-SPEC.md, README "Learning"). */
export const SWING_UP_THRESHOLD = -200;
/** Episodes before the swing-up criterion is looked at: a mean of 10 needs 10 scores. */
export const SWING_UP_MIN_EPISODES = 10;

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Whether this episode's last-10 mean counts as the swing-up. */
export function isSwingUp(metrics: { episode: number; avg10: number }): boolean {
  return metrics.episode >= SWING_UP_MIN_EPISODES && metrics.avg10 > SWING_UP_THRESHOLD;
}

/** The settings the stop rule reads (every algorithm's config has them). */
export interface StopRuleSettings {
  stopAtGoal: boolean;
  goalScore: number;
  maxEpisodes: number;
  maxSteps: number;
}

/**
 * The lecture's stop rule (mean of the last ≤100 scores above goal_score), then the episode and step
 * limits (maxSteps 0: none). `scores`: the recent episode scores (at least the last 100).
 */
export function stopRuleReason(settings: StopRuleSettings, scores: readonly number[], episodes: number, steps: number): StopReason | null {
  if (settings.stopAtGoal && scores.length > 0 && mean(scores.slice(-100)) > settings.goalScore) return 'goal';
  if (episodes >= settings.maxEpisodes) return 'maxEpisodes';
  if (settings.maxSteps > 0 && steps >= settings.maxSteps) return 'maxSteps';
  return null;
}
