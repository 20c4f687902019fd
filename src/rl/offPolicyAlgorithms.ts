/**
 * The off-policy algorithms the Trainer runs (issue 8), by id: each one's TrainerAlgorithm and its
 * hyperparameter table, so the CLI (and later the page) create and restore a run of any of them without
 * being written against one config type. SAC, DDPG and TD3; the on-policy ones have their own loop.
 */
import { ALGORITHMS, type AlgorithmId } from './algorithm';
import { isPlainObject } from './plainData';
import { DDPG_ALGORITHM } from './ddpg/ddpgAlgorithm';
import { DDPG_PARAMETERS } from './ddpg/config';
import { makeConfigFrom, type ParameterSpec, type ParameterTable, type RunConfig } from './hyperparameterTable';
import type { OffPolicyAgent, TrainerAlgorithm } from './offPolicyAgent';
import { HYPERPARAMETERS } from './sac/config';
import { TD3_ALGORITHM } from './td3/td3Algorithm';
import { TD3_PARAMETERS } from './td3/config';
import { CheckpointError } from './checkpoint';
import { SAC_TRAINER_ALGORITHM, Trainer, type AnyOffPolicyTrainer } from './trainer';

export const OFF_POLICY_ALGORITHM_IDS = ['sac', 'ddpg', 'td3'] as const satisfies readonly AlgorithmId[];
export type OffPolicyAlgorithmId = (typeof OFF_POLICY_ALGORITHM_IDS)[number];

/** One algorithm with its config type closed over: what a caller that picks by id needs. */
export interface OffPolicyAlgorithmEntry {
  id: OffPolicyAlgorithmId;
  label: string;
  /** The hyperparameter table (flags, ranges, docs, sources). */
  table: Readonly<Record<string, ParameterSpec>>;
  /** The full config from defaults plus overrides; throws RangeError listing every problem. */
  makeConfig(overrides: Readonly<Record<string, number | boolean>>): RunConfig;
  /** A new run with the config made from `overrides` (validated first). */
  create(overrides: Readonly<Record<string, number | boolean>>): Promise<AnyOffPolicyTrainer>;
  /** A saved run of this algorithm, continued (validated first; another algorithm's checkpoint is refused). */
  restore(checkpoint: unknown): Promise<AnyOffPolicyTrainer>;
}

function entry<C extends RunConfig, A extends OffPolicyAgent<C>>(
  id: OffPolicyAlgorithmId,
  algorithm: TrainerAlgorithm<C, A, unknown>,
  table: ParameterTable<C>,
): OffPolicyAlgorithmEntry {
  // makeConfigFrom refuses unknown keys and values of the wrong type or range, so the cast only names what it checked.
  const makeConfig = (overrides: Readonly<Record<string, number | boolean>>): C => makeConfigFrom(table, overrides as Partial<C>);
  return {
    id,
    label: ALGORITHMS[id].label,
    table: table as Readonly<Record<string, ParameterSpec>>,
    makeConfig,
    create: async (overrides) => Trainer.createWith(algorithm, makeConfig(overrides)),
    restore: async (checkpoint) => Trainer.restoreWith(algorithm, checkpoint),
  };
}

export const OFF_POLICY_ALGORITHMS: Readonly<Record<OffPolicyAlgorithmId, OffPolicyAlgorithmEntry>> = {
  sac: entry('sac', SAC_TRAINER_ALGORITHM, HYPERPARAMETERS),
  ddpg: entry('ddpg', DDPG_ALGORITHM, DDPG_PARAMETERS),
  td3: entry('td3', TD3_ALGORITHM, TD3_PARAMETERS),
};

export function isOffPolicyAlgorithmId(value: unknown): value is OffPolicyAlgorithmId {
  return typeof value === 'string' && (OFF_POLICY_ALGORITHM_IDS as readonly string[]).includes(value);
}

/** Any off-policy run's checkpoint, continued with its own algorithm (picked by its `algorithm` field). */
export async function restoreTrainer(checkpoint: unknown): Promise<AnyOffPolicyTrainer> {
  const algorithm = isPlainObject(checkpoint) ? checkpoint.algorithm : undefined;
  if (!isOffPolicyAlgorithmId(algorithm)) {
    throw new CheckpointError(`its algorithm ${JSON.stringify(algorithm) ?? 'is missing'} is not an off-policy algorithm (known: ${OFF_POLICY_ALGORITHM_IDS.join(', ')})`);
  }
  return OFF_POLICY_ALGORITHMS[algorithm].restore(checkpoint);
}
