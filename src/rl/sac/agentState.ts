/**
 * The SAC agent's complete state as plain data (a checkpoint's `state.agent`), and its validation,
 * which runs before any tensor is created so a bad checkpoint changes nothing.
 */
import { SAC_DESCRIPTOR } from '../algorithm';
import type { AgentStateRules, EnvShape } from '../offPolicyAgent';
import { isFloat32Array } from '../plainData';
import type { AdamState } from './adam';
import type { SacConfig } from './config';

/** Order of the values in the stats tensor returned by SacAgent.update() (keys of SAC_DESCRIPTOR's metrics). */
export const UPDATE_STATS = ['criticLoss', 'actorLoss', 'alphaLoss', 'entropy', 'qMean'] as const;
export type UpdateStatName = (typeof UPDATE_STATS)[number];

/** Values in the actor's flat weights: Dense(H) → Dense(H) → head Dense(2A) (μ | log σ). */
export function actorParameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
  const H = hiddenSize;
  return observationSize * H + H + H * H + H + H * 2 * actionSize + 2 * actionSize;
}

/** Values in the twin critic's flat weights: two networks [obs, action] → Dense(H) → Dense(H) → Dense(1). */
export function twinCriticParameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
  const H = hiddenSize;
  return 2 * ((observationSize + actionSize) * H + H + H * H + H + H + 1);
}

export interface SacAgentState {
  /** Flat weights in `variables` order. */
  actor: Float32Array;
  critic: Float32Array;
  targetCritic: Float32Array;
  /** log α, one float32 (kept as an array so NaN survives any encoding). */
  logAlpha: Float32Array;
  actorOptimizer: AdamState;
  criticOptimizer: AdamState;
  alphaOptimizer: AdamState;
  /**
   * The CPU acting copy of the actor. On WebGL it lags the actor by up to policySyncInterval − 1
   * updates, and the next actions come from it, so it is state of its own.
   */
  actingPolicy: Float32Array;
  /** Updates since the acting copy was last refreshed. */
  updatesSincePolicySync: number;
}

/** Why `value` is not a SacAgentState for these sizes, or null when it is one. */
export function sacAgentStateProblem(value: unknown, shape: EnvShape, hiddenSize: number, allowNonFinite: boolean): string | null {
  if (typeof value !== 'object' || value === null) return 'the agent state must be an object';
  const state = value as Partial<Record<keyof SacAgentState, unknown>>;
  const actorSize = actorParameterCount(shape.observationSize, shape.actionSize, hiddenSize);
  const criticSize = twinCriticParameterCount(shape.observationSize, shape.actionSize, hiddenSize);
  const arrayProblem = (name: string, array: unknown, length: number): string | null => {
    if (!isFloat32Array(array)) return `${name} must be a Float32Array`;
    if (array.length !== length) return `${name} has ${array.length} values, hidden size ${hiddenSize} needs ${length}`;
    if (!allowNonFinite && !array.every(Number.isFinite)) return `${name} contains NaN or infinite values`;
    return null;
  };
  const adamProblem = (name: string, adam: unknown, length: number): string | null => {
    if (typeof adam !== 'object' || adam === null) return `${name} must be an object`;
    const record = adam as Partial<Record<keyof AdamState, unknown>>;
    if (!Number.isInteger(record.steps) || (record.steps as number) < 0) return `${name}'s step count must be a non-negative integer`;
    return arrayProblem(`${name}'s first moment`, record.firstMoment, length) ?? arrayProblem(`${name}'s second moment`, record.secondMoment, length);
  };
  const problem =
    arrayProblem('the actor weights', state.actor, actorSize) ??
    arrayProblem('the critic weights', state.critic, criticSize) ??
    arrayProblem('the target critic weights', state.targetCritic, criticSize) ??
    arrayProblem('log α', state.logAlpha, 1) ??
    adamProblem('the actor optimiser', state.actorOptimizer, actorSize) ??
    adamProblem('the critic optimiser', state.criticOptimizer, criticSize) ??
    adamProblem('the α optimiser', state.alphaOptimizer, 1) ??
    arrayProblem('the acting copy of the actor', state.actingPolicy, actorSize);
  if (problem !== null) return problem;
  if (!Number.isInteger(state.updatesSincePolicySync) || (state.updatesSincePolicySync as number) < 0) {
    return 'updatesSincePolicySync must be a non-negative integer';
  }
  return null;
}

/** SAC's checkpoint rules (no tfjs: usable on the page to check an imported run). */
export const SAC_AGENT_STATE_RULES: AgentStateRules<SacConfig> = {
  descriptor: SAC_DESCRIPTOR,
  updateStatKeys: UPDATE_STATS,
  actorParameterCount: (shape, config) => actorParameterCount(shape.observationSize, shape.actionSize, config.hiddenSize),
  agentStateProblem: (value, shape, config, allowNonFinite) => sacAgentStateProblem(value, shape, config.hiddenSize, allowNonFinite),
};
