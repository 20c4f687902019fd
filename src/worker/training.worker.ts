/// <reference lib="webworker" />
/**
 * The training worker: owns the tfjs backend, the Trainer and the test env. The page only renders.
 *
 * Run loop: `trainer.runFor(n)` in slices sized to take ~20 ms, then a yield (MessageChannel: no timer
 * clamping) so page messages (pause, live config, export…) are handled between slices. In *watch* mode
 * the slices follow the wall clock: 20 env steps/s (dt = 0.05 s) × the multiplier.
 * Metrics go out in batches every ~200 ms; the pendulum state once per slice (a 4-float transfer).
 * Every error is caught: the run pauses, is kept (its weights stay downloadable), and the page is told.
 */
import * as tf from '@tensorflow/tfjs';
import { Pendulum } from '../rl/env/pendulum';
import { Trainer } from '../rl/trainer';
import type { SacConfig } from '../rl/sac/config';
import type { EpisodeMetrics, StopReason } from '../rl/types';
import { errorText, selectBackend, watchWebglContext } from './backend';
import {
  FRAME_LENGTH,
  WATCH_STEPS_PER_SECOND,
  assertNever,
  isPageToWorker,
  normalizeSpeed,
  transferablesOf,
  type BackendChoice,
  type BackendMessage,
  type ImportActorMessage,
  type PageToWorker,
  type RunPhase,
  type SpeedSetting,
  type StartMessage,
  type WorkerToPage,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Target duration of one training slice (ms): long enough to amortise overhead, short enough to stay responsive. */
const TARGET_SLICE_MS = 20;
const MAX_SLICE_STEPS = 2000;
/** Metrics batches per second ≈ 1000 / FLUSH_INTERVAL_MS. */
const FLUSH_INTERVAL_MS = 200;
/** In watch mode, never try to catch up more than this far behind the wall clock (s). */
const MAX_WATCH_LAG_S = 0.5;
const UPDATE_RATE_WINDOW_MS = 2000;

function post(message: WorkerToPage): void {
  self.postMessage(message, transferablesOf(message));
}

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

let trainer: Trainer | null = null;
let runId = 0;
let runName = 'run';
let phase: RunPhase = 'idle';
/** Phase to return to when a test ends. */
let phaseBeforeTest: RunPhase = 'paused';
let speed: SpeedSetting = { mode: 'fast', multiplier: 1 };
let backendInfo: BackendMessage | null = null;
/** The choice the active backend was selected for (`fastest:<hidden size>` for a measured choice). */
let backendChoiceInUse: string | null = null;
let stopWatchingContext: () => void = () => undefined;
let webglContextLost = false;
/** Live values sent before any run exists: applied to the next start's config. */
let pendingLiveConfig: Partial<SacConfig> = {};

let sliceSteps = 1;
let pendingEpisodes: EpisodeMetrics[] = [];
let lastFlush = 0;
let elapsedBeforeMs = 0;
let runningSince: number | null = null;
let updateSamples: Array<{ time: number; updates: number }> = [];
/** Watch mode clock: steps done since `watchAnchorTime`. */
let watchAnchorTime = 0;
let watchStepsSinceAnchor = 0;

/** Test policy: its own env, real time, no learning. */
let testEnv: Pendulum | null = null;
let testObservation: Float32Array | null = null;
let testScore = 0;
let testEpisodes = 0;
let testSeed = 1;

const now = (): number => performance.now();

// ---------------------------------------------------------------------------------------------------
// Scheduling: one pending tick at a time
// ---------------------------------------------------------------------------------------------------

const channel = new MessageChannel();
let tickPending = false;
let timerId: ReturnType<typeof setTimeout> | null = null;
channel.port1.onmessage = () => {
  tickPending = false;
  tick();
};

function scheduleTick(delayMs = 0): void {
  if (tickPending || timerId !== null) return;
  if (delayMs <= 0) {
    tickPending = true;
    channel.port2.postMessage(null);
  } else {
    timerId = setTimeout(() => {
      timerId = null;
      tick();
    }, delayMs);
  }
}

function cancelTimer(): void {
  if (timerId !== null) clearTimeout(timerId);
  timerId = null;
}

function resetWatchClock(): void {
  watchAnchorTime = now();
  watchStepsSinceAnchor = 0;
}

// ---------------------------------------------------------------------------------------------------
// Phase, progress, frames
// ---------------------------------------------------------------------------------------------------

function setPhase(next: RunPhase): void {
  const time = now();
  if (phase === 'running' && next !== 'running' && runningSince !== null) {
    elapsedBeforeMs += time - runningSince;
    runningSince = null;
  }
  if (next === 'running' && phase !== 'running') {
    runningSince = time;
    resetWatchClock();
  }
  phase = next;
  cancelTimer();
  post({ type: 'phase', runId, phase, stopReason: trainer?.stopReason ?? null });
  if (phase === 'running' || phase === 'testing') scheduleTick();
}

function elapsedSeconds(): number {
  return (elapsedBeforeMs + (runningSince === null ? 0 : now() - runningSince)) / 1000;
}

function updatesPerSecond(): number {
  const first = updateSamples[0];
  const last = updateSamples[updateSamples.length - 1];
  if (!first || !last || last.time - first.time < 200) return 0;
  return ((last.updates - first.updates) * 1000) / (last.time - first.time);
}

function flushProgress(force: boolean): void {
  if (!trainer) return;
  const time = now();
  if (!force && time - lastFlush < FLUSH_INTERVAL_MS) return;
  lastFlush = time;
  updateSamples.push({ time, updates: trainer.updates });
  while (updateSamples.length > 2 && (updateSamples[0]?.time ?? time) < time - UPDATE_RATE_WINDOW_MS) updateSamples.shift();
  post({
    type: 'progress',
    runId,
    totalSteps: trainer.totalSteps,
    episodesDone: trainer.episodesDone,
    updates: trainer.updates,
    updatesPerSecond: phase === 'running' ? updatesPerSecond() : 0,
    elapsedSeconds: elapsedSeconds(),
    episodes: pendingEpisodes,
    goalReachedAtEpisode: trainer.goalReachedAtEpisode,
    numTensors: tf.memory().numTensors,
  });
  pendingEpisodes = [];
}

function postFrame(source: 'train' | 'test', theta: number, thetaDot: number, torque: number, stepInEpisode: number): void {
  const data = new Float32Array(FRAME_LENGTH);
  data[0] = theta;
  data[1] = thetaDot;
  data[2] = torque;
  data[3] = stepInEpisode;
  post({ type: 'frame', source, data });
}

function postTrainingFrame(): void {
  if (!trainer) return;
  const state = trainer.pendulumState();
  postFrame('train', state.theta, state.thetaDot, state.torque, trainer.totalSteps % 200);
}

function describeStop(reason: StopReason, current: Trainer): string {
  switch (reason) {
    case 'goal':
      return `Goal reached at episode ${current.goalReachedAtEpisode ?? current.episodesDone}: the mean of the last 100 scores is above ${current.config.goalScore}. Training stopped (the lecture's stop rule); untick "Stop at goal" or raise the goal score to go on.`;
    case 'maxEpisodes':
      return `Training stopped after ${current.episodesDone} episodes (Maximum episodes).`;
    case 'maxSteps':
      return `Training stopped after ${current.totalSteps} env steps (Maximum env steps).`;
    case 'nonFinite':
      return `Training stopped at step ${current.totalSteps}: a loss or α became NaN or infinite. What was learned before is kept and can be downloaded; restart, e.g. with lower learning rates.`;
    default:
      return assertNever(reason);
  }
}

// ---------------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------------

function tick(): void {
  try {
    if (webglContextLost) {
      void recoverFromContextLoss();
      return;
    }
    if (phase === 'running' && trainer) trainSlice(trainer);
    else if (phase === 'testing' && trainer) testSlice(trainer);
  } catch (error) {
    handleError(error);
  }
}

function stepsForSlice(current: Trainer): number {
  let steps = sliceSteps;
  // Updates begin once steps > batch_size: end the cheap warm-up slice there so the size re-adapts.
  const warmupEnd = current.config.batchSize + 1;
  if (current.totalSteps < warmupEnd) steps = Math.min(steps, warmupEnd - current.totalSteps);
  return Math.max(1, steps);
}

function trainSlice(current: Trainer): void {
  let steps = stepsForSlice(current);
  if (speed.mode === 'watch') {
    const rate = WATCH_STEPS_PER_SECOND * speed.multiplier;
    let due = Math.floor(((now() - watchAnchorTime) / 1000) * rate) - watchStepsSinceAnchor;
    if (due > rate * MAX_WATCH_LAG_S) {
      resetWatchClock();
      due = 1;
    }
    if (due <= 0) {
      const nextAt = watchAnchorTime + ((watchStepsSinceAnchor + 1) / rate) * 1000;
      flushProgress(false);
      scheduleTick(Math.max(1, nextAt - now()));
      return;
    }
    steps = Math.min(steps, due);
  }
  const start = now();
  const result = current.runFor(steps);
  const duration = now() - start;
  watchStepsSinceAnchor += result.steps;
  if (result.steps > 0) {
    const perStep = Math.max(duration / result.steps, 0.01);
    const ideal = Math.round(TARGET_SLICE_MS / perStep);
    sliceSteps = Math.max(1, Math.min(MAX_SLICE_STEPS, ideal, sliceSteps * 2 + 1));
  }
  for (const episode of result.episodes) pendingEpisodes.push(episode);
  postTrainingFrame();
  if (result.stopReason !== null) {
    setPhase('stopped');
    flushProgress(true);
    post({ type: 'notice', message: describeStop(result.stopReason, current) });
    if (result.stopReason === 'nonFinite') post({ type: 'error', message: describeStop(result.stopReason, current) });
    return;
  }
  flushProgress(false);
  scheduleTick();
}

function testSlice(current: Trainer): void {
  if (!testEnv || !testObservation) return;
  const rate = WATCH_STEPS_PER_SECOND * (speed.mode === 'watch' ? speed.multiplier : 1);
  let due = Math.floor(((now() - watchAnchorTime) / 1000) * rate) - watchStepsSinceAnchor;
  if (due > rate * MAX_WATCH_LAG_S) {
    resetWatchClock();
    due = 1;
  }
  for (let i = 0; i < due; i += 1) {
    const torque = current.deterministicTorque(testObservation);
    const result = testEnv.step([torque]);
    testObservation = result.observation;
    testScore += result.reward;
    watchStepsSinceAnchor += 1;
    if (result.terminated || result.truncated) {
      testEpisodes += 1;
      post({ type: 'testEpisode', episode: testEpisodes, score: testScore });
      testScore = 0;
      testObservation = testEnv.reset({ seed: testSeed++ });
    }
  }
  postFrame('test', testEnv.theta, testEnv.thetaDot, testEnv.lastTorque, testEnv.stepsInEpisode);
  const nextAt = watchAnchorTime + ((watchStepsSinceAnchor + 1) / rate) * 1000;
  scheduleTick(Math.max(1, nextAt - now()));
}

function handleError(error: unknown): void {
  const message = errorText(error);
  post({ type: 'error', message: trainer ? `${message}. The run is paused; its weights can still be downloaded.` : message });
  if (trainer) setPhase(phase === 'stopped' ? 'stopped' : 'paused');
  else setPhase('idle');
}

async function recoverFromContextLoss(): Promise<void> {
  webglContextLost = false;
  const lostRun = trainer;
  const config = lostRun?.config;
  const steps = lostRun?.totalSteps ?? 0;
  stopWatchingContext();
  lostRun?.dispose();
  trainer = null;
  backendChoiceInUse = null;
  if (!config) {
    setPhase('idle');
    return;
  }
  post({ type: 'notice', message: `The WebGL context was lost at step ${steps}; its tensors are gone. Starting the run again on wasm with the same settings.` });
  await startRun({ type: 'start', config, backend: 'wasm', speed, runName });
}

// ---------------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------------

async function ensureBackend(choice: BackendChoice, hiddenSize: number): Promise<void> {
  // `fastest` depends on the network size, so a new hidden size measures again.
  const choiceKey = choice === 'fastest' ? `fastest:${hiddenSize}` : choice;
  if (backendInfo && backendChoiceInUse === choiceKey && tf.getBackend() === backendInfo.backend) {
    post(backendInfo);
    return;
  }
  stopWatchingContext();
  backendInfo = await selectBackend(choice, hiddenSize);
  backendChoiceInUse = choiceKey;
  post(backendInfo);
  if (backendInfo.fallbackReason) post({ type: 'notice', message: backendInfo.fallbackReason });
  stopWatchingContext = watchWebglContext(() => {
    webglContextLost = true;
    scheduleTick();
  });
}

function disposeRun(): void {
  trainer?.dispose();
  trainer = null;
  testEnv = null;
  testObservation = null;
}

/** Creates a run (disposing the old one) and announces it; leaves the phase to the caller. */
async function createRun(config: SacConfig, backend: BackendChoice, name: string): Promise<Trainer> {
  cancelTimer();
  disposeRun();
  await ensureBackend(backend, config.hiddenSize);
  const created = await Trainer.create({ ...config, ...pendingLiveConfig });
  pendingLiveConfig = {};
  trainer = created;
  runId += 1;
  runName = name;
  sliceSteps = 1;
  pendingEpisodes = [];
  elapsedBeforeMs = 0;
  runningSince = null;
  updateSamples = [];
  lastFlush = 0;
  post({ type: 'runStarted', runId, runName, config: created.config, numTensors: tf.memory().numTensors });
  return created;
}

async function startRun(message: StartMessage): Promise<void> {
  speed = normalizeSpeed(message.speed);
  phase = 'starting';
  post({ type: 'phase', runId, phase, stopReason: null });
  try {
    await createRun(message.config, message.backend, message.runName);
  } catch (error) {
    disposeRun();
    handleError(error);
    return;
  }
  postTrainingFrame();
  setPhase('running');
}

function startTest(): void {
  if (!trainer) {
    post({ type: 'error', message: 'Nothing to test yet: start training or load actor weights first.' });
    return;
  }
  if (phase === 'testing') return;
  phaseBeforeTest = phase === 'stopped' ? 'stopped' : 'paused';
  testEnv = new Pendulum();
  testObservation = testEnv.reset({ seed: testSeed++ });
  testScore = 0;
  testEpisodes = 0;
  resetWatchClock();
  setPhase('testing');
  flushProgress(true);
}

function stopTest(): void {
  if (phase !== 'testing') return;
  testEnv = null;
  testObservation = null;
  setPhase(phaseBeforeTest);
  postTrainingFrame();
}

function setLiveConfig(requestId: number, partial: Partial<SacConfig>): void {
  if (!trainer) {
    pendingLiveConfig = { ...pendingLiveConfig, ...partial };
    post({ type: 'configApplied', requestId, partial, atStep: null });
    return;
  }
  try {
    trainer.setLiveConfig(partial);
  } catch (error) {
    post({ type: 'configRejected', requestId, partial, message: errorText(error) });
    return;
  }
  post({ type: 'configApplied', requestId, partial, atStep: trainer.totalSteps });
  // A raised limit or a disabled stop rule lets a stopped run go on.
  if (phase === 'stopped' && trainer.stopReason === null) setPhase('paused');
}

async function exportActor(requestId: number, name: string): Promise<void> {
  if (!trainer) {
    post({ type: 'actorFailed', requestId, operation: 'export', message: 'Nothing to download yet: start training or load weights first.' });
    return;
  }
  try {
    const files = await trainer.exportActor(name);
    post({ type: 'actorExported', requestId, files });
  } catch (error) {
    post({ type: 'actorFailed', requestId, operation: 'export', message: `Could not export the actor: ${errorText(error)}` });
  }
}

async function importActor(message: ImportActorMessage): Promise<void> {
  const { requestId, files } = message;
  if (trainer) {
    try {
      await trainer.importActor(files);
    } catch (error) {
      post({ type: 'actorFailed', requestId, operation: 'import', message: `Could not load ${files.weightsFileName}: ${errorText(error)}. The current run is unchanged.` });
      return;
    }
    post({ type: 'actorImported', requestId, fileName: files.weightsFileName });
    return;
  }
  // No run yet: make one (paused at step 0) to hold the actor, so it can be tested or trained on.
  let created: Trainer;
  try {
    created = await createRun(message.config, message.backend, message.runName);
  } catch (error) {
    disposeRun();
    post({ type: 'actorFailed', requestId, operation: 'import', message: `Could not create a run to load into: ${errorText(error)}` });
    setPhase('idle');
    return;
  }
  try {
    await created.importActor(files);
  } catch (error) {
    disposeRun();
    post({ type: 'actorFailed', requestId, operation: 'import', message: `Could not load ${files.weightsFileName}: ${errorText(error)}` });
    setPhase('idle');
    return;
  }
  post({ type: 'actorImported', requestId, fileName: files.weightsFileName });
  flushProgress(true);
  postTrainingFrame();
  setPhase('paused');
}

// ---------------------------------------------------------------------------------------------------
// Messages: handled one after another (a start awaits its backend before the next message runs)
// ---------------------------------------------------------------------------------------------------

async function handleMessage(message: PageToWorker): Promise<void> {
  switch (message.type) {
    case 'start':
      await startRun(message);
      return;
    case 'pause':
      if (phase === 'running') {
        setPhase('paused');
        flushProgress(true);
      }
      return;
    case 'resume':
      if (phase === 'paused' && trainer) {
        if (trainer.stopReason !== null) setPhase('stopped');
        else setPhase('running');
      }
      return;
    case 'setLiveConfig':
      setLiveConfig(message.requestId, message.partial);
      return;
    case 'setSpeed':
      speed = normalizeSpeed(message.speed);
      resetWatchClock();
      return;
    case 'startTest':
      startTest();
      return;
    case 'stopTest':
      stopTest();
      return;
    case 'exportActor':
      await exportActor(message.requestId, message.runName);
      return;
    case 'importActor':
      await importActor(message);
      return;
    default:
      assertNever(message);
  }
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (!isPageToWorker(data)) {
    post({ type: 'error', message: `The training worker got a message it does not understand: ${JSON.stringify(data)}` });
    return;
  }
  queue = queue.then(() => handleMessage(data)).catch(handleError);
};

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  handleError(event.reason);
});

self.addEventListener('error', (event) => {
  event.preventDefault();
  handleError(event.error ?? event.message);
});

post({ type: 'ready' });
