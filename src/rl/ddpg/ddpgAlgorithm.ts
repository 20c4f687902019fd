/** DDPG as the trainer sees it (offPolicyAgent.ts): the deterministic agent with one critic, no delay, no smoothing. */
import * as tf from '@tensorflow/tfjs';
import { DDPG_DESCRIPTOR } from '../algorithm';
import { DeterministicAgent } from '../deterministic/agent';
import type { DeterministicAgentState } from '../deterministic/agentState';
import type { TrainerAlgorithm } from '../offPolicyAgent';
import { WEBGL_POLICY_SYNC_INTERVAL } from '../sac/sacAlgorithm';
import { DDPG_CONFIG_RULES, type DdpgConfig } from './config';
import { DDPG_AGENT_STATE_RULES } from './agentStateRules';

export const DDPG_ALGORITHM: TrainerAlgorithm<DdpgConfig, DeterministicAgent<DdpgConfig>, DeterministicAgentState> = {
  ...DDPG_AGENT_STATE_RULES,
  configRules: DDPG_CONFIG_RULES,
  learningStarts: (config) => config.learningStarts,
  createAgent: (rng, shape, config) => {
    const agent = new DeterministicAgent<DdpgConfig>(rng, config, {
      descriptor: DDPG_DESCRIPTOR,
      criticCount: 1,
      // DDPG (ALGORITHMS.md): actor and targets after every critic update, target action μ̄(s') as is.
      settings: (c) => ({ gamma: c.gamma, tau: c.tau, actorLr: c.actorLr, criticLr: c.criticLr, actionNoise: c.actionNoise, policyDelay: 1, smoothing: null }),
      observationSize: shape.observationSize,
      actionSize: shape.actionSize,
      hiddenSize: config.hiddenSize,
      actionScale: config.actionScale,
    });
    // WebGL: refresh the acting copy every 10 actor updates instead of a GPU read-back per step (as SAC).
    if (tf.getBackend() === 'webgl') agent.policySyncInterval = WEBGL_POLICY_SYNC_INTERVAL;
    return agent;
  },
};
