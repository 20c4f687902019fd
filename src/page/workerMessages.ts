/**
 * Maps every worker message onto the store (`applyWorkerMessage`: store + message in, store changes
 * out; unit-tested in Node). Side effects beyond the store (storage, the pool, downloads) are the
 * client's; only file saving is passed in here. Pendulum frames of the selected run go to the transient
 * frame holder, not the store.
 */
import type { PlaygroundStore } from '../store/index';
import { setPendulumFrame } from '../store/pendulumFrame';
import type { RunStatus } from '../store/runTypes';
import type { StopReason } from '../rl/types';
import { assertNever, type RunId, type RunPhase, type WorkerToPage } from '../worker/protocol';
import { modelFileNameFor } from './actorFiles';
import { DEFAULT_PHYSICS } from '../rl/env/physics';
import { describeAppliedPush } from './insightPush';
import { describePhysics } from './insightPhysics';
import { recordTrajectoryFrame } from './insightTrajectory';

/** Side effects the message mapping needs from the page (downloads), injectable for tests. */
export interface PageEffects {
  saveFile: (fileName: string, data: Blob) => void;
}

/** A session's phase as the runs list shows it: a run that stopped on NaN failed; any other stop is done. */
export function statusOfPhase(phase: RunPhase, stopReason: StopReason | null): RunStatus {
  switch (phase) {
    case 'starting':
      return 'starting';
    case 'running':
      return 'training';
    case 'paused':
      return 'paused';
    case 'testing':
      return 'testing';
    case 'stopped':
      return stopReason === 'nonFinite' ? 'failed' : 'done';
    default:
      return assertNever(phase);
  }
}

const NON_FINITE_MESSAGE = 'Training produced a non-finite value (NaN or ∞) and stopped; its last good actor stays downloadable.';

/** Gradient updates per second of training time over the whole run (0 before any training). */
function meanUpdateRate(updates: number, trainingSeconds: number): number {
  return trainingSeconds > 0 ? updates / trainingSeconds : 0;
}

/**
 * Applies one worker message to the store. `workerRuns`: the runs loaded in the worker that sent it
 * (a worker-level backend message applies to all of them).
 */
export function applyWorkerMessage(store: PlaygroundStore, message: WorkerToPage, effects: PageEffects, workerRuns: readonly RunId[] = []): void {
  const state = store.getState();
  const runName = (runId: RunId | null): string => (runId === null ? 'run' : (state.runs[runId]?.name ?? 'run'));
  switch (message.type) {
    case 'ready':
      state.setWorkerReady();
      return;
    case 'backend': {
      const runIds = message.runId === null ? workerRuns : [message.runId];
      for (const runId of runIds) {
        state.setBackend(runId, message);
        state.updateRun(runId, { backend: message.backend });
      }
      return;
    }
    case 'sessionCreated': {
      // A restored session continues from its checkpoint: episodes the page holds beyond it come again, identically.
      state.truncateEpisodes(message.runId, message.episodesDone);
      state.updateRun(message.runId, { config: { ...message.config }, totalSteps: message.totalSteps, episodesDone: message.episodesDone, error: null });
      state.setTensors(message.runId, message.numTensors, true);
      return;
    }
    case 'progress': {
      const run = state.runs[message.runId];
      if (!run) return;
      // Episodes already held (a repeated batch) are skipped: the list stays 1, 2, 3, … .
      const held = state.episodes[message.runId]?.length ?? 0;
      const fresh = message.episodes.filter((episode) => episode.episode > held);
      state.appendEpisodes(message.runId, fresh);
      state.updateRun(message.runId, {
        totalSteps: message.totalSteps,
        episodesDone: message.episodesDone,
        updates: message.updates,
        // While training: the recent rate. Otherwise (a flush after a pause or stop reports 0): the run's mean.
        updatesPerSecond: run.status === 'training' ? message.updatesPerSecond : meanUpdateRate(message.updates, message.elapsedSeconds),
        elapsedSeconds: message.elapsedSeconds,
        goalReachedAtEpisode: message.goalReachedAtEpisode,
      });
      state.setTensors(message.runId, message.numTensors, false);
      return;
    }
    case 'phase': {
      const run = state.runs[message.runId];
      if (!run) return;
      const status = statusOfPhase(message.phase, message.stopReason);
      const patch: Parameters<typeof state.updateRun>[1] = { status, stopReason: message.stopReason };
      if (status === 'failed') patch.error = NON_FINITE_MESSAGE;
      // Once not training, updates/s is the run's mean.
      if (message.phase !== 'running') patch.updatesPerSecond = meanUpdateRate(run.updates, run.elapsedSeconds);
      state.updateRun(message.runId, patch);
      if (message.phase === 'testing') state.resetTest(message.runId);
      return;
    }
    case 'frame':
      if (message.runId !== state.selectedRunId) return;
      recordTrajectoryFrame(message.runId, message.source, { theta: message.data[0] ?? 0, thetaDot: message.data[1] ?? 0, step: message.data[3] ?? 0 });
      setPendulumFrame({
        theta: message.data[0] ?? 0,
        thetaDot: message.data[1] ?? 0,
        torque: message.data[2] ?? 0,
        stepInEpisode: message.data[3] ?? 0,
        source: message.source,
        receivedAt: typeof performance === 'undefined' ? 0 : performance.now(),
      });
      return;
    case 'checkpoint':
      // checkpointStep changes once the checkpoint is kept (client.ts onCheckpoint), not on arrival: it
      // names the checkpoint a reload would resume from.
      return;
    case 'configApplied':
      state.markLiveApplied(message.runId, message.requestId, message.partial, message.atStep);
      return;
    case 'configRejected':
      state.markLiveRejected(message.runId, message.requestId, message.partial, message.message);
      return;
    case 'testEpisode':
      state.recordTestEpisode(message.runId, message.score);
      state.recordLastTestEpisode(message.runId, {
        episode: message.episode,
        score: message.score,
        seed: message.seed ?? null,
        pushes: message.pushes ? message.pushes.map((push) => ({ ...push })) : [],
        physics: message.physics ? { ...message.physics } : null,
      });
      return;
    case 'actorExported': {
      const { modelJson, weightsBin, weightsFileName } = message.files;
      const jsonName = modelFileNameFor(message.files, runName(message.runId), state.runs[message.runId]?.algorithm);
      effects.saveFile(jsonName, new Blob([modelJson], { type: 'application/json' }));
      effects.saveFile(weightsFileName, new Blob([weightsBin], { type: 'application/octet-stream' }));
      state.setNotice(`Downloaded ${jsonName} and ${weightsFileName} (load them with tf.loadLayersModel).`);
      return;
    }
    case 'actorImported':
      state.setError(null);
      state.setNotice(`Loaded actor weights from ${message.fileName} into "${runName(message.runId)}". Press "Test policy" to watch them.`);
      return;
    case 'actorFailed':
      state.setError(message.message);
      return;
    case 'sessionDisposed':
      state.setTensors(message.runId, message.numTensors, false);
      return;
    case 'notice':
      state.setNotice(message.runId === null ? message.message : `${runName(message.runId)}: ${message.message}`);
      return;
    case 'error': {
      if (message.runId === null) {
        state.setError(message.message);
        return;
      }
      const run = state.runs[message.runId];
      if (!run) return;
      // Fatal: the session could not be created or restored. Otherwise the session is paused and kept.
      state.updateRun(message.runId, { status: message.fatal ? 'failed' : 'paused', error: message.message });
      state.setError(`${run.name}: ${message.message}`);
      return;
    }
    // Issue 9: see inside the agent.
    case 'insight':
      state.receiveInsight(message);
      return;
    case 'pushApplied': {
      const maxSpeed = state.physicsByRun[message.runId]?.physics.maxSpeed ?? DEFAULT_PHYSICS.maxSpeed;
      state.setPushNote({ text: describeAppliedPush(message, maxSpeed), error: false });
      return;
    }
    case 'pushRejected':
      state.setPushNote({ text: `Push refused: ${message.message}`, error: true });
      return;
    case 'physicsApplied': {
      state.setRunPhysics(message.runId, { physics: { ...message.physics }, applyToTraining: message.applyToTraining, pending: false });
      const where = message.applyToTraining ? 'the test env now and training from its next episode' : 'the test env';
      state.setPhysicsNote({ text: `${runName(message.runId)}: physics for ${where}: ${describePhysics(message.physics)}.`, error: false });
      return;
    }
    case 'physicsRejected': {
      const held = state.physicsByRun[message.runId];
      // A change still waiting for this answer is dropped; confirmed physics stay.
      if (held?.pending) state.setRunPhysics(message.runId, null);
      state.setPhysicsNote({ text: `${runName(message.runId)}: physics refused: ${message.message}`, error: true });
      return;
    }
    case 'robustnessResult': {
      const sweep = state.robustness;
      if (!sweep || sweep.runId !== message.runId || sweep.requestId !== message.requestId) return;
      state.setRobustness({ ...sweep, running: false, values: [...message.values], meanReturn: [...message.meanReturn], minReturn: [...message.minReturn], maxReturn: [...message.maxReturn], error: null });
      return;
    }
    case 'robustnessFailed': {
      const sweep = state.robustness;
      if (!sweep || sweep.runId !== message.runId || sweep.requestId !== message.requestId) return;
      state.setRobustness({ ...sweep, running: false, error: message.message });
      return;
    }
    default:
      assertNever(message);
  }
}
