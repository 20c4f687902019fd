/**
 * PPO's and TRPO's descriptors (registered in algorithm.ts's ALGORITHMS): their metrics, each with the
 * chart it belongs on. On-policy metrics are values of the latest update phase (one every
 * n_envs × n_steps env steps), reported with every episode that ends after it; NaN before the first.
 */
import type { AlgorithmDescriptor } from '../algorithm';

export type OnPolicyAlgorithmId = 'ppo' | 'trpo';
export const ON_POLICY_ALGORITHM_IDS: readonly OnPolicyAlgorithmId[] = ['ppo', 'trpo'];

export interface OnPolicyDescriptor extends AlgorithmDescriptor {
  id: OnPolicyAlgorithmId;
}

export const PPO_DESCRIPTOR: OnPolicyDescriptor = {
  id: 'ppo',
  label: 'PPO',
  metrics: [
    { key: 'policyLoss', label: 'Policy loss', chart: 'Policy and value loss', smoothed: true, description: 'L_clip = −mean min(ρÂ, clip(ρ, 1 ± ε)Â), mean over the last update phase\'s minibatches.' },
    { key: 'valueLoss', label: 'Value loss', chart: 'Policy and value loss', smoothed: true, description: 'mean (V(s) − R)², mean over the last update phase\'s minibatches.' },
    { key: 'approxKl', label: 'Approx. KL', chart: 'Policy change', smoothed: true, description: 'mean((ρ − 1) − log ρ): how far the last phase moved the policy.' },
    { key: 'clipFraction', label: 'Clip fraction', chart: 'Policy change', smoothed: true, description: 'Share of samples with |ρ − 1| > ε in the last update phase.' },
    { key: 'entropy', label: 'Entropy', chart: 'Entropy', smoothed: true, description: 'mean Σ_j ½ log(2πe v_j) of the policy on the last phase\'s minibatches.' },
    { key: 'explainedVariance', label: 'Explained variance', chart: 'Value fit', smoothed: false, description: '1 − Var(R − V)/Var(R) on the rollout: 1 = the value net predicts the returns.' },
  ],
};

export const TRPO_DESCRIPTOR: OnPolicyDescriptor = {
  id: 'trpo',
  label: 'TRPO',
  metrics: [
    { key: 'klAfterStep', label: 'KL after the step', chart: 'Policy change', smoothed: false, description: 'mean KL(π_old ‖ π) of the accepted step (≤ δ), 0 when the old policy was kept.' },
    { key: 'lineSearchTries', label: 'Line-search tries', chart: 'Line search', smoothed: false, description: 'Step sizes tried before one kept KL ≤ δ and improved the surrogate.' },
    { key: 'surrogateGain', label: 'Surrogate gain', chart: 'Surrogate gain', smoothed: true, description: 'mean(ρÂ) after the step minus before (0 when the old policy was kept).' },
    { key: 'valueLoss', label: 'Value loss', chart: 'Value loss', smoothed: true, description: 'mean (V(s) − R)² over the value net\'s minibatches of the last phase.' },
  ],
};

export const ON_POLICY_DESCRIPTORS: Readonly<Record<OnPolicyAlgorithmId, OnPolicyDescriptor>> = { ppo: PPO_DESCRIPTOR, trpo: TRPO_DESCRIPTOR };
