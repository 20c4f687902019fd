/** The maps a user can pick, their colour maps and units, and which algorithms have each. */
import type { AlgorithmId } from '../../rl/algorithm';
import type { ColorMapName } from '../../page/insightGrid';
import type { InsightMapKey } from '../../worker/protocol';

export interface MapChoice {
  key: InsightMapKey;
  label: string;
  colorMap: ColorMapName;
  unit: string;
}

export const MAP_CHOICES: readonly MapChoice[] = [
  { key: 'policyMean', label: 'Mean torque', colorMap: 'diverging', unit: 'N·m' },
  { key: 'value', label: 'State value', colorMap: 'sequential', unit: '' },
  { key: 'spread', label: 'Policy spread', colorMap: 'sequential', unit: '' },
];

export function mapChoice(key: InsightMapKey): MapChoice {
  return MAP_CHOICES.find((choice) => choice.key === key) ?? (MAP_CHOICES[0] as MapChoice);
}

/** The maps an algorithm's run has before its first insight message says so: DDPG and TD3 have no spread. */
export function mapKeysOfAlgorithm(algorithm: AlgorithmId): InsightMapKey[] {
  return algorithm === 'ddpg' || algorithm === 'td3' ? ['policyMean', 'value'] : ['policyMean', 'value', 'spread'];
}
