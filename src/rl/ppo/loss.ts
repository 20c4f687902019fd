/**
 * PPO's clipped surrogate (ALGORITHMS.md, PPO; Schulman et al. 2017, eq. 7) on one minibatch, with its
 * gradient with respect to each sample's new log-probability:
 *   ρ = exp(log π_new − log π_old),  L_clip = −mean min(ρÂ, clip(ρ, 1 − ε, 1 + ε)Â)
 *   ∂L_clip/∂log π_new(b) = −ρ_b·Â_b/B when the unclipped term is the minimum, else 0
 * (inside [1 − ε, 1 + ε] both terms are equal and both pass Â; outside, the clipped term is constant).
 * Also the diagnostics SB3 logs: clip fraction mean(|ρ − 1| > ε) and approx KL mean((ρ − 1) − log ρ).
 */

export interface ClippedSurrogateResult {
  loss: number;
  clipFraction: number;
  approxKl: number;
}

/** Loss and diagnostics; writes ∂L_clip/∂log π_new into dLogProb [count]. */
export function clippedSurrogate(
  newLogProbs: ArrayLike<number>,
  oldLogProbs: ArrayLike<number>,
  advantages: ArrayLike<number>,
  count: number,
  clipRange: number,
  dLogProb: Float64Array,
): ClippedSurrogateResult {
  let objective = 0;
  let clipped = 0;
  let approxKl = 0;
  for (let b = 0; b < count; b++) {
    const logRatio = (newLogProbs[b] as number) - (oldLogProbs[b] as number);
    const ratio = Math.exp(logRatio);
    const advantage = advantages[b] as number;
    const unclippedTerm = ratio * advantage;
    const clippedTerm = Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange) * advantage;
    objective += Math.min(unclippedTerm, clippedTerm);
    dLogProb[b] = unclippedTerm <= clippedTerm ? (-ratio * advantage) / count : 0;
    if (Math.abs(ratio - 1) > clipRange) clipped += 1;
    approxKl += ratio - 1 - logRatio;
  }
  return { loss: -objective / count, clipFraction: clipped / count, approxKl: approxKl / count };
}
