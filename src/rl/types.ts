/**
 * Plain-data types shared by the trainer, the worker protocol, the CLI and the UI.
 * Plain numbers only (no tensors), so they can cross postMessage and be written as JSON/CSV.
 */

/** Per-episode training metrics, named as in the CLI's --json output and metrics.csv. */
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
  /** Temperature α = exp(log α) at the end of the episode. */
  alpha: number;
  /** Episode means over the gradient updates made during the episode (NaN when no update ran). */
  criticLoss: number;
  actorLoss: number;
  alphaLoss: number;
  /** Policy entropy estimate −mean(log π(ã|s)) on the minibatch. */
  entropy: number;
  /** mean(min(Q1, Q2)(s, ã)) on the minibatch. */
  qMean: number;
  /** Gradient updates made during this episode. */
  updates: number;
  /** Gradient updates per wall-clock second during this episode. */
  updatesPerSecond: number;
  /** Wall-clock seconds since the run started. */
  wallSeconds: number;
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
