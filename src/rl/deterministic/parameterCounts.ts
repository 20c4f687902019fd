/**
 * Sizes of DDPG's and TD3's flat weights, without tfjs: the checkpoint validation (agentState.ts) runs
 * on the page's main thread, where an imported run file is checked before any worker is involved, and
 * the main bundle must not pull in tfjs through networks.ts.
 */

/** Values in one dense stack input → H → H → output (weights and biases). */
export function denseStackParameterCount(inputSize: number, hiddenSize: number, outputSize: number): number {
  const H = hiddenSize;
  return inputSize * H + H + H * H + H + H * outputSize + outputSize;
}

/** Values in the actor's flat weights. */
export function deterministicActorParameterCount(observationSize: number, actionSize: number, hiddenSize: number): number {
  return denseStackParameterCount(observationSize, hiddenSize, actionSize);
}

/** Values in all critics' flat weights (Q1's stack, then Q2's for TD3). */
export function criticsParameterCount(observationSize: number, actionSize: number, hiddenSize: number, criticCount: number): number {
  return criticCount * denseStackParameterCount(observationSize + actionSize, hiddenSize, 1);
}
