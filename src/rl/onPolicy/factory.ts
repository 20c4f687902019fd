/**
 * The on-policy trainers by algorithm id, for the CLI (`--algo ppo|trpo`), the worker and tests:
 *   createOnPolicyTrainer('ppo', { seed: 1 })   → OnPolicyTrainer<PpoConfig> (zoo defaults + overrides)
 *   restoreOnPolicyTrainer(checkpoint)          → the run continued where the checkpoint was taken
 */
import { OnPolicyTrainer } from './trainer';
import { OnPolicyCheckpointError } from './checkpoint';
import { isPlainObject } from '../plainData';
import type { OnPolicyAlgorithmId } from './descriptors';
import { PPO_ALGORITHM } from '../ppo/ppoAlgorithm';
import { TRPO_ALGORITHM } from '../trpo/trpoAlgorithm';
import { makePpoConfig, PPO_HYPERPARAMETERS, type PpoConfig } from '../ppo/config';
import { makeTrpoConfig, TRPO_HYPERPARAMETERS, type TrpoConfig } from '../trpo/config';
import type { OnPolicyAlgorithm } from './algorithmDefinition';

export interface OnPolicyConfigs {
  ppo: PpoConfig;
  trpo: TrpoConfig;
}

export const ON_POLICY_ALGORITHMS: { readonly [Id in OnPolicyAlgorithmId]: OnPolicyAlgorithm<OnPolicyConfigs[Id]> } = {
  ppo: PPO_ALGORITHM,
  trpo: TRPO_ALGORITHM,
};

/** Each algorithm's hyperparameter table (CLI flags, sliders, validation). */
export const ON_POLICY_HYPERPARAMETERS = { ppo: PPO_HYPERPARAMETERS, trpo: TRPO_HYPERPARAMETERS } as const;

export function isOnPolicyAlgorithmId(value: string): value is OnPolicyAlgorithmId {
  return value === 'ppo' || value === 'trpo';
}

/** A new run of `algorithmId` with its zoo defaults and `config`'s overrides; throws RangeError naming every bad value. */
export function createOnPolicyTrainer<Id extends OnPolicyAlgorithmId>(algorithmId: Id, config: Partial<OnPolicyConfigs[Id]> = {}): OnPolicyTrainer<OnPolicyConfigs[Id]> {
  if (algorithmId === 'ppo') {
    return OnPolicyTrainer.create(PPO_ALGORITHM, makePpoConfig(config as Partial<PpoConfig>)) as unknown as OnPolicyTrainer<OnPolicyConfigs[Id]>;
  }
  return OnPolicyTrainer.create(TRPO_ALGORITHM, makeTrpoConfig(config as Partial<TrpoConfig>)) as unknown as OnPolicyTrainer<OnPolicyConfigs[Id]>;
}

/**
 * Continues a saved on-policy run (its `algorithm` field picks PPO or TRPO; everything is validated
 * before anything is restored). Throws OnPolicyCheckpointError naming the problem.
 */
export function restoreOnPolicyTrainer(checkpoint: unknown): OnPolicyTrainer<PpoConfig> | OnPolicyTrainer<TrpoConfig> {
  const algorithm = isPlainObject(checkpoint) ? checkpoint.algorithm : undefined;
  if (algorithm === 'ppo') return OnPolicyTrainer.restore(PPO_ALGORITHM, checkpoint);
  if (algorithm === 'trpo') return OnPolicyTrainer.restore(TRPO_ALGORITHM, checkpoint);
  throw new OnPolicyCheckpointError(`its algorithm ${JSON.stringify(algorithm) ?? 'is missing'} is not an on-policy algorithm (ppo, trpo)`);
}
