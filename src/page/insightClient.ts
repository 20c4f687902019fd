/**
 * The page side of issue 9 ("see inside the agent"), kept beside the client rather than in it: which
 * runs compute phase-space maps, pushes, the test env's physics and the robustness sweep. The client
 * (client.ts) delegates its commands here and tells it when a session is created, so a run that loads
 * later (queued, reloaded, moved) gets its maps and its physics again.
 */
import { DEFAULT_PHYSICS, physicsProblem, type PendulumPhysics } from '../rl/env/physics';
import { getPendulumFrame } from '../store/pendulumFrame';
import type { PlaygroundStore } from '../store/index';
import { INSIGHT_DEFAULT_GRID, type PageToWorker, type RunId } from '../worker/protocol';
import { ROBUSTNESS_EPISODES } from './insightPhysics';
import { rememberPush, type PushRequest } from './insightPush';

export interface InsightClientDeps {
  store: PlaygroundStore;
  /** False when the run is not loaded in a worker. */
  post: (runId: RunId, message: PageToWorker) => boolean;
  /** Loads the run (paused) when it is not loaded; false when it could not be. */
  load: (runId: RunId) => Promise<boolean>;
  isLoaded: (runId: RunId) => boolean;
  nextRequestId: () => number;
  now: () => number;
}

export const PUSH_WHEN = 'Pushes work during Test policy, or while the run trains in watch mode (Speed: watch).';

export class InsightClient {
  private readonly deps: InsightClientDeps;
  /** Runs whose maps are shown (their sessions compute maps while loaded). */
  private shown = new Set<RunId>();
  /** Physics asked for while the run was not loaded: sent when its session is created. */
  private readonly waitingPhysics = new Map<RunId, { physics: PendulumPhysics; applyToTraining: boolean }>();

  constructor(deps: InsightClientDeps) {
    this.deps = deps;
  }

  private get state() {
    return this.deps.store.getState();
  }

  private setInsight(runId: RunId, enabled: boolean): void {
    this.deps.post(runId, { type: 'setInsight', runId, enabled, gridSize: INSIGHT_DEFAULT_GRID });
  }

  /** The runs whose maps are shown now: new ones start computing maps, the others stop. */
  showInsightFor(runIds: readonly RunId[]): void {
    const next = new Set(runIds.filter((runId) => this.state.runs[runId] !== undefined));
    for (const runId of this.shown) if (!next.has(runId)) this.setInsight(runId, false);
    for (const runId of next) if (!this.shown.has(runId)) this.setInsight(runId, true);
    this.shown = next;
  }

  isShown(runId: RunId): boolean {
    return this.shown.has(runId);
  }

  /** A session was created (new, restored, moved): it starts with maps off and Gymnasium's physics. */
  onSessionCreated(runId: RunId): void {
    if (this.shown.has(runId)) this.setInsight(runId, true);
    const waiting = this.waitingPhysics.get(runId);
    const held = this.state.physicsByRun[runId];
    if (waiting) {
      this.waitingPhysics.delete(runId);
      this.sendPhysics(runId, waiting.physics, waiting.applyToTraining);
    } else if (held && !held.pending) {
      // Confirmed physics of an earlier session of this run: the new session has Gymnasium's until told.
      this.sendPhysics(runId, held.physics, held.applyToTraining);
    }
  }

  push(runId: RunId, push: PushRequest): void {
    const state = this.state;
    const run = state.runs[runId];
    if (!run) return;
    const pushable = run.status === 'testing' || (run.status === 'training' && state.speed.mode === 'watch');
    if (!pushable) {
      state.setPushNote({ text: `Nothing was pushed: ${PUSH_WHEN}`, error: true });
      return;
    }
    const invalid = [push.deltaThetaDot, push.theta].some((value) => value !== undefined && !Number.isFinite(value));
    if (invalid || (push.deltaThetaDot === undefined && push.theta === undefined)) {
      state.setPushNote({ text: 'Nothing was pushed: a push needs a finite Δθ̇ or θ.', error: true });
      return;
    }
    const requestId = this.deps.nextRequestId();
    const { frame } = getPendulumFrame();
    const message: PageToWorker = { type: 'push', runId, requestId };
    if (push.deltaThetaDot !== undefined) message.deltaThetaDot = push.deltaThetaDot;
    if (push.theta !== undefined) message.theta = push.theta;
    rememberPush(runId, requestId, push, frame && state.selectedRunId === runId ? { theta: frame.theta, thetaDot: frame.thetaDot } : null);
    if (!this.deps.post(runId, message)) state.setPushNote({ text: `Nothing was pushed: "${run.name}" is not loaded in a worker.`, error: true });
  }

  private sendPhysics(runId: RunId, physics: PendulumPhysics, applyToTraining: boolean): boolean {
    return this.deps.post(runId, { type: 'setPhysics', runId, requestId: this.deps.nextRequestId(), physics: { ...physics }, applyToTraining });
  }

  setPhysics(runId: RunId, physics: PendulumPhysics, applyToTraining: boolean): string | null {
    const state = this.state;
    const problem = physicsProblem(physics);
    if (problem !== null) {
      state.setPhysicsNote({ text: `Physics refused: ${problem}. Nothing was changed.`, error: true });
      return problem;
    }
    const run = state.runs[runId];
    if (!run) {
      const message = 'Select a run first: the physics apply to its test env.';
      state.setPhysicsNote({ text: message, error: true });
      return message;
    }
    state.setRunPhysics(runId, { physics: { ...physics }, applyToTraining, pending: true });
    if (this.sendPhysics(runId, physics, applyToTraining)) {
      this.waitingPhysics.delete(runId);
      state.setPhysicsNote({ text: `${run.name}: sending the physics to its worker…`, error: false });
    } else {
      this.waitingPhysics.set(runId, { physics: { ...physics }, applyToTraining });
      state.setPhysicsNote({ text: `${run.name}: the physics are kept and apply when the run is loaded (Test policy, Resume).`, error: false });
    }
    return null;
  }

  runRobustness(runId: RunId, parameter: keyof PendulumPhysics, values: readonly number[]): void {
    const state = this.state;
    const run = state.runs[runId];
    if (!run) {
      state.setPhysicsNote({ text: 'Select a run first: the robustness sweep scores its actor.', error: true });
      return;
    }
    if (state.robustness?.running) {
      state.setPhysicsNote({ text: 'A robustness sweep is still running; wait for its result.', error: true });
      return;
    }
    const base = state.physicsByRun[runId]?.physics ?? DEFAULT_PHYSICS;
    for (const value of values) {
      const problem = physicsProblem({ ...base, [parameter]: value });
      if (problem !== null) {
        state.setPhysicsNote({ text: `Robustness sweep refused: ${problem}.`, error: true });
        return;
      }
    }
    const requestId = this.deps.nextRequestId();
    state.setRobustness({
      runId, requestId, parameter, values: [...values], episodes: ROBUSTNESS_EPISODES, running: true, startedAt: this.deps.now(),
      meanReturn: [], minReturn: [], maxReturn: [], error: null,
    });
    const message: PageToWorker = { type: 'robustness', runId, requestId, parameter, values: [...values], episodes: ROBUSTNESS_EPISODES };
    if (this.deps.post(runId, message)) return;
    void this.deps.load(runId).then((loaded) => {
      const current = this.state.robustness;
      if (current?.requestId !== requestId) return;
      if ((loaded || this.deps.isLoaded(runId)) && this.deps.post(runId, message)) return;
      this.state.setRobustness({ ...current, running: false, error: `"${run.name}" could not be loaded to score its actor.` });
    });
  }

  /** The run's worker is gone: a sweep it was running will not answer. */
  onRunLost(runId: RunId): void {
    const sweep = this.state.robustness;
    if (sweep?.runId === runId && sweep.running) this.state.setRobustness({ ...sweep, running: false, error: 'The worker running the sweep stopped; press Robustness again.' });
  }
}
