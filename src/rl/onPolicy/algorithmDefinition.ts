/** How the on-policy trainer makes one algorithm's learner and checks its config (PPO, TRPO). */
import type { ActorCritic } from './actorCritic';
import type { OnPolicyConfig, OnPolicyHyperparameterTable } from './config';
import type { OnPolicyDescriptor } from './descriptors';
import type { OnPolicyLearner } from './learner';

export interface OnPolicyAlgorithm<Config extends OnPolicyConfig> {
  readonly descriptor: OnPolicyDescriptor;
  readonly table: OnPolicyHyperparameterTable<Config>;
  /** A fresh learner (optimiser state) for this model. */
  createLearner(model: ActorCritic): OnPolicyLearner<Config>;
}
