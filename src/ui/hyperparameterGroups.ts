/**
 * How the hyperparameter panel groups an algorithm's table into fieldsets. SAC keeps the lecture's
 * grouping; the others are grouped by what a setting is about (keys the table lacks are skipped, keys no
 * group names land in "Other"), so a new table key always shows.
 */
import type { AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';

export interface ParameterGroup {
  title: string;
  keys: readonly string[];
}

const SAC_GROUPS: readonly ParameterGroup[] = [
  { title: 'Learning', keys: ['actorLr', 'criticLr', 'alphaLr', 'gamma', 'tau', 'batchSize'] },
  { title: 'Entropy and actions', keys: ['initialAlpha', 'targetEntropy', 'actionScale'] },
  { title: 'Network and memory', keys: ['hiddenSize', 'bufferSize', 'seed'] },
  { title: 'Stopping', keys: ['goalScore', 'stopAtGoal', 'maxEpisodes', 'maxSteps', 'logInterval'] },
];

const GENERIC_GROUPS: readonly ParameterGroup[] = [
  {
    title: 'Learning',
    keys: ['actorLr', 'criticLr', 'learningRate', 'gamma', 'gaeLambda', 'tau', 'batchSize', 'nEpochs', 'clipRange', 'vfCoef', 'entCoef', 'maxGradNorm',
      'targetKl', 'cgMaxSteps', 'cgDamping', 'lineSearchShrinkingFactor', 'lineSearchMaxIter', 'nCriticUpdates', 'policyDelay', 'learningStarts'],
  },
  { title: 'Exploration and actions', keys: ['actionNoise', 'targetPolicyNoise', 'targetNoiseClip', 'useSde', 'sdeSampleFreq', 'logStdInit', 'actionScale'] },
  { title: 'Rollouts, network and memory', keys: ['nEnvs', 'nSteps', 'hiddenSize', 'bufferSize', 'seed'] },
  { title: 'Stopping', keys: ['goalScore', 'stopAtGoal', 'maxEpisodes', 'maxSteps', 'logInterval'] },
];

/** The fieldsets for `algorithm`: every key of its table exactly once, empty groups left out. */
export function parameterGroups(algorithm: AlgorithmId): ParameterGroup[] {
  const { keys, table } = ALGORITHM_SETTINGS[algorithm];
  const template = algorithm === 'sac' ? SAC_GROUPS : GENERIC_GROUPS;
  const groups = template.map((group) => ({ title: group.title, keys: group.keys.filter((key) => key in table) }));
  const grouped = new Set(groups.flatMap((group) => group.keys));
  const other = keys.filter((key) => !grouped.has(key));
  if (other.length > 0) groups.push({ title: 'Other', keys: other });
  return groups.filter((group) => group.keys.length > 0);
}
