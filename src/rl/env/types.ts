/** Gymnasium-style environment interface: reset -> observation; step -> observation, reward, terminated, truncated. */
export interface StepResult {
  observation: Float32Array;
  reward: number;
  /** The MDP reached a terminal state (no bootstrapping past it). */
  terminated: boolean;
  /** The episode was cut by a time limit (bootstrapping continues: SAC-SPEC.md, mask = 1). */
  truncated: boolean;
}

export interface Env {
  readonly observationSize: number;
  readonly actionSize: number;
  reset(options?: { seed?: number }): Float32Array;
  step(action: ArrayLike<number>): StepResult;
}
