/**
 * The DDPG/TD3 agent's complete state as plain data (a checkpoint's `state.agent`) and its validation,
 * run before any tensor is created so a bad checkpoint changes nothing. No tfjs here (the page checks
 * imported run files with it; the sizes come from parameterCounts.ts, not networks.ts).
 */
import type { AlgorithmDescriptor } from '../algorithm';
import type { AgentStateRules, EnvShape } from '../offPolicyAgent';
import { isFloat32Array } from '../plainData';
import type { AdamState } from '../sac/adam';
import type { DeterministicConfig } from './config';
import { criticsParameterCount, deterministicActorParameterCount } from './parameterCounts';

/** Order of the values in the stats tensor update() returns (keys of the DDPG/TD3 descriptors' metrics). */
export const DETERMINISTIC_UPDATE_STATS = ['criticLoss', 'actorLoss', 'qMean'] as const;

export interface DeterministicAgentState {
  /** Flat weights: actor, its target, all critics (Q1 then Q2), their targets. */
  actor: Float32Array;
  targetActor: Float32Array;
  critics: Float32Array;
  targetCritics: Float32Array;
  actorOptimizer: AdamState;
  criticOptimizer: AdamState;
  /** Critic updates so far: the actor is updated when this reaches a multiple of policy_delay. */
  criticUpdates: number;
  /** The CPU acting copy (it may lag the actor on WebGL) and actor updates since it was refreshed. */
  actingPolicy: Float32Array;
  actorUpdatesSincePolicySync: number;
  /** The exploration σ act() uses: the last update's (a live change reaches act() with the next update). */
  actionNoise: number;
}

/** Why `value` is not a DeterministicAgentState of these sizes, or null when it is one. */
export function deterministicAgentStateProblem(value: unknown, shape: EnvShape, hiddenSize: number, criticCount: number, allowNonFinite: boolean): string | null {
  if (typeof value !== 'object' || value === null) return 'the agent state must be an object';
  const state = value as Partial<Record<keyof DeterministicAgentState, unknown>>;
  const actorSize = deterministicActorParameterCount(shape.observationSize, shape.actionSize, hiddenSize);
  const criticSize = criticsParameterCount(shape.observationSize, shape.actionSize, hiddenSize, criticCount);
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
  const counterProblem = (name: string, counter: unknown): string | null =>
    Number.isInteger(counter) && (counter as number) >= 0 ? null : `${name} must be a non-negative integer`;
  return (
    arrayProblem('the actor weights', state.actor, actorSize) ??
    arrayProblem('the target actor weights', state.targetActor, actorSize) ??
    arrayProblem('the critic weights', state.critics, criticSize) ??
    arrayProblem('the target critic weights', state.targetCritics, criticSize) ??
    adamProblem('the actor optimiser', state.actorOptimizer, actorSize) ??
    adamProblem('the critic optimiser', state.criticOptimizer, criticSize) ??
    counterProblem('the critic update count', state.criticUpdates) ??
    arrayProblem('the acting copy of the actor', state.actingPolicy, actorSize) ??
    counterProblem('actorUpdatesSincePolicySync', state.actorUpdatesSincePolicySync) ??
    (typeof state.actionNoise === 'number' && Number.isFinite(state.actionNoise) && state.actionNoise >= 0 ? null : 'the exploration noise σ must be a non-negative number')
  );
}

/** Checkpoint rules of DDPG (one critic) or TD3 (two). */
export function deterministicAgentStateRules<Config extends DeterministicConfig>(descriptor: AlgorithmDescriptor, criticCount: number): AgentStateRules<Config> {
  return {
    descriptor,
    updateStatKeys: DETERMINISTIC_UPDATE_STATS,
    actorParameterCount: (shape, config) => deterministicActorParameterCount(shape.observationSize, shape.actionSize, config.hiddenSize),
    agentStateProblem: (value, shape, config, allowNonFinite) => deterministicAgentStateProblem(value, shape, config.hiddenSize, criticCount, allowNonFinite),
  };
}
