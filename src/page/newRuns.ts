/**
 * New run records: one run, or a group of the same settings on seeds seed, seed+1, … (pure). Names say
 * what differs from the lecture's defaults; colours come from the palette, a group's members in its hue.
 */
import { HYPERPARAMETERS, defaultConfig, validateConfig, type SacConfig } from '../rl/sac/config';
import type { GroupRecord, RunRecord, RunStatus } from '../store/runTypes';
import { describeGroup, describeRun } from './describeRun';
import { memberColors, pickColor } from './palette';

const MAX_SEED = HYPERPARAMETERS.seed.max;

/** A fresh record: no steps, no episodes, visible. */
export function newRunRecord(id: string, config: SacConfig, color: string, status: RunStatus, createdAt: number, groupId: string | null = null): RunRecord {
  return {
    id, name: describeRun(config, defaultConfig()), nameEdited: false, algorithm: 'sac', config: { ...config }, groupId, color, status,
    stopReason: null, error: null, createdAt, totalSteps: 0, episodesDone: 0, updates: 0, updatesPerSecond: 0, elapsedSeconds: 0,
    swingUpStep: null, best100: null, final100: null, goalReachedAtEpisode: null, visible: true, backend: null, checkpointStep: null,
  };
}

/**
 * The records "Add run" makes from the editor's config: one run, or (seeds > 1) a group. Returns the
 * refusal message instead when the config is invalid or the seeds run past the largest seed.
 */
export function newRunsFor(
  config: SacConfig,
  seeds: number,
  usedColors: readonly string[],
  newId: () => string,
  createdAt: number,
): { runs: RunRecord[]; group: GroupRecord | null } | { problem: string } {
  const problems = validateConfig(config);
  if (problems.length > 0) return { problem: `Can't start: ${problems.join('; ')}` };
  if (config.seed + seeds - 1 > MAX_SEED) {
    return { problem: `Seeds ${config.seed}…${config.seed + seeds - 1} go beyond the largest seed (${MAX_SEED}); lower the seed.` };
  }
  let group: GroupRecord | null = null;
  let colors: string[];
  if (seeds > 1) {
    const color = pickColor(usedColors);
    group = { id: newId(), name: describeGroup(config, defaultConfig(), seeds), color, memberIds: [], createdAt };
    colors = memberColors(color, seeds);
  } else {
    colors = [pickColor(usedColors)];
  }
  const runs: RunRecord[] = [];
  for (let index = 0; index < seeds; index += 1) {
    const color = colors[index] ?? colors[0] ?? pickColor(usedColors);
    runs.push(newRunRecord(newId(), { ...config, seed: config.seed + index }, color, 'queued', createdAt + index, group?.id ?? null));
  }
  if (group) group.memberIds = runs.map((run) => run.id);
  return { runs, group };
}
