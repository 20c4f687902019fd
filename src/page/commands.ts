/**
 * CONTRACT between the UI and the page side (issue 7): everything a control can ask for. The UI calls
 * these and reads the store; it never talks to a worker or IndexedDB itself. Implemented by the page's
 * client (src/page/), which assigns runs to workers (the pool), maps worker messages onto the store and
 * persists runs. Every command is safe to call in any state: when it can't act it sets a clear message
 * (store error/notice) and changes nothing.
 */
import type { AlgorithmId } from '../rl/algorithm';
import type { RunId, SpeedSetting, TestReplay } from '../worker/protocol';
import type { LectureComparisonPlan } from './lectureComparison';
import type { PendulumPhysics } from '../rl/env/physics';

export interface PlaygroundCommands {
  /** "Start" (no runs yet) and "Add run": the editor's settings as one run, or a group of `seeds` runs (seed, seed+1, …). Queued if no slot is free. Selects the (first) new run. */
  addRun(): void;
  pause(runId: RunId): void;
  resume(runId: RunId): void;
  /** Ends the run (status done, stop reason `user`); its final checkpoint and actor are kept. */
  stop(runId: RunId): void;
  /** Space: pause/resume the selected run. */
  togglePauseSelected(): void;
  /** Copies the run's settings into the editor (hyperparameter sliders); starts nothing. */
  duplicate(runId: RunId): void;
  /** Removes the run from the list at once; its storage is freed when the undo window (UNDO_DELETE_MS) passes. */
  deleteRun(runId: RunId): void;
  undoDelete(runId: RunId): void;
  renameRun(runId: RunId, name: string): void;
  renameGroup(groupId: string, name: string): void;
  setVisible(runId: RunId, visible: boolean): void;
  setGroupVisible(groupId: string, visible: boolean): void;
  /** Selects the run the canvas, status, sliders, Test and downloads act on; the editor shows its config. */
  select(runId: RunId): void;

  /** Test policy; with `replay` (a recorded test episode) plays that one episode again and stops. */
  startTest(runId: RunId, replay?: TestReplay): void;
  stopTest(runId: RunId): void;
  /** Downloads <algo>-pendulum-<name>.json + .weights.bin (final: current actor; best: at the best 100-episode mean). */
  downloadActor(runId: RunId, which: 'final' | 'best'): void;
  /** Loads actor files into the selected run, or (none) into a new paused run made from the editor's settings. */
  loadActor(files: readonly File[]): Promise<void>;
  /**
   * After loadActor got a file of another hidden size (store `actorFileOffer`): a new paused run with the
   * editor's settings at the file's hidden size, holding the file's actor. Says why when there is no offer.
   */
  startRunForActorFile(): Promise<void>;
  /** Drops the offer (and the files kept for it). */
  dismissActorFileOffer(): void;

  /** The Algorithm selector: the editor shows that algorithm's settings (its earlier edits kept); new runs are of it. */
  chooseAlgorithm(algorithm: AlgorithmId): void;
  /**
   * Sets a value of the editor's algorithm (validated; returns the refusal message). Keys live for the
   * selected run's algorithm also go to it, when the editor shows that algorithm.
   */
  changeParameter(key: string, value: number | boolean): string | null;
  /** Sends the editor's live values that differ from the selected run's (after Reset/presets). */
  syncLiveConfig(): void;
  setSpeed(speed: SpeedSetting): void;
  /** "Measure again" (issue 11): measures the backends for the selected run's shape (else the editor's) now; runs of that shape started afterwards use the result. */
  measureBackendsAgain(): void;

  /** One file (zip) per run or group with settings, metrics, checkpoint and actors. */
  exportRun(runId: RunId): Promise<void>;
  exportGroup(groupId: string): Promise<void>;
  /**
   * "Compare algorithms (lecture)": one group per algorithm of the plan (lectureComparison.ts), all
   * tagged as one comparison, queued like "Add run"; the charts switch to the log step axis.
   */
  startLectureComparison(plan: LectureComparisonPlan): void;
  /**
   * "Lecture as written vs fixed": two 3-seed SAC groups on the same seeds (lectureBugs.ts), the lecture's
   * two bugs (action scale 1, target entropy 0) vs the defaults, tagged as one pair, queued like "Add run".
   */
  startLectureBugsComparison(): void;

  /** Imports a run file; a malformed or foreign file gets a clear message and changes nothing. */
  importRuns(file: File): Promise<void>;

  /** The compare table as files: CSV of the per-episode metrics of every visible run (a `run` column), and JSON. */
  exportCompareCsv(): void;
  exportCompareJson(): void;

  // Issue 9, see inside the agent (implemented in insightClient.ts).
  /** The runs whose phase-space maps are shown (panel open: the selected run and the compared one; closed: none); the others stop computing maps. */
  showInsightFor(runIds: readonly RunId[]): void;
  /** Pushes the run's pendulum (Δθ̇ and/or θ) during Test policy or watch-mode training; the push status says what happened. */
  push(runId: RunId, push: { deltaThetaDot?: number; theta?: number }): void;
  /** Physics of the run's test env (and of training from its next episode); validated, returns the refusal message. */
  setPhysics(runId: RunId, physics: PendulumPhysics, applyToTraining: boolean): string | null;
  /** Scores the run's deterministic actor over 10 episodes for each value of one physics setting (store `robustness`). */
  runRobustness(runId: RunId, parameter: keyof PendulumPhysics, values: readonly number[]): void;
}

/** How long a deleted run can be brought back (ms). */
export const UNDO_DELETE_MS = 8_000;
