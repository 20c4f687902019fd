/**
 * New run records: one run, or a group of the same settings on seeds seed, seed+1, … (pure). Names say
 * the algorithm and what differs from its defaults; colours come from the palette, a group's members
 * in its hue.
 */
import type { AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, validateAlgorithmConfig, type AlgorithmConfig } from '../rl/algorithmSettings';
import type { GroupRecord, RunRecord, RunStatus } from '../store/runTypes';
import { describeGroup, describeRun } from './describeRun';
import { memberColors, pickColor } from './palette';

/** A fresh record: no steps, no episodes, visible. */
export function newRunRecord(
  id: string,
  algorithm: AlgorithmId,
  config: AlgorithmConfig,
  color: string,
  status: RunStatus,
  createdAt: number,
  groupId: string | null = null,
): RunRecord {
  return {
    id, name: describeRun(algorithm, config), nameEdited: false, algorithm, config: { ...config }, groupId, color, status,
    stopReason: null, error: null, createdAt, totalSteps: 0, episodesDone: 0, updates: 0, updatesPerSecond: 0, elapsedSeconds: 0,
    swingUpStep: null, best100: null, final100: null, goalReachedAtEpisode: null, visible: true, backend: null, checkpointStep: null,
  };
}

/** Every problem of a full config of `algorithm`: missing keys and out-of-range or unknown values. */
export function configProblems(algorithm: AlgorithmId, config: AlgorithmConfig): string[] {
  const missing = ALGORITHM_SETTINGS[algorithm].keys.filter((key) => config[key] === undefined);
  return [...missing.map((key) => `${ALGORITHM_SETTINGS[algorithm].label} needs the setting ${key}`), ...validateAlgorithmConfig(algorithm, config)];
}

/**
 * The records "Add run" makes from the editor's algorithm and config: one run, or (seeds > 1) a group.
 * Returns the refusal message instead when the config is invalid or the seeds run past the largest seed.
 */
export function newRunsFor(
  algorithm: AlgorithmId,
  config: AlgorithmConfig,
  seeds: number,
  usedColors: readonly string[],
  newId: () => string,
  createdAt: number,
): { runs: RunRecord[]; group: GroupRecord | null } | { problem: string } {
  const problems = configProblems(algorithm, config);
  if (problems.length > 0) return { problem: `Can't start: ${problems.join('; ')}` };
  const seed = Number(config.seed);
  const maxSeed = ALGORITHM_SETTINGS[algorithm].table.seed?.max ?? Number.MAX_SAFE_INTEGER;
  if (seed + seeds - 1 > maxSeed) {
    return { problem: `Seeds ${seed}…${seed + seeds - 1} go beyond the largest seed (${maxSeed}); lower the seed.` };
  }
  let group: GroupRecord | null = null;
  let colors: string[];
  if (seeds > 1) {
    const color = pickColor(usedColors);
    group = { id: newId(), name: describeGroup(algorithm, config, seeds), color, memberIds: [], createdAt };
    colors = memberColors(color, seeds);
  } else {
    colors = [pickColor(usedColors)];
  }
  const runs: RunRecord[] = [];
  for (let index = 0; index < seeds; index += 1) {
    const color = colors[index] ?? colors[0] ?? pickColor(usedColors);
    runs.push(newRunRecord(newId(), algorithm, { ...config, seed: seed + index }, color, 'queued', createdAt + index, group?.id ?? null));
  }
  if (group) group.memberIds = runs.map((run) => run.id);
  return { runs, group };
}
