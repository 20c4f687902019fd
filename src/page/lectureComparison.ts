/**
 * The lecture comparison's plan (issue 8, "Compare algorithms (lecture)"), pure: all five algorithms ×
 * the same seeds, one group per algorithm, every run spending the same env-step budget of its family.
 * The page turns each entry into a group of runs; nothing here touches the store or a worker.
 *
 * "Same settings as SAC" copies SAC's γ, minibatch size, learning rates and warm-up onto every other
 * algorithm's own keys where that algorithm has such a setting (see SHARED_SETTING_MAPPINGS); each
 * entry lists what was shared and which of those SAC settings it has no equivalent for. Every other
 * setting stays that algorithm's default (the zoo's; the lecture's for SAC).
 */
import { ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, defaultAlgorithmConfig, validateAlgorithmConfig, type AlgorithmConfig } from '../rl/algorithmSettings';
import { MAX_EPISODE_STEPS } from '../rl/env/pendulum';
import type { SacConfig } from '../rl/sac/config';

/** Env steps per run by family when no budget is given: the issue's learning targets (20k off-policy, 100k on-policy). */
export const LECTURE_BUDGETS: Readonly<Record<'off-policy' | 'on-policy', number>> = { 'off-policy': 20_000, 'on-policy': 100_000 };
/** Seeds per algorithm when not given, and the first of them. */
export const LECTURE_SEED_COUNT = 3;
export const LECTURE_FIRST_SEED = 1;
/**
 * Largest budget the plan accepts: within every table's maxSteps bound, and small enough that every
 * table's largest maxEpisodes still lets the step limit bind first (2·10⁷ with today's tables).
 */
export const MAX_LECTURE_BUDGET = Math.min(
  ...ALGORITHM_IDS.map((id) => {
    const table = ALGORITHM_SETTINGS[id].table;
    const byEpisodes = ((table.maxEpisodes?.max ?? Number.POSITIVE_INFINITY) - 1) * MAX_EPISODE_STEPS;
    return Math.min(table.maxSteps?.max ?? Number.POSITIVE_INFINITY, byEpisodes);
  }),
);

/** One SAC setting copied onto an algorithm's key. */
export interface SharedSetting {
  /** SAC's key, e.g. "actorLr"; "batchSize" also for the warm-up. */
  sacKey: keyof SacConfig;
  /** The algorithm's key that received the value, e.g. "learningRate". */
  key: string;
  /** The value copied (SAC's). */
  value: number;
  /** Short plain-English description for the UI, e.g. "learning_rate ← SAC actor_lr 0.001". */
  text: string;
}

/** One SAC setting of the shared set that an algorithm does not take, with why. */
export interface NotSharedSetting {
  /** Which of the shared settings: "gamma" | "batchSize" | "actorLr" | "criticLr" | "warmUp". */
  setting: SharedSettingName;
  /** Why, e.g. "no separate actor learning rate (natural-gradient step of size δ)". */
  reason: string;
}

export type SharedSettingName = 'gamma' | 'batchSize' | 'actorLr' | 'criticLr' | 'warmUp';

export interface LectureRunPlan {
  seed: number;
  /** The full config of this run (its seed set), valid for the algorithm's table. */
  config: Record<string, number | boolean>;
}

export interface LectureComparisonEntry {
  algorithm: AlgorithmId;
  /** Short name, e.g. "PPO". */
  label: string;
  family: 'off-policy' | 'on-policy';
  /** The group's config: full, valid for the algorithm's table, seed = the first seed. */
  config: Record<string, number | boolean>;
  seeds: number[];
  /** One per seed: `config` with that seed. */
  runs: LectureRunPlan[];
  /** e.g. "PPO (lecture comparison)" or "PPO (lecture comparison, SAC's settings)". */
  groupName: string;
  /** Env steps per run (the config's maxSteps). */
  budget: number;
  /** SAC settings copied onto this algorithm (empty when the toggle is off, and for SAC itself). */
  sharedSettings: SharedSetting[];
  /** Settings of the shared set this algorithm has no equivalent for, or whose SAC value its table refuses (toggle on only). */
  notShared: NotSharedSetting[];
}

export interface LectureComparisonPlan {
  sameSettingsAsSac: boolean;
  /** The override given, or null for the per-family defaults. */
  budgetOverride: number | null;
  entries: LectureComparisonEntry[];
}

export interface LectureComparisonOptions {
  /** Copy SAC's γ, batch size, learning rates and warm-up onto the other algorithms. Default false. */
  sameSettingsAsSac?: boolean;
  /** SAC's settings: SAC's runs use them, and the toggle copies from them. Default: SAC's defaults. */
  sacConfig?: SacConfig | AlgorithmConfig;
  /** Number of seeds (LECTURE_FIRST_SEED, +1, …) or the seeds themselves. Default 3: seeds 1, 2, 3. */
  seeds?: number | readonly number[];
  /** Env steps per run for every algorithm; null/undefined: LECTURE_BUDGETS by family. */
  budget?: number | null;
}

/**
 * Where each shared SAC setting goes, per algorithm: the target key, or the reason there is none.
 * Warm-up: SAC starts updating once steps > batch_size, so DDPG/TD3 get learningStarts = SAC's
 * batch size (their warm-up acts uniformly at random; SAC's acts with its initial stochastic policy).
 */
const SHARED_SETTING_MAPPINGS: Readonly<Record<Exclude<AlgorithmId, 'sac'>, Readonly<Record<SharedSettingName, { key: string; sacKey: keyof SacConfig } | { reason: string }>>>> = {
  ddpg: {
    gamma: { key: 'gamma', sacKey: 'gamma' },
    batchSize: { key: 'batchSize', sacKey: 'batchSize' },
    actorLr: { key: 'actorLr', sacKey: 'actorLr' },
    criticLr: { key: 'criticLr', sacKey: 'criticLr' },
    warmUp: { key: 'learningStarts', sacKey: 'batchSize' },
  },
  td3: {
    gamma: { key: 'gamma', sacKey: 'gamma' },
    batchSize: { key: 'batchSize', sacKey: 'batchSize' },
    actorLr: { key: 'actorLr', sacKey: 'actorLr' },
    criticLr: { key: 'criticLr', sacKey: 'criticLr' },
    warmUp: { key: 'learningStarts', sacKey: 'batchSize' },
  },
  ppo: {
    gamma: { key: 'gamma', sacKey: 'gamma' },
    batchSize: { key: 'batchSize', sacKey: 'batchSize' },
    actorLr: { key: 'learningRate', sacKey: 'actorLr' },
    criticLr: { reason: 'one optimiser for policy and value net (its learning rate takes SAC actor_lr)' },
    warmUp: { reason: 'on-policy: no replay buffer, no warm-up; it learns from each fresh rollout' },
  },
  trpo: {
    gamma: { key: 'gamma', sacKey: 'gamma' },
    batchSize: { key: 'batchSize', sacKey: 'batchSize' },
    actorLr: { reason: 'no actor learning rate: the policy moves by the natural-gradient step within the KL bound δ' },
    criticLr: { key: 'learningRate', sacKey: 'criticLr' },
    warmUp: { reason: 'on-policy: no replay buffer, no warm-up; it learns from each fresh rollout' },
  },
};

const SHARED_SETTING_ORDER: readonly SharedSettingName[] = ['gamma', 'batchSize', 'actorLr', 'criticLr', 'warmUp'];

function lectureNameOf(algorithm: AlgorithmId, key: string): string {
  return ALGORITHM_SETTINGS[algorithm].table[key]?.lectureName ?? key;
}

/** "Env steps per run" as typed: blank → null (per-family defaults), else a whole number 1 … MAX_LECTURE_BUDGET. */
export function parseStepsPerRun(text: string): { value: number | null } | { problem: string } {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return { value: null };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LECTURE_BUDGET) {
    return { problem: `Env steps per run must be a whole number from 1 to ${MAX_LECTURE_BUDGET.toLocaleString('en-US')} (blank: ${LECTURE_BUDGETS['off-policy'].toLocaleString('en-US')} off-policy, ${LECTURE_BUDGETS['on-policy'].toLocaleString('en-US')} on-policy), got "${text.trim()}"` };
  }
  return { value };
}

function seedList(seeds: LectureComparisonOptions['seeds']): number[] {
  const list = seeds === undefined ? LECTURE_SEED_COUNT : seeds;
  if (typeof list === 'number') {
    if (!Number.isInteger(list) || list < 1) throw new RangeError(`Seed count must be a whole number ≥ 1, got ${list}`);
    return Array.from({ length: list }, (_, index) => LECTURE_FIRST_SEED + index);
  }
  if (list.length === 0) throw new RangeError('At least one seed is needed');
  return [...list];
}

/**
 * The plan: one entry per algorithm (ALGORITHM_IDS order, SAC first). Throws RangeError when the budget,
 * the seeds or the SAC config is invalid, or (a bug) when a planned config fails its table.
 */
export function lectureComparisonPlan(options: LectureComparisonOptions = {}): LectureComparisonPlan {
  const sameSettingsAsSac = options.sameSettingsAsSac ?? false;
  const budgetOverride = options.budget ?? null;
  if (budgetOverride !== null && (!Number.isInteger(budgetOverride) || budgetOverride < 1 || budgetOverride > MAX_LECTURE_BUDGET)) {
    throw new RangeError(`Env steps per run must be a whole number from 1 to ${MAX_LECTURE_BUDGET}, got ${budgetOverride}`);
  }
  const sacConfig: Record<string, number | boolean> = { ...defaultAlgorithmConfig('sac'), ...(options.sacConfig ?? {}) };
  const sacProblems = validateAlgorithmConfig('sac', sacConfig);
  if (sacProblems.length > 0) throw new RangeError(`SAC settings: ${sacProblems.join('; ')}`);
  const seeds = seedList(options.seeds);

  const entries = ALGORITHM_IDS.map((algorithm): LectureComparisonEntry => {
    const settings = ALGORITHM_SETTINGS[algorithm];
    const budget = budgetOverride ?? LECTURE_BUDGETS[settings.family];
    const config: Record<string, number | boolean> = algorithm === 'sac' ? { ...sacConfig } : defaultAlgorithmConfig(algorithm);
    const sharedSettings: SharedSetting[] = [];
    const notShared: NotSharedSetting[] = [];

    if (sameSettingsAsSac && algorithm !== 'sac') {
      const mappings = SHARED_SETTING_MAPPINGS[algorithm];
      for (const setting of SHARED_SETTING_ORDER) {
        const mapping = mappings[setting];
        if ('reason' in mapping) {
          notShared.push({ setting, reason: mapping.reason });
          continue;
        }
        const value = sacConfig[mapping.sacKey];
        if (typeof value !== 'number') continue;
        const refused = validateAlgorithmConfig(algorithm, { [mapping.key]: value });
        if (refused.length > 0) {
          notShared.push({ setting, reason: `SAC's ${lectureNameOf('sac', mapping.sacKey)} ${value} is outside ${settings.label}'s range (${refused.join('; ')}); ${settings.label} keeps ${String(config[mapping.key])}` });
          continue;
        }
        config[mapping.key] = value;
        const source = setting === 'warmUp' ? `SAC's warm-up (updates once steps > batch_size ${value})` : `SAC ${lectureNameOf('sac', mapping.sacKey)} ${value}`;
        sharedSettings.push({ sacKey: mapping.sacKey, key: mapping.key, value, text: `${lectureNameOf(algorithm, mapping.key)} ← ${source}` });
      }
    }

    // Every run spends the same budget: no stop at the goal, and the episode limit never binds first.
    const episodesNeeded = Math.ceil(budget / MAX_EPISODE_STEPS) + 1;
    const episodeSpec = settings.table.maxEpisodes;
    const defaultEpisodes = typeof config.maxEpisodes === 'number' ? config.maxEpisodes : 0;
    config.maxSteps = budget;
    config.stopAtGoal = false;
    config.maxEpisodes = Math.min(episodeSpec?.max ?? Number.POSITIVE_INFINITY, Math.max(defaultEpisodes, episodesNeeded));
    config.seed = seeds[0] ?? LECTURE_FIRST_SEED;

    const runs = seeds.map((seed) => ({ seed, config: { ...config, seed } }));
    for (const run of runs) {
      const problems = validateAlgorithmConfig(algorithm, run.config);
      if (problems.length > 0) throw new RangeError(`${settings.label} seed ${run.seed}: ${problems.join('; ')}`);
    }
    const groupName = `${settings.label} (lecture comparison${sameSettingsAsSac && algorithm !== 'sac' ? ", SAC's settings" : ''})`;
    return { algorithm, label: settings.label, family: settings.family, config, seeds: [...seeds], runs, groupName, budget, sharedSettings, notShared };
  });
  return { sameSettingsAsSac, budgetOverride, entries };
}

/** One line per algorithm for the UI's note, e.g. "PPO: gamma ← SAC gamma 0.99, …; not shared: critic_lr (…)". */
export function sharedSettingsSummary(plan: LectureComparisonPlan): string[] {
  if (!plan.sameSettingsAsSac) return [];
  return plan.entries
    .filter((entry) => entry.algorithm !== 'sac')
    .map((entry) => {
      const shared = entry.sharedSettings.map((setting) => setting.text).join(', ');
      const missing = entry.notShared.map((setting) => `${setting.setting} (${setting.reason})`).join('; ');
      return `${entry.label}: ${shared || 'nothing shared'}${missing ? `; not shared: ${missing}` : ''}`;
    });
}

/** What the panel's controls hold when the button is pressed. */
export interface LectureComparisonInput {
  sameSettingsAsSac: boolean;
  /** The "Env steps per run" field as typed (blank: per-family defaults). */
  stepsText: string;
  sacConfig?: SacConfig | AlgorithmConfig;
  seeds?: number | readonly number[];
}

/** The plan for the panel's inputs, or the problem to show instead (bad steps field, bad SAC settings). */
export function lectureComparisonPlanFromInput(input: LectureComparisonInput): { plan: LectureComparisonPlan } | { problem: string } {
  const steps = parseStepsPerRun(input.stepsText);
  if ('problem' in steps) return steps;
  try {
    const options: LectureComparisonOptions = { sameSettingsAsSac: input.sameSettingsAsSac, budget: steps.value };
    if (input.sacConfig !== undefined) options.sacConfig = input.sacConfig;
    if (input.seeds !== undefined) options.seeds = input.seeds;
    return { plan: lectureComparisonPlan(options) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
