/**
 * DDPG's and TD3's phase-space maps (issue 9), one batched evaluation over the grid in tf.tidy and one
 * read-back:
 *   policyMean = actionScale · μ(s)   (μ = tanh of the actor's output, in units of the bound)
 *   value      = Q1(s, μ(s))          (the first critic at the actor's own action)
 * A deterministic actor has no spread.
 */
import * as tf from '@tensorflow/tfjs';
import type { DeterministicAgent } from '../deterministic/agent';
import { actorForward, criticsForward } from '../deterministic/gradients';
import { asDenseStack } from '../deterministic/networks';
import { gridObservations, type InsightMapData } from './grid';

export async function deterministicInsightMaps<Config>(agent: DeterministicAgent<Config>, gridSize: number): Promise<InsightMapData[]> {
  const O = agent.observationSize;
  const scale = agent.actionScale;
  const N = gridSize * gridSize;
  const firstCritic = agent.critics[0];
  if (!firstCritic) throw new Error('the agent has no critic');
  const stacked = tf.tidy(() => {
    const observations = tf.tensor2d(gridObservations(gridSize), [N, O]);
    const action = actorForward(asDenseStack(agent.actor), observations).action;
    if (action.shape[1] !== 1) throw new RangeError(`the maps need a one-dimensional action, this agent has ${action.shape[1]}`);
    const q1 = criticsForward([asDenseStack(firstCritic)], observations, action).q; // [1, N, 1]
    return tf.concat([tf.reshape(tf.mul(action, scale), [N]), tf.reshape(q1, [N])]);
  });
  let data: Float32Array;
  try {
    data = (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
  const name = agent.descriptor.label;
  return [
    {
      key: 'policyMean',
      label: 'Actor torque actionScale·μ(s) (N·m)',
      description: `${name}'s deterministic actor: actionScale · μ(s), μ = tanh of the actor's output, actionScale = ${scale}.`,
      values: data.slice(0, N),
    },
    {
      key: 'value',
      label: 'Q1(s, μ(s))',
      description: `The first critic's value of the actor's own action at s (${name}'s estimate of the return from s).`,
      values: data.slice(N, 2 * N),
    },
  ];
}
