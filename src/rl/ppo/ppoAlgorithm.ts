/** PPO as the on-policy trainer sees it. */
import type { OnPolicyAlgorithm } from '../onPolicy/algorithmDefinition';
import { PPO_DESCRIPTOR } from '../onPolicy/descriptors';
import { PPO_HYPERPARAMETERS, type PpoConfig } from './config';
import { PpoLearner } from './ppoLearner';

export const PPO_ALGORITHM: OnPolicyAlgorithm<PpoConfig> = {
  descriptor: PPO_DESCRIPTOR,
  table: PPO_HYPERPARAMETERS,
  // One Adam over policy and value net together.
  createLearner: (model) => new PpoLearner(model.parameters.length),
};
