/**
 * Plain-data types shared by the trainer, the worker protocol, the CLI and the UI.
 * Plain numbers only (no tensors), so they can cross postMessage and be written as JSON/CSV.
 */

/**
 * Per-episode training metrics, named as in the CLI's --json output and metrics.csv: the fields every
 * algorithm has, plus the algorithm's own metrics under the keys of its descriptor's `metrics`
 * (SAC: alpha, criticLoss, actorLoss, alphaLoss, entropy, qMean; see SAC_DESCRIPTOR in algorithm.ts).
 * Read an algorithm metric with metricValue(episode, key) (NaN when absent).
 */
export interface EpisodeMetrics {
  /** 1-based episode index. */
  episode: number;
  /** Total env steps so far (end of this episode). */
  step: number;
  /** Sum of rewards of this episode. */
  score: number;
  /** Mean score of the last 100 episodes (fewer at the start): the lecture's stop statistic. */
  avg100: number;
  /** Mean score of the last 10 episodes: the swing-up criterion (> −200). */
  avg10: number;
  /** Gradient updates made during this episode. */
  updates: number;
  /** Gradient updates per second of training time during this episode. */
  updatesPerSecond: number;
  /** Seconds of training (time inside Trainer.runFor; pauses excluded) since the run started, across restores. */
  wallSeconds: number;
  /**
   * The algorithm's metrics: episode means over the updates of the episode (NaN when no update ran),
   * or values at the episode's end (SAC's α).
   */
  [metric: string]: number;
}

/** Why a run stopped: by itself (goal, limits, NaN) or by the user's Stop (`user`). */
export type StopReason = 'goal' | 'maxEpisodes' | 'maxSteps' | 'nonFinite' | 'user';

/** The pendulum as the canvas draws it. */
export interface PendulumState {
  /** Angle in rad, 0 = upright, not wrapped. */
  theta: number;
  /** Angular velocity in rad/s. */
  thetaDot: number;
  /** Last applied (clipped) torque in N·m. */
  torque: number;
}
