/** TD3 as the trainer sees it (offPolicyAgent.ts): twin critics, delayed actor, target policy smoothing. */
import * as tf from '@tensorflow/tfjs';
import { TD3_DESCRIPTOR } from '../algorithm';
import { DeterministicAgent } from '../deterministic/agent';
import type { DeterministicAgentState } from '../deterministic/agentState';
import type { TrainerAlgorithm } from '../offPolicyAgent';
import { WEBGL_POLICY_SYNC_INTERVAL } from '../sac/sacAlgorithm';
import { TD3_CONFIG_RULES, type Td3Config } from './config';
import { TD3_AGENT_STATE_RULES } from './agentStateRules';

export const TD3_ALGORITHM: TrainerAlgorithm<Td3Config, DeterministicAgent<Td3Config>, DeterministicAgentState> = {
  ...TD3_AGENT_STATE_RULES,
  configRules: TD3_CONFIG_RULES,
  learningStarts: (config) => config.learningStarts,
  createAgent: (rng, shape, config) => {
    const agent = new DeterministicAgent<Td3Config>(rng, config, {
      descriptor: TD3_DESCRIPTOR,
      criticCount: 2,
      settings: (c) => ({
        gamma: c.gamma,
        tau: c.tau,
        actorLr: c.actorLr,
        criticLr: c.criticLr,
        actionNoise: c.actionNoise,
        policyDelay: c.policyDelay,
        smoothing: { noiseStd: c.targetPolicyNoise, noiseClip: c.targetNoiseClip },
      }),
      observationSize: shape.observationSize,
      actionSize: shape.actionSize,
      hiddenSize: config.hiddenSize,
      actionScale: config.actionScale,
    });
    if (tf.getBackend() === 'webgl') agent.policySyncInterval = WEBGL_POLICY_SYNC_INTERVAL;
    return agent;
  },
};
