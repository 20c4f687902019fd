/**
 * What the trainer, the worker, the charts and the compare table need to know about an algorithm,
 * declared as data so that none of them is written against SAC's field names.
 *
 * An algorithm *acts*, *learns* from what the trainer gives it, *reports named metrics* (each with the
 * chart it belongs on) and *exports an actor*. SAC, DDPG and TD3 are here; PPO's and TRPO's are in
 * onPolicy/descriptors.ts.
 */

import { PPO_DESCRIPTOR, TRPO_DESCRIPTOR } from './onPolicy/descriptors';

/** Identifier of an algorithm, as in the CLI's `--algo` and the saved runs. */
export type AlgorithmId = 'sac' | 'ddpg' | 'td3' | 'ppo' | 'trpo';
/** The algorithms the page runs and its run files may hold, in the order the page lists them (SAC first). */
export const ALGORITHM_IDS: readonly AlgorithmId[] = ['sac', 'ddpg', 'td3', 'ppo', 'trpo'];

/**
 * One per-episode metric an algorithm reports (episode mean over its updates, or a value at the end of
 * the episode). `key` is the field name in EpisodeMetrics, the CLI's --json lines and the CSV columns.
 */
export interface MetricDescriptor {
  key: string;
  /** Plain-English label for legends and table headers, e.g. "Critic loss". */
  label: string;
  /** Title of the chart the metric is drawn on; metrics with the same chart share it. */
  chart: string;
  /** Draw raw values faint with a smoothed line on top (losses); false: draw as is (α). */
  smoothed: boolean;
  /** One line: what it is, with the equation it comes from. */
  description: string;
}

/** Metrics every algorithm has: score and the two running means the stop rule and swing-up use. */
export const COMMON_METRICS: readonly MetricDescriptor[] = [
  { key: 'score', label: 'Episode score', chart: 'Episode score', smoothed: true, description: 'Sum of the rewards of the episode (200 steps).' },
  { key: 'avg100', label: '100-episode mean', chart: 'Episode score', smoothed: false, description: "Mean score of the last 100 episodes: the lecture's stop statistic." },
  { key: 'avg10', label: '10-episode mean', chart: 'Episode score', smoothed: false, description: 'Mean score of the last 10 episodes: swing-up when it exceeds −200.' },
];

export interface AlgorithmDescriptor {
  id: AlgorithmId;
  /** Short name for run names and legends, e.g. "SAC". */
  label: string;
  /** Algorithm-specific metrics, in chart order (common metrics not repeated). */
  metrics: readonly MetricDescriptor[];
}

export const SAC_DESCRIPTOR: AlgorithmDescriptor = {
  id: 'sac',
  label: 'SAC',
  metrics: [
    { key: 'alpha', label: 'α (temperature)', chart: 'Temperature α', smoothed: false, description: 'α = exp(log α) at the end of the episode.' },
    { key: 'criticLoss', label: 'Critic loss', chart: 'Critic and actor loss', smoothed: true, description: 'MSE(Q1(s,a), y) + MSE(Q2(s,a), y), episode mean.' },
    { key: 'actorLoss', label: 'Actor loss', chart: 'Critic and actor loss', smoothed: true, description: 'mean(α log π(ã|s) − min Q(s, ã)), episode mean.' },
    { key: 'alphaLoss', label: 'α loss', chart: 'α loss and entropy', smoothed: true, description: '−mean(log α · (log π + H̄)), episode mean.' },
    { key: 'entropy', label: 'Entropy', chart: 'α loss and entropy', smoothed: true, description: '−mean(log π(ã|s)) on the minibatch, episode mean.' },
    { key: 'qMean', label: 'Q mean', chart: 'Q value', smoothed: true, description: 'mean(min(Q1, Q2)(s, ã)) on the minibatch, episode mean.' },
  ],
};

/** DDPG's and TD3's metrics (ALGORITHMS.md): episode means over the updates. */
const DETERMINISTIC_METRICS: readonly MetricDescriptor[] = [
  { key: 'criticLoss', label: 'Critic loss', chart: 'Critic and actor loss', smoothed: true, description: 'Σ over the critics of mean (Q(s,a) − y)², y = r + γ·mask·min Q̄(s′, ã′), episode mean.' },
  { key: 'actorLoss', label: 'Actor loss', chart: 'Critic and actor loss', smoothed: true, description: '−mean Q1(s, μ(s)) on the minibatch after the critic step, episode mean.' },
  { key: 'qMean', label: 'Q mean', chart: 'Q value', smoothed: true, description: 'mean Q1(s, a) over the minibatch before the critic step, episode mean.' },
];

export const DDPG_DESCRIPTOR: AlgorithmDescriptor = { id: 'ddpg', label: 'DDPG', metrics: DETERMINISTIC_METRICS };
export const TD3_DESCRIPTOR: AlgorithmDescriptor = { id: 'td3', label: 'TD3', metrics: DETERMINISTIC_METRICS };

export const ALGORITHMS: Readonly<Record<AlgorithmId, AlgorithmDescriptor>> = {
  sac: SAC_DESCRIPTOR,
  ddpg: DDPG_DESCRIPTOR,
  td3: TD3_DESCRIPTOR,
  ppo: PPO_DESCRIPTOR,
  trpo: TRPO_DESCRIPTOR,
};

/** The value of a metric in an episode's record, NaN when the record lacks it. */
export function metricValue(episode: Readonly<Record<string, number>>, key: string): number {
  const value = episode[key];
  return typeof value === 'number' ? value : Number.NaN;
}
