/**
 * Issue 9's robustness sweep: the run's deterministic actor over `episodes` test episodes (reset seeds
 * 1…episodes) for each value of one physics setting, the others at the given base physics. All
 * values × episodes pendulums step in lockstep, one batched actor evaluation per env step, and the
 * work is done in chunks (`advance`) so the session can return to the worker between them.
 */
import { MAX_EPISODE_STEPS, Pendulum } from '../rl/env/pendulum';
import { PHYSICS_KEYS, validatePhysics, type PendulumPhysics } from '../rl/env/physics';

export const ROBUSTNESS_MAX_VALUES = 64;
export const ROBUSTNESS_MAX_EPISODES = 100;

export interface RobustnessRequest {
  parameter: keyof PendulumPhysics;
  values: number[];
  episodes: number;
}

export interface RobustnessResult {
  parameter: keyof PendulumPhysics;
  values: number[];
  meanReturn: number[];
  minReturn: number[];
  maxReturn: number[];
}

/** Checks a request from the page; throws RangeError with a message naming what is wrong. */
export function checkRobustnessRequest(parameter: unknown, values: unknown, episodes: unknown, base: PendulumPhysics): RobustnessRequest {
  if (typeof parameter !== 'string' || !(PHYSICS_KEYS as readonly string[]).includes(parameter)) {
    throw new RangeError(`Unknown physics setting ${JSON.stringify(parameter) ?? String(parameter)} (known: ${PHYSICS_KEYS.join(', ')})`);
  }
  const key = parameter as keyof PendulumPhysics;
  if (!Array.isArray(values) || values.length === 0 || values.length > ROBUSTNESS_MAX_VALUES) {
    throw new RangeError(`A robustness sweep needs 1 to ${ROBUSTNESS_MAX_VALUES} values of ${key}`);
  }
  for (const value of values as unknown[]) {
    // Each value must make valid physics: the message names the setting and its range.
    validatePhysics({ ...base, [key]: value });
  }
  if (typeof episodes !== 'number' || !Number.isInteger(episodes) || episodes < 1 || episodes > ROBUSTNESS_MAX_EPISODES) {
    throw new RangeError(`Episodes per value must be an integer from 1 to ${ROBUSTNESS_MAX_EPISODES}, got ${String(episodes)}`);
  }
  return { parameter: key, values: [...(values as number[])], episodes };
}

export class RobustnessSweep {
  private readonly envs: Pendulum[];
  private readonly observations: Float32Array;
  private readonly returns: Float64Array;
  private steps = 0;

  constructor(
    readonly request: RobustnessRequest,
    base: PendulumPhysics,
  ) {
    const { parameter, values, episodes } = request;
    this.envs = [];
    for (const value of values) {
      const physics = validatePhysics({ ...base, [parameter]: value });
      for (let episode = 1; episode <= episodes; episode++) {
        const env = new Pendulum({ physics });
        env.reset({ seed: episode });
        this.envs.push(env);
      }
    }
    this.observations = new Float32Array(this.envs.length * 3);
    this.returns = new Float64Array(this.envs.length);
  }

  get done(): boolean {
    return this.steps >= MAX_EPISODE_STEPS;
  }

  /** Env steps of every pendulum still to run. */
  get stepsLeft(): number {
    return MAX_EPISODE_STEPS - this.steps;
  }

  /** Runs up to `maxSteps` lockstep steps with `torques(observations, count)`. */
  advance(maxSteps: number, torques: (observations: Float32Array, count: number) => Float32Array): void {
    const count = this.envs.length;
    for (let s = 0; s < maxSteps && !this.done; s++) {
      for (let i = 0; i < count; i++) this.observations.set((this.envs[i] as Pendulum).observation(), 3 * i);
      const actions = torques(this.observations, count);
      for (let i = 0; i < count; i++) {
        const action = actions[i] as number;
        if (!Number.isFinite(action)) throw new Error(`the actor gave a non-finite torque (${action})`);
        this.returns[i] = (this.returns[i] as number) + (this.envs[i] as Pendulum).step([action]).reward;
      }
      this.steps += 1;
    }
  }

  result(): RobustnessResult {
    const { parameter, values, episodes } = this.request;
    const meanReturn: number[] = [];
    const minReturn: number[] = [];
    const maxReturn: number[] = [];
    values.forEach((_value, v) => {
      const scores = Array.from(this.returns.subarray(v * episodes, (v + 1) * episodes));
      meanReturn.push(scores.reduce((sum, x) => sum + x, 0) / scores.length);
      minReturn.push(Math.min(...scores));
      maxReturn.push(Math.max(...scores));
    });
    return { parameter, values: [...values], meanReturn, minReturn, maxReturn };
  }
}
