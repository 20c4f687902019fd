/**
 * A fresh agent's weights, drawn from the run's generator in exactly SacAgent's order (its constructor:
 * ActorNetwork, then TwinCriticNetwork), so a seed starts both engines from the same networks:
 *   actor: initialActorParameters (fc1, fc2, then μ and log σ heads);
 *   critic: Q1's kernel1, bias1, kernel2, bias2, kernel3, bias3, then Q2's, each ~ U(−1/√fan_in, 1/√fan_in)
 *   (PyTorch's nn.Linear default, SAC-SPEC.md "Networks"), as TwinCriticNetwork draws them.
 * The target critic is a copy (the lecture's hard_target_update), drawing nothing.
 */
import type { Rng } from '../../rng';
import { twinCriticParameterCount } from '../agentState';
import { initialActorParameters, linearInit } from '../networks';

export function initialAgentParameters(rng: Rng, observationSize: number, actionSize: number, hiddenSize: number): { actor: Float32Array; critic: Float32Array } {
  const actor = initialActorParameters(rng, observationSize, actionSize, hiddenSize);
  const I = observationSize + actionSize;
  const H = hiddenSize;
  // [count, fan_in] of each of a twin's six parameters, in the flat `variables` order.
  const parameters: Array<[number, number]> = [
    [I * H, I],
    [H, I],
    [H * H, H],
    [H, H],
    [H, H],
    [1, H],
  ];
  const critic = new Float32Array(twinCriticParameterCount(observationSize, actionSize, H));
  let offset = 0;
  for (let twin = 0; twin < 2; twin++) {
    for (const [count, fanIn] of parameters) {
      critic.set(linearInit(rng, count, fanIn), offset);
      offset += count;
    }
  }
  return { actor, critic };
}
