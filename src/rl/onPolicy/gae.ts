/**
 * Generalised Advantage Estimation with the time-limit bootstrap (ALGORITHMS.md, PPO "Rollout"):
 *   δ_t = r_t + γ·(1 − terminated_t)·V(s'_t) − V(s_t)
 *   Â_t = δ_t + γλ·(1 − episodeEnd_t)·Â_{t+1}          (Â after the rollout's last step = 0)
 *   R_t = Â_t + V(s_t)
 * s'_t is the *real* successor of s_t: at a truncation it is the episode's final observation, not the
 * next episode's first. ALGORITHMS.md (like Stable-Baselines3) writes the truncation case as
 * "r_t += γ·V(s_final)" with the next-state term cut by the episode end; bootstrapping from the real
 * successor with only a *termination* cutting it is the same number, written once.
 *
 * Arrays are laid out [step][env]: index t·nEnvs + e; each env's chain runs backwards on its own.
 */

export interface GaeInput {
  nSteps: number;
  nEnvs: number;
  rewards: ArrayLike<number>;
  /** V(s_t). */
  values: ArrayLike<number>;
  /** V(s'_t), the value of the real successor state. */
  nextValues: ArrayLike<number>;
  /** 1 where s'_t is a real terminal state (no bootstrap), else 0. Pendulum never terminates. */
  terminated: ArrayLike<number>;
  /** 1 where the episode ended at step t (terminated or truncated): the advantage chain is cut. */
  episodeEnded: ArrayLike<number>;
  gamma: number;
  lambda: number;
}

/** Advantages Â and returns R = Â + V, written into the given arrays (length nSteps·nEnvs). */
export function computeGae(input: GaeInput, advantages: Float64Array, returns: Float64Array): void {
  const { nSteps, nEnvs, rewards, values, nextValues, terminated, episodeEnded, gamma, lambda } = input;
  for (let env = 0; env < nEnvs; env++) {
    let nextAdvantage = 0;
    for (let t = nSteps - 1; t >= 0; t--) {
      const i = t * nEnvs + env;
      const delta = (rewards[i] as number) + gamma * (1 - (terminated[i] as number)) * (nextValues[i] as number) - (values[i] as number);
      const advantage = delta + gamma * lambda * (1 - (episodeEnded[i] as number)) * nextAdvantage;
      advantages[i] = advantage;
      returns[i] = advantage + (values[i] as number);
      nextAdvantage = advantage;
    }
  }
}
