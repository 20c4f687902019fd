/**
 * The page's side of the worker: spawns it, posts commands, and maps every worker message onto the
 * store (`applyWorkerMessage`, a pure function of store + message, unit-tested in Node). Pendulum frames
 * go to the transient frame holder, not the store. Never blocks on the worker.
 */
import { HYPERPARAMETERS, isLive, type SacConfig, type SacConfigKey } from '../rl/sac/config';
import { metricsToCsv } from '../rl/metricsCsv';
import type { ActorFiles } from '../rl/sac/weights';
import { playgroundStore, type PlaygroundStore } from '../store/index';
import { clearPendulumFrame, setPendulumFrame } from '../store/pendulumFrame';
import {
  actorFileNames,
  assertNever,
  isWorkerToPage,
  transferablesOf,
  type PageToWorker,
  type SpeedSetting,
  type WorkerToPage,
} from './protocol';

/** Side effects the message mapping needs from the page (downloads), injectable for tests. */
export interface PageEffects {
  saveFile: (fileName: string, data: Blob) => void;
}

/** Applies one worker message to the store. */
export function applyWorkerMessage(store: PlaygroundStore, message: WorkerToPage, effects: PageEffects): void {
  const state = store.getState();
  switch (message.type) {
    case 'ready':
      state.setWorkerReady();
      return;
    case 'backend':
      state.setBackend(message);
      return;
    case 'runStarted':
      state.beginRun(message.runId, message.runName, message.config, message.numTensors);
      clearPendulumFrame();
      return;
    case 'progress':
      if (message.runId !== state.runId) return;
      state.updateCounters(message.runId, {
        totalSteps: message.totalSteps,
        episodesDone: message.episodesDone,
        updates: message.updates,
        updatesPerSecond: message.updatesPerSecond,
        elapsedSeconds: message.elapsedSeconds,
        goalReachedAtEpisode: message.goalReachedAtEpisode,
        numTensors: message.numTensors,
      });
      state.appendEpisodes(message.episodes);
      return;
    case 'phase':
      state.setPhase(message.runId === 0 ? null : message.runId, message.phase, message.stopReason);
      if (message.phase === 'testing') state.resetTest();
      return;
    case 'frame':
      setPendulumFrame({
        theta: message.data[0] ?? 0,
        thetaDot: message.data[1] ?? 0,
        torque: message.data[2] ?? 0,
        stepInEpisode: message.data[3] ?? 0,
        source: message.source,
        receivedAt: typeof performance === 'undefined' ? 0 : performance.now(),
      });
      return;
    case 'configApplied':
      state.markLiveApplied(message.requestId, message.partial, message.atStep);
      return;
    case 'configRejected':
      state.markLiveRejected(message.requestId, message.partial, message.message);
      return;
    case 'testEpisode':
      state.recordTestEpisode(message.score);
      return;
    case 'actorExported': {
      const { modelJson, weightsBin, weightsFileName } = message.files;
      const jsonName = weightsFileName.endsWith('.weights.bin')
        ? weightsFileName.replace(/\.weights\.bin$/, '.json')
        : actorFileNames(state.runName ?? 'run').json;
      effects.saveFile(jsonName, new Blob([modelJson], { type: 'application/json' }));
      effects.saveFile(weightsFileName, new Blob([weightsBin], { type: 'application/octet-stream' }));
      state.setNotice(`Downloaded ${jsonName} and ${weightsFileName} (load them with tf.loadLayersModel).`);
      return;
    }
    case 'actorImported':
      state.setError(null);
      state.setNotice(`Loaded actor weights from ${message.fileName}. Press "Test policy" to watch them.`);
      return;
    case 'actorFailed':
      state.setError(message.message);
      return;
    case 'notice':
      state.setNotice(message.message);
      return;
    case 'error':
      state.setError(message.message);
      return;
    default:
      assertNever(message);
  }
}

/** Reads the two files of a tfjs LayersModel (model JSON + weights .bin) picked in one file input. */
export async function readActorFiles(files: readonly File[]): Promise<ActorFiles> {
  const json = files.filter((file) => file.name.toLowerCase().endsWith('.json'));
  const bins = files.filter((file) => !file.name.toLowerCase().endsWith('.json'));
  if (json.length !== 1 || bins.length !== 1) {
    throw new Error(
      `Pick both files of the actor at once: one .json (the model) and one .bin (its weights); got ${files.length === 0 ? 'no files' : files.map((file) => file.name).join(', ')}.`,
    );
  }
  const [modelFile] = json;
  const [weightsFile] = bins;
  if (!modelFile || !weightsFile) throw new Error('Pick the model .json and its .weights.bin file.');
  return { modelJson: await modelFile.text(), weightsBin: await weightsFile.arrayBuffer(), weightsFileName: weightsFile.name };
}

/** Starts a browser download of a blob. */
export function saveFileInBrowser(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How long slider drags are coalesced before a live change is sent (ms). */
const LIVE_DEBOUNCE_MS = 120;

/** Commands of the page. One instance per page, created by `startTrainingClient`. */
export class TrainingClient {
  private requestCounter = 0;
  private pendingLive: Partial<SacConfig> = {};
  private liveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: PlaygroundStore,
    private readonly postToWorker: (message: PageToWorker) => void,
  ) {}

  private nextRequestId(): number {
    this.requestCounter += 1;
    return this.requestCounter;
  }

  /** Start and Restart: a new run with the current settings (the old one's tensors are freed). */
  start(): void {
    this.flushLive();
    const state = this.store.getState();
    state.setError(null);
    const runName = state.nextRunName();
    this.postToWorker({ type: 'start', config: { ...state.config }, backend: state.backendChoice, speed: state.speed, runName });
  }
  pause(): void {
    this.postToWorker({ type: 'pause' });
  }
  resume(): void {
    this.flushLive();
    this.postToWorker({ type: 'resume' });
  }
  togglePause(): void {
    const { phase } = this.store.getState();
    if (phase === 'running') this.pause();
    else if (phase === 'paused') this.resume();
  }
  startTest(): void {
    this.postToWorker({ type: 'startTest' });
  }
  stopTest(): void {
    this.postToWorker({ type: 'stopTest' });
  }
  setSpeed(speed: SpeedSetting): void {
    this.store.getState().setSpeed(speed);
    this.postToWorker({ type: 'setSpeed', speed: this.store.getState().speed });
  }

  /**
   * Sets a hyperparameter from the UI: validated (refused with a message if out of range); a live one
   * is sent to the running worker (coalesced over a short drag), a restart-only one waits for Restart.
   */
  changeParameter<K extends SacConfigKey>(key: K, value: SacConfig[K]): string | null {
    const state = this.store.getState();
    const error = state.setParameter(key, value);
    if (error !== null) return error;
    if (isLive(key) && state.runId !== null) {
      this.pendingLive = { ...this.pendingLive, [key]: value };
      if (this.liveTimer !== null) clearTimeout(this.liveTimer);
      this.liveTimer = setTimeout(() => this.flushLive(), LIVE_DEBOUNCE_MS);
    }
    return null;
  }

  /** Sends the live values that differ from the run's (after Reset to defaults, presets, …). */
  syncLiveConfig(): void {
    const state = this.store.getState();
    if (state.runId === null || state.runConfig === null) return;
    for (const key of Object.keys(HYPERPARAMETERS) as SacConfigKey[]) {
      if (isLive(key) && state.config[key] !== state.runConfig[key]) this.pendingLive = { ...this.pendingLive, [key]: state.config[key] };
    }
    this.flushLive();
  }

  /** Sends coalesced live changes now. */
  flushLive(): void {
    if (this.liveTimer !== null) clearTimeout(this.liveTimer);
    this.liveTimer = null;
    const partial = this.pendingLive;
    this.pendingLive = {};
    if (Object.keys(partial).length === 0) return;
    const requestId = this.nextRequestId();
    this.store.getState().markLiveSending(requestId, partial);
    this.postToWorker({ type: 'setLiveConfig', requestId, partial });
  }

  downloadActor(): void {
    const state = this.store.getState();
    this.postToWorker({ type: 'exportActor', requestId: this.nextRequestId(), runName: state.runName ?? 'run' });
  }

  async loadActor(files: readonly File[]): Promise<void> {
    const state = this.store.getState();
    let actorFiles: ActorFiles;
    try {
      actorFiles = await readActorFiles(files);
    } catch (error) {
      state.setError(error instanceof Error ? error.message : String(error));
      return;
    }
    const runName = state.runName ?? state.nextRunName();
    this.postToWorker({ type: 'importActor', requestId: this.nextRequestId(), files: actorFiles, config: { ...state.config }, backend: state.backendChoice, runName });
  }

  metricsCsv(): string {
    return metricsToCsv(this.store.getState().episodes);
  }
}

let client: TrainingClient | null = null;

/** Spawns the worker once and wires it to the page's store. */
export function startTrainingClient(): TrainingClient {
  if (client) return client;
  const store = playgroundStore;
  const effects: PageEffects = { saveFile: saveFileInBrowser };
  let worker: Worker;
  try {
    worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'sac-training' });
  } catch (error) {
    store.getState().setError(`The training worker could not start: ${error instanceof Error ? error.message : String(error)}`);
    client = new TrainingClient(store, () => undefined);
    return client;
  }
  worker.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (!isWorkerToPage(data)) {
      store.getState().setError('The training worker sent a message the page does not understand.');
      return;
    }
    try {
      applyWorkerMessage(store, data, effects);
    } catch (error) {
      store.getState().setError(`Could not handle the worker's "${data.type}" message: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    const state = store.getState();
    state.setError(`The training worker crashed: ${event.message || 'unknown error'}. Press Restart to begin a new run.`);
    if (state.phase === 'running' || state.phase === 'testing' || state.phase === 'starting') state.setPhase(null, 'paused', state.stopReason);
  };
  worker.onmessageerror = () => {
    store.getState().setError('A message from the training worker could not be read.');
  };
  client = new TrainingClient(store, (message) => worker.postMessage(message, transferablesOf(message)));
  return client;
}

/** The page's client (spawning the worker on first use). */
export function trainingClient(): TrainingClient {
  return client ?? startTrainingClient();
}
