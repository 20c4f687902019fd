/** SAC as the trainer sees it: its checkpoint rules plus how to create an agent (offPolicyAgent.ts). */
import * as tf from '@tensorflow/tfjs';
import type { OffPolicyAlgorithm } from '../offPolicyAgent';
import { SacAgent } from './agent';
import { sacEngine } from './engine';
import { KERNEL_SAC_ALGORITHM } from './kernel/algorithm';
import type { KernelSacAgent } from './kernel/agent';
import { SAC_AGENT_STATE_RULES, type SacAgentState } from './agentState';
import type { SacConfig } from './config';

/** Updates between GPU read-backs of the acting policy on WebGL (SacAgent.policySyncInterval). */
export const WEBGL_POLICY_SYNC_INTERVAL = 10;

/**
 * SAC on tfjs (SacAgent) or, when the process's engine is 'kernels' (engine.ts), the same update on the
 * hand-written WebAssembly kernels (KernelSacAgent). Both keep the same SacAgentState, so a checkpoint
 * taken under one engine continues under the other (numerically close, not bit-identical: float32
 * kernels against f64 sums).
 */
export const SAC_ALGORITHM: OffPolicyAlgorithm<SacConfig, SacAgent | KernelSacAgent, SacAgentState> = {
  ...SAC_AGENT_STATE_RULES,
  createAgent: (rng, shape, config) => {
    if (sacEngine() === 'kernels') return KERNEL_SAC_ALGORITHM.createAgent(rng, shape, config);
    const agent = new SacAgent(rng, {
      observationSize: shape.observationSize,
      actionSize: shape.actionSize,
      hiddenSize: config.hiddenSize,
      initialAlpha: config.initialAlpha,
      actionScale: config.actionScale,
    });
    // WebGL: refresh the acting copy of the actor every 10 updates instead of a GPU read-back per step.
    if (tf.getBackend() === 'webgl') agent.policySyncInterval = WEBGL_POLICY_SYNC_INTERVAL;
    return agent;
  },
};
