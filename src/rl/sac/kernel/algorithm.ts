/** KernelSacAgent as the trainer sees it: SAC's checkpoint rules (the same SacAgentState) and how to create one. */
import type { OffPolicyAlgorithm } from '../../offPolicyAgent';
import { SAC_AGENT_STATE_RULES, type SacAgentState } from '../agentState';
import type { SacConfig } from '../config';
import { KernelSacAgent } from './agent';

export const KERNEL_SAC_ALGORITHM: OffPolicyAlgorithm<SacConfig, KernelSacAgent, SacAgentState> = {
  ...SAC_AGENT_STATE_RULES,
  createAgent: (rng, shape, config) =>
    new KernelSacAgent(rng, {
      observationSize: shape.observationSize,
      actionSize: shape.actionSize,
      hiddenSize: config.hiddenSize,
      initialAlpha: config.initialAlpha,
      actionScale: config.actionScale,
    }),
};
