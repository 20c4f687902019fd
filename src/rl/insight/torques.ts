/**
 * The deterministic torque of a run's actor for many observations at once (issue 9's robustness sweep
 * runs all its episodes in lockstep: one batched forward per env step instead of one per episode).
 * The same torques as each agent's deterministicTorque, batched: SAC actionScale·tanh(μ), DDPG/TD3
 * actionScale·μ; PPO/TRPO in OnPolicyInsight.torques. No generator is touched.
 */
import * as tf from '@tensorflow/tfjs';
import type { DeterministicAgent } from '../deterministic/agent';
import { actorForward } from '../deterministic/gradients';
import { asDenseStack } from '../deterministic/networks';
import type { SacNetworks } from './sacInsight';

/** observations: [count, 3] row-major. One forward in tf.tidy, one read-back. */
export function sacTorques(agent: SacNetworks, observations: Float32Array, count: number): Float32Array {
  const { observationSize: O, actionScale } = agent.shape;
  const torques = tf.tidy(() => tf.mul(tf.tanh(agent.actor.forward(tf.tensor2d(observations, [count, O])).mean), actionScale));
  try {
    return Float32Array.from(torques.dataSync());
  } finally {
    torques.dispose();
  }
}

export function deterministicActorTorques<Config>(agent: DeterministicAgent<Config>, observations: Float32Array, count: number): Float32Array {
  const O = agent.observationSize;
  const torques = tf.tidy(() => tf.mul(actorForward(asDenseStack(agent.actor), tf.tensor2d(observations, [count, O])).action, agent.actionScale));
  try {
    return Float32Array.from(torques.dataSync());
  } finally {
    torques.dispose();
  }
}
