/**
 * A run's trainer by algorithm id, as a SessionTrainer: the off-policy Trainer for SAC, DDPG and TD3,
 * OnPolicyTrainer for PPO and TRPO (issue 8). The session, the router and the worker never name a
 * trainer class: they create and restore through these two functions.
 *
 *   createSessionTrainer('ppo', { seed: 3 })          a new run: the table's defaults + the overrides
 *   restoreSessionTrainer(checkpoint, 'ppo')           a saved run, continued (its own `algorithm` picks)
 */
import { ALGORITHMS, ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { isAlgorithmId, makeAlgorithmConfig, type AlgorithmConfig } from '../rl/algorithmSettings';
import { isOffPolicyAlgorithmId, OFF_POLICY_ALGORITHMS, restoreTrainer } from '../rl/offPolicyAlgorithms';
import { createOnPolicyTrainer, isOnPolicyAlgorithmId, restoreOnPolicyTrainer } from '../rl/onPolicy/factory';
import type { OnPolicyConfig } from '../rl/onPolicy/config';
import type { OnPolicyTrainer } from '../rl/onPolicy/trainer';
import { isPlainObject } from '../rl/plainData';
import type { PpoConfig } from '../rl/ppo/config';
import type { TrpoConfig } from '../rl/trpo/config';
import { OffPolicySessionTrainer } from './offPolicySessionTrainer';
import { OnPolicySessionTrainer } from './onPolicySessionTrainer';
import type { SessionTrainer } from './sessionTrainer';

/** The id, or a RangeError naming the value and the known ids (a message from the page is data, not a promise). */
function checkedAlgorithm(value: unknown): AlgorithmId {
  if (isAlgorithmId(value)) return value;
  throw new RangeError(`Unknown algorithm ${JSON.stringify(value) ?? String(value)} (known: ${ALGORITHM_IDS.join(', ')})`);
}

/**
 * A new run of `algorithm` from its table's defaults plus `config`. Throws RangeError naming every bad
 * value (unknown keys, wrong types, out of range), before anything is built.
 */
export async function createSessionTrainer(algorithm: AlgorithmId, config: AlgorithmConfig): Promise<SessionTrainer> {
  const id = checkedAlgorithm(algorithm);
  // Absent would silently mean "all defaults": a message without its config is malformed.
  if (!isPlainObject(config)) throw new RangeError(`the run's settings are missing (got ${JSON.stringify(config) ?? String(config)})`);
  const full = makeAlgorithmConfig(id, config);
  if (isOffPolicyAlgorithmId(id)) return new OffPolicySessionTrainer(id, await OFF_POLICY_ALGORITHMS[id].create(full));
  if (isOnPolicyAlgorithmId(id)) return new OnPolicySessionTrainer(id, asGeneric(createOnPolicyTrainer(id, full)));
  throw new RangeError(`No trainer for algorithm "${id}"`);
}

/**
 * A saved run, continued where its checkpoint was taken. The checkpoint's own `algorithm` field picks
 * the trainer (each validates everything before restoring); when `expected` is given (the algorithm the
 * page thinks the run is), a checkpoint of another algorithm is refused, naming both.
 */
export async function restoreSessionTrainer(checkpoint: unknown, expected?: AlgorithmId): Promise<SessionTrainer> {
  const saved = isPlainObject(checkpoint) ? checkpoint.algorithm : undefined;
  if (saved === undefined) throw new RangeError(`the checkpoint names no algorithm (known: ${ALGORITHM_IDS.join(', ')})`);
  if (!isAlgorithmId(saved)) throw new RangeError(`the checkpoint's algorithm ${JSON.stringify(saved)} is not one of ${ALGORITHM_IDS.join(', ')}`);
  if (expected !== undefined && saved !== expected) {
    const expectedLabel = isAlgorithmId(expected) ? ALGORITHMS[expected].label : JSON.stringify(expected);
    throw new RangeError(`the checkpoint is of a ${ALGORITHMS[saved].label} run, not the ${expectedLabel} run it was sent for`);
  }
  if (isOffPolicyAlgorithmId(saved)) return new OffPolicySessionTrainer(saved, await restoreTrainer(checkpoint));
  return new OnPolicySessionTrainer(saved, asGeneric(restoreOnPolicyTrainer(checkpoint)));
}

/**
 * PPO's and TRPO's trainers as one type: the adapter reads only the shared OnPolicyConfig fields, and the
 * trainer itself checks every key a live change brings against its own table.
 */
function asGeneric(trainer: OnPolicyTrainer<PpoConfig> | OnPolicyTrainer<TrpoConfig> | OnPolicyTrainer<PpoConfig | TrpoConfig>): OnPolicyTrainer<OnPolicyConfig> {
  return trainer as unknown as OnPolicyTrainer<OnPolicyConfig>;
}
