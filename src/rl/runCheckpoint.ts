/**
 * A saved run of any algorithm, as the page stores it and the worker restores it: the off-policy
 * trainer's checkpoint (SAC, DDPG, TD3; checkpoint.ts) or the on-policy one (PPO, TRPO;
 * onPolicy/checkpoint.ts). Both carry `algorithm`, `config`, `counters`, `stopReason`,
 * `goalReachedAtEpisode`, `scores` and an implementation-owned `state`.
 */
import { ALGORITHM_IDS } from './algorithm';
import { isAlgorithmId } from './algorithmSettings';
import { CheckpointError, SAC_CHECKPOINT_RULES, validateCheckpointFor, type TrainerCheckpoint } from './checkpoint';
import { DDPG_AGENT_STATE_RULES } from './ddpg/agentStateRules';
import { DDPG_CONFIG_RULES } from './ddpg/config';
import type { RunConfig } from './hyperparameterTable';
import { validateOnPolicyCheckpoint, type OnPolicyCheckpoint } from './onPolicy/checkpoint';
import type { OnPolicyConfig } from './onPolicy/config';
import { isPlainObject } from './plainData';
import { PPO_ALGORITHM } from './ppo/ppoAlgorithm';
import { TD3_AGENT_STATE_RULES } from './td3/agentStateRules';
import { TD3_CONFIG_RULES } from './td3/config';
import { TRPO_ALGORITHM } from './trpo/trpoAlgorithm';

export type RunCheckpoint = TrainerCheckpoint<RunConfig> | OnPolicyCheckpoint<OnPolicyConfig>;

/** The off-policy checkpoint rules by algorithm (all tfjs-free: the page checks imported runs with them). */
const OFF_POLICY_RULES = {
  sac: SAC_CHECKPOINT_RULES,
  ddpg: { ...DDPG_AGENT_STATE_RULES, configRules: DDPG_CONFIG_RULES },
  td3: { ...TD3_AGENT_STATE_RULES, configRules: TD3_CONFIG_RULES },
} as const;

/**
 * Checks that `value` is a complete, consistent checkpoint of any algorithm this code can resume,
 * dispatching on its `algorithm` field: SAC, DDPG and TD3 to validateCheckpointFor with their rules,
 * PPO and TRPO to validateOnPolicyCheckpoint. Returns it with the config reduced to the table's keys;
 * throws an Error (CheckpointError or OnPolicyCheckpointError) whose message names the first problem.
 * Creates no tensors and imports no tfjs.
 */
export function validateRunCheckpoint(value: unknown): RunCheckpoint {
  if (!isPlainObject(value)) throw new CheckpointError('expected an object');
  const algorithm = value.algorithm;
  if (!isAlgorithmId(algorithm)) {
    throw new CheckpointError(`its algorithm ${JSON.stringify(algorithm) ?? 'is missing'}${typeof algorithm === 'string' ? ' is not one this page knows' : ''} (known: ${ALGORITHM_IDS.join(', ')})`);
  }
  switch (algorithm) {
    case 'sac':
      return validateCheckpointFor(value, OFF_POLICY_RULES.sac);
    case 'ddpg':
      return validateCheckpointFor(value, OFF_POLICY_RULES.ddpg);
    case 'td3':
      return validateCheckpointFor(value, OFF_POLICY_RULES.td3);
    case 'ppo':
      return validateOnPolicyCheckpoint(PPO_ALGORITHM, value);
    case 'trpo':
      return validateOnPolicyCheckpoint(TRPO_ALGORITHM, value);
  }
}
