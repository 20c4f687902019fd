/**
 * GAE with the time-limit bootstrap (onPolicy/gae.ts), against a rollout worked by hand
 * (γ = λ = 0.5 so every product is exact): env 0 has a truncation at t = 1 and a termination at t = 2;
 * env 1 runs on, to check the [step][env] layout and the bootstrap at the rollout's end.
 */
import { describe, expect, it } from 'vitest';
import { computeGae } from '../../src/rl/onPolicy/gae';

describe('computeGae', () => {
  it('matches the hand-worked rollout', () => {
    // Layout [t][env]: index 2t + env.
    //            t=0      t=1       t=2       t=3
    const rewards = [1, 0, 0, 0, 2, 0, -1, 0];
    const values = [2, 0, 3, 0, 4, 0, 1, 0];
    // s'_t: env 0 t=1 is the final observation of a truncated episode (V = 10); t=2's successor is terminal (V = 5, unused).
    const nextValues = [3, 0, 10, 0, 5, 0, 6, 8];
    const terminated = [0, 0, 0, 0, 1, 0, 0, 0];
    const episodeEnded = [0, 0, 1, 0, 1, 0, 0, 0];
    const advantages = new Float64Array(8);
    const returns = new Float64Array(8);
    computeGae({ nSteps: 4, nEnvs: 2, rewards, values, nextValues, terminated, episodeEnded, gamma: 0.5, lambda: 0.5 }, advantages, returns);
    // env 0, backwards:
    //   t=3: δ = −1 + 0.5·6 − 1 = 1                        Â = 1 (rollout end: bootstrap from V(s'_3), no Â beyond)
    //   t=2: δ = 2 + 0 (terminated) − 4 = −2               Â = −2 (episode ended: chain cut)
    //   t=1: δ = 0 + 0.5·10 (truncation bootstrap) − 3 = 2  Â = 2 (chain cut)
    //   t=0: δ = 1 + 0.5·3 − 2 = 0.5                       Â = 0.5 + 0.25·2 = 1
    // env 1: δ = 0 except t=3: 0.5·8 = 4; Â = 4, 1, 0.25, 0.0625.
    expect(Array.from(advantages)).toEqual([1, 0.0625, 2, 0.25, -2, 1, 1, 4]);
    // R = Â + V.
    expect(Array.from(returns)).toEqual([3, 0.0625, 5, 0.25, 2, 1, 2, 4]);
  });

  it('equals the reward-bump form at a truncation (r += γ·V(s_final), next value cut)', () => {
    // One truncated step: bump form δ = (r + γV(s_final)) + γ·0·V(reset obs) − V(s) = 0.3 + 0.9·4 − 1.
    const advantages = new Float64Array(1);
    const returns = new Float64Array(1);
    computeGae({ nSteps: 1, nEnvs: 1, rewards: [0.3], values: [1], nextValues: [4], terminated: [0], episodeEnded: [1], gamma: 0.9, lambda: 0.95 }, advantages, returns);
    expect(advantages[0]).toBeCloseTo(0.3 + 0.9 * 4 - 1, 12);
  });
});
