/**
 * Run files: one `.zip` per run or group that another person loads into their page to see the same
 * curves and to test or continue the actor. Entries:
 *   manifest.json               format name + version, the group record, per run: its record and where its parts are
 *   runs/<i>/episodes.json      per-episode metrics (non-finite values, e.g. losses before the first update, as null)
 *   runs/<i>/checkpoint.json    the run's checkpoint (off- or on-policy) with each typed array replaced by { "$typedArray", "entry" }
 *   runs/<i>/arrays/<k>.bin     those typed arrays' bytes (little-endian, as in memory)
 *   runs/<i>/final-actor.json + .weights.bin, best-actor.json + .weights.bin   (tfjs LayersModel files)
 * Import checks everything (format, version, records against the hyperparameter table, metrics shape,
 * validateRunCheckpoint, for every algorithm) before returning anything, and gives the runs new ids: importing twice makes two
 * copies, never overwrites. Pure: the caller adds the result to the store and storage.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { ALGORITHMS, ALGORITHM_IDS, type AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS, isAlgorithmId, validateAlgorithmConfig, type AlgorithmConfig } from '../rl/algorithmSettings';
import { metricsColumns } from '../rl/metricsCsv';
import { validateRunCheckpoint, type RunCheckpoint } from '../rl/runCheckpoint';
import type { ActorFiles } from '../rl/sac/weights';
import type { EpisodeMetrics, StopReason } from '../rl/types';
import type { GroupRecord, RunRecord, RunStatus } from '../store/runTypes';
import { isBackendName, type RunId } from '../worker/protocol';
import type { SavedCheckpoint } from './persistence';

export const RUN_FILE_FORMAT = 'sac-playground-run';
export const RUN_FILE_VERSION = 1;
/** Larger files are refused before unzipping (a run with a 1e6-transition buffer is ~40 MB). */
export const MAX_RUN_FILE_BYTES = 512 * 1024 * 1024;

/** One run as exported or imported. */
export interface RunBundle {
  record: RunRecord;
  episodes: readonly EpisodeMetrics[];
  saved: SavedCheckpoint | null;
}

export interface ImportedRuns {
  runs: RunBundle[];
  group: GroupRecord | null;
}

/** Refusal of a run file: the message is for the user. */
export class RunFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFileError';
  }
}

type TypedArray = Float32Array | Float64Array | Uint32Array;
const TYPED_ARRAYS = { Float32Array, Float64Array, Uint32Array } as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

interface ActorEntry {
  json: string;
  weights: string;
  weightsFileName: string;
}
interface ManifestRun {
  record: RunRecord;
  episodes: string;
  checkpoint: string | null;
  finalActor: ActorEntry | null;
  bestActor: ActorEntry | null;
  best100: { value: number; episode: number } | null;
}
interface Manifest {
  format: typeof RUN_FILE_FORMAT;
  version: typeof RUN_FILE_VERSION;
  exportedAt: string;
  group: GroupRecord | null;
  runs: ManifestRun[];
}

// ---------------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------------

/** Replaces typed arrays with references to binary entries (added to `files`). */
function encodeArrays(value: unknown, prefix: string, files: Zippable, counter: { next: number }): unknown {
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Uint32Array) {
    const entry = `${prefix}/arrays/${counter.next}.bin`;
    counter.next += 1;
    // Stored, not deflated: float data barely compresses and deflating a large replay buffer would block the page.
    files[entry] = [new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)), { level: 0 }];
    return { $typedArray: value.constructor.name, entry };
  }
  if (Array.isArray(value)) return value.map((item) => encodeArrays(item, prefix, files, counter));
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = encodeArrays(item, prefix, files, counter);
    return result;
  }
  return value;
}

function addActor(files: Zippable, prefix: string, name: string, actor: ActorFiles | null): ActorEntry | null {
  if (!actor) return null;
  const json = `${prefix}/${name}.json`;
  const weights = `${prefix}/${name}.weights.bin`;
  files[json] = strToU8(actor.modelJson);
  files[weights] = [new Uint8Array(actor.weightsBin.slice(0)), { level: 0 }];
  return { json, weights, weightsFileName: actor.weightsFileName };
}

/** The zip bytes of one run or a group's runs. */
export function exportRunFile(runs: readonly RunBundle[], group: GroupRecord | null = null): Uint8Array {
  const files: Zippable = {};
  const manifestRuns: ManifestRun[] = runs.map((bundle, index) => {
    const prefix = `runs/${index}`;
    files[`${prefix}/episodes.json`] = strToU8(JSON.stringify(bundle.episodes));
    let checkpoint: string | null = null;
    if (bundle.saved) {
      checkpoint = `${prefix}/checkpoint.json`;
      files[checkpoint] = strToU8(JSON.stringify(encodeArrays(bundle.saved.checkpoint, prefix, files, { next: 0 })));
    }
    return {
      record: bundle.record,
      episodes: `${prefix}/episodes.json`,
      checkpoint,
      finalActor: addActor(files, prefix, 'final-actor', bundle.saved?.finalActor ?? null),
      bestActor: addActor(files, prefix, 'best-actor', bundle.saved?.bestActor ?? null),
      best100: bundle.saved?.best100 ?? null,
    };
  });
  const manifest: Manifest = { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, exportedAt: new Date().toISOString(), group, runs: manifestRuns };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 1));
  return zipSync(files, { level: 6 });
}

/** File name for an exported run or group: "sac-run-<name>.zip" with unsafe characters replaced. */
export function runFileName(name: string): string {
  const safe = name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `sac-run-${safe || 'run'}.zip`;
}

// ---------------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
function nonNegative(value: unknown, what: string): number {
  if (!isFiniteNumber(value) || value < 0) throw new RunFileError(`${what} must be a non-negative number.`);
  return value;
}
function nullableNumber(value: unknown, what: string): number | null {
  if (value === null) return null;
  if (!isFiniteNumber(value)) throw new RunFileError(`${what} must be a number or null.`);
  return value;
}

function entryBytes(entries: Record<string, Uint8Array>, name: unknown, what: string): Uint8Array {
  if (typeof name !== 'string') throw new RunFileError(`The manifest does not say where ${what} is.`);
  const bytes = entries[name];
  if (!bytes) throw new RunFileError(`The file lacks ${what} (${name}): it is truncated or was not made by SAC Playground.`);
  return bytes;
}

function entryJson(entries: Record<string, Uint8Array>, name: unknown, what: string): unknown {
  const bytes = entryBytes(entries, name, what);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch {
    throw new RunFileError(`${what} is not valid JSON.`);
  }
}

/** The record's settings against its algorithm's table: every key present and in range; only the table's keys kept. */
function checkConfig(value: unknown, algorithm: AlgorithmId, where: string): AlgorithmConfig {
  if (!isObject(value)) throw new RunFileError(`${where}: its settings are missing.`);
  const config: Record<string, number | boolean> = {};
  for (const key of ALGORITHM_SETTINGS[algorithm].keys) {
    const item = value[key];
    if (item === undefined) throw new RunFileError(`${where}: the ${ALGORITHMS[algorithm].label} setting ${key} is missing.`);
    if (typeof item !== 'number' && typeof item !== 'boolean') throw new RunFileError(`${where}: the setting ${key} must be a number or true/false.`);
    config[key] = item;
  }
  const errors = validateAlgorithmConfig(algorithm, config);
  if (errors.length > 0) throw new RunFileError(`${where}: ${errors.join('; ')}.`);
  return config;
}

/** A record's algorithm: one this page knows; none at all is a file from before issue 8, all SAC. */
function checkAlgorithm(value: unknown, where: string): AlgorithmId {
  if (value === undefined) return 'sac';
  if (!isAlgorithmId(value)) throw new RunFileError(`${where}: its algorithm ${JSON.stringify(value) ?? ''} is not one this page knows (${ALGORITHM_IDS.join(', ')}).`);
  return value;
}

const STATUSES: ReadonlySet<string> = new Set<RunStatus>(['queued', 'starting', 'training', 'paused', 'testing', 'done', 'failed']);
const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>(['goal', 'maxEpisodes', 'maxSteps', 'nonFinite', 'user']);

function checkBest(value: unknown, where: string): { value: number; episode: number } | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || !isFiniteNumber(value.value) || !Number.isInteger(value.episode)) throw new RunFileError(`${where}: its best 100-episode mean is malformed.`);
  return { value: value.value, episode: value.episode as number };
}

/** A record from the file, checked field by field and rebuilt (nothing unknown is carried over). */
function checkRecord(value: unknown, index: number): RunRecord {
  const where = `Run ${index + 1} in the file`;
  if (!isObject(value)) throw new RunFileError(`${where} has no record.`);
  if (typeof value.name !== 'string' || value.name.length === 0 || value.name.length > 300) throw new RunFileError(`${where}: its name is missing or too long.`);
  const algorithm = checkAlgorithm(value.algorithm, where);
  if (typeof value.status !== 'string' || !STATUSES.has(value.status)) throw new RunFileError(`${where}: its state is not one of ${[...STATUSES].join(', ')}.`);
  if (value.stopReason !== null && (typeof value.stopReason !== 'string' || !STOP_REASONS.has(value.stopReason))) {
    throw new RunFileError(`${where}: its stop reason is unknown.`);
  }
  const color = typeof value.color === 'string' && /^(#[0-9a-f]{6}|hsl\(\s*[\d.]+,\s*[\d.]+%,\s*[\d.]+%\))$/i.test(value.color) ? value.color : '#0072b2';
  return {
    id: '',
    name: value.name,
    nameEdited: value.nameEdited === true,
    algorithm,
    config: checkConfig(value.config, algorithm, where),
    groupId: null,
    color,
    status: value.status as RunStatus,
    stopReason: value.stopReason as StopReason | null,
    error: typeof value.error === 'string' ? value.error : null,
    createdAt: nonNegative(value.createdAt, `${where}: its creation time`),
    totalSteps: nonNegative(value.totalSteps, `${where}: its step count`),
    episodesDone: nonNegative(value.episodesDone, `${where}: its episode count`),
    updates: nonNegative(value.updates, `${where}: its update count`),
    updatesPerSecond: nonNegative(value.updatesPerSecond, `${where}: its updates/s`),
    elapsedSeconds: nonNegative(value.elapsedSeconds, `${where}: its training time`),
    swingUpStep: nullableNumber(value.swingUpStep, `${where}: its swing-up step`),
    best100: checkBest(value.best100, where),
    final100: nullableNumber(value.final100, `${where}: its final 100-episode mean`),
    goalReachedAtEpisode: nullableNumber(value.goalReachedAtEpisode, `${where}: its goal episode`),
    visible: value.visible !== false,
    backend: isBackendName(value.backend) ? value.backend : null,
    checkpointStep: nullableNumber(value.checkpointStep, `${where}: its checkpoint step`),
  };
}

/** The episodes against the columns of the run's algorithm (its descriptor's metrics). */
function checkEpisodes(value: unknown, algorithm: AlgorithmId, where: string): EpisodeMetrics[] {
  if (!Array.isArray(value)) throw new RunFileError(`${where}: its episode metrics are not a list.`);
  const columns = metricsColumns(ALGORITHMS[algorithm]);
  return value.map((row: unknown, index) => {
    if (!isObject(row)) throw new RunFileError(`${where}: episode ${index + 1} is not a record of metrics.`);
    const metrics: Record<string, number> = {};
    for (const column of columns) {
      const cell = row[column];
      // JSON has no NaN: losses before the first update were written as null.
      if (cell === null) metrics[column] = Number.NaN;
      else if (typeof cell === 'number') metrics[column] = cell;
      else throw new RunFileError(`${where}: episode ${index + 1} lacks the metric ${column}.`);
    }
    if (metrics.episode !== index + 1) throw new RunFileError(`${where}: episode ${index + 1} is numbered ${String(metrics.episode)}; episodes must run 1, 2, 3, …`);
    return metrics as unknown as EpisodeMetrics;
  });
}

/** Puts typed arrays back in place of their references. */
function decodeArrays(value: unknown, entries: Record<string, Uint8Array>, where: string): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeArrays(item, entries, where));
  if (!isObject(value)) return value;
  if (typeof value.$typedArray === 'string') {
    const name = value.$typedArray;
    if (!(name in TYPED_ARRAYS)) throw new RunFileError(`${where}: its checkpoint holds an unknown array type ${name}.`);
    const bytes = entryBytes(entries, value.entry, `${where}: a checkpoint array`);
    const Constructor = TYPED_ARRAYS[name as TypedArrayName];
    if (bytes.byteLength % Constructor.BYTES_PER_ELEMENT !== 0) throw new RunFileError(`${where}: a checkpoint array has a partial element (truncated file).`);
    const copy = bytes.slice().buffer; // aligned, and owned by the array
    return new Constructor(copy) as TypedArray;
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = decodeArrays(item, entries, where);
  return result;
}

function readActor(entries: Record<string, Uint8Array>, value: unknown, where: string): ActorFiles | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || typeof value.weightsFileName !== 'string') throw new RunFileError(`${where}: an actor entry is malformed.`);
  const modelJson = strFromU8(entryBytes(entries, value.json, `${where}: the actor model`));
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw new RunFileError(`${where}: the actor model is not valid JSON.`);
  }
  if (!isObject(model) || !('modelTopology' in model) || !('weightsManifest' in model)) {
    throw new RunFileError(`${where}: the actor model is not a tfjs LayersModel (no modelTopology / weightsManifest).`);
  }
  const weights = entryBytes(entries, value.weights, `${where}: the actor weights`);
  return { modelJson, weightsBin: weights.slice().buffer, weightsFileName: value.weightsFileName };
}

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  if (bytes.byteLength > MAX_RUN_FILE_BYTES) throw new RunFileError(`The file is ${Math.round(bytes.byteLength / 1e6)} MB; run files up to ${MAX_RUN_FILE_BYTES / 1e6} MB are read.`);
  // A zip starts with "PK\x03\x04" (or "PK\x05\x06" when empty).
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new RunFileError('This is not a SAC Playground run file (not a zip archive). Pick a .zip made with "Export run".');
  }
  try {
    return unzipSync(bytes);
  } catch (error) {
    throw new RunFileError(`The zip archive cannot be read (${error instanceof Error ? error.message : String(error)}): the file is damaged or truncated.`);
  }
}

/** Reads and checks a run file; returns runs with fresh ids (from `newId`). Throws RunFileError; changes nothing. */
export function importRunFile(bytes: Uint8Array, newId: () => string): ImportedRuns {
  const entries = unzip(bytes);
  if (!entries['manifest.json']) throw new RunFileError('This zip is not a SAC Playground run file (it has no manifest.json).');
  const manifest = entryJson(entries, 'manifest.json', 'The manifest');
  if (!isObject(manifest) || manifest.format !== RUN_FILE_FORMAT) {
    throw new RunFileError(`This zip is not a SAC Playground run file (its manifest's format is ${JSON.stringify(isObject(manifest) ? manifest.format : null) ?? 'missing'}).`);
  }
  if (manifest.version !== RUN_FILE_VERSION) {
    throw new RunFileError(`This run file has version ${JSON.stringify(manifest.version) ?? 'none'}; this page reads version ${RUN_FILE_VERSION}.`);
  }
  if (!Array.isArray(manifest.runs) || manifest.runs.length === 0) throw new RunFileError('The run file lists no runs.');

  const runs: RunBundle[] = manifest.runs.map((entry: unknown, index) => {
    if (!isObject(entry)) throw new RunFileError(`Run ${index + 1} in the file is malformed.`);
    const where = `Run ${index + 1} in the file`;
    const record = checkRecord(entry.record, index);
    let episodes = checkEpisodes(entryJson(entries, entry.episodes, `${where}: its episode metrics`), record.algorithm, where);
    let saved: SavedCheckpoint | null = null;
    if (entry.checkpoint !== null && entry.checkpoint !== undefined) {
      let checkpoint: RunCheckpoint;
      try {
        checkpoint = validateRunCheckpoint(decodeArrays(entryJson(entries, entry.checkpoint, `${where}: its checkpoint`), entries, where));
      } catch (error) {
        if (error instanceof RunFileError) throw error;
        throw new RunFileError(`${where}: its checkpoint can't be resumed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (checkpoint.algorithm !== record.algorithm) {
        throw new RunFileError(`${where}: its record is a ${ALGORITHMS[record.algorithm].label} run but its checkpoint is ${ALGORITHMS[checkpoint.algorithm].label}'s.`);
      }
      const finalActor = readActor(entries, entry.finalActor, where);
      if (!finalActor) throw new RunFileError(`${where}: its checkpoint comes without its actor files.`);
      saved = { checkpoint, finalActor, bestActor: readActor(entries, entry.bestActor, where), best100: checkBest(entry.best100, where) };
    }
    // The run resumes from its checkpoint: its counters and episodes are the checkpoint's.
    const counters = saved?.checkpoint.counters;
    if (counters) {
      if (episodes.length < counters.episodesDone) throw new RunFileError(`${where}: it has ${episodes.length} episodes but its checkpoint counts ${counters.episodesDone}.`);
      episodes = episodes.slice(0, counters.episodesDone);
    }
    const active = record.status !== 'done' && record.status !== 'failed';
    return {
      record: {
        ...record,
        id: newId(),
        status: active ? 'paused' : record.status,
        totalSteps: counters?.totalSteps ?? record.totalSteps,
        episodesDone: counters?.episodesDone ?? episodes.length,
        updates: counters?.updates ?? record.updates,
        elapsedSeconds: counters?.trainingSeconds ?? record.elapsedSeconds,
        updatesPerSecond: active ? 0 : record.updatesPerSecond,
        checkpointStep: counters?.totalSteps ?? null,
      },
      episodes,
      saved,
    };
  });

  let group: GroupRecord | null = null;
  if (manifest.group !== null && manifest.group !== undefined) {
    const source = manifest.group;
    if (!isObject(source) || typeof source.name !== 'string' || typeof source.color !== 'string') throw new RunFileError('The group in the file is malformed.');
    group = { id: newId(), name: source.name, color: /^#[0-9a-f]{6}$/i.test(source.color) ? source.color : '#0072b2', memberIds: runs.map((run) => run.record.id), createdAt: Date.now() };
    for (const run of runs) run.record.groupId = group.id;
  }
  return { runs, group };
}

/** Ids for imported runs: UUIDs (unique across tabs and reloads). */
export function newRunId(): RunId {
  return crypto.randomUUID();
}
