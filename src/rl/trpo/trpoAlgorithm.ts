/** TRPO as the on-policy trainer sees it. */
import type { OnPolicyAlgorithm } from '../onPolicy/algorithmDefinition';
import { TRPO_DESCRIPTOR } from '../onPolicy/descriptors';
import { TRPO_HYPERPARAMETERS, type TrpoConfig } from './config';
import { TrpoLearner } from './trpoLearner';

export const TRPO_ALGORITHM: OnPolicyAlgorithm<TrpoConfig> = {
  descriptor: TRPO_DESCRIPTOR,
  table: TRPO_HYPERPARAMETERS,
  // Adam only for the value net: the policy moves by the natural-gradient step.
  createLearner: (model) => new TrpoLearner(model.valueParameters.length),
};
