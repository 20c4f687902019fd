/**
 * The test-policy loop of a session (the lecture's test.py): the deterministic actor drives its own
 * Pendulum, with no learning and no effect on the training env. Episodes start from seeds 1, 2, … per
 * session, so testing the same actor twice replays the same starts. Pacing (real time) is the
 * session's; this only steps.
 *
 * Issue 9: the test env has its own physics (changed now, mid-episode if need be), and takes pushes;
 * each finished episode reports its reset seed, its pushes (step in the episode, what was pushed) and
 * its physics, so the page can replay it exactly (same seed, same pushes at the same steps).
 */
import { Pendulum, type PendulumPhysics, type PendulumPush } from '../rl/env/pendulum';
import { DEFAULT_PHYSICS, physicsProblem } from '../rl/env/physics';
import { MAX_EPISODE_STEPS } from '../rl/env/pendulum';
import type { TestReplay } from './protocol';

/** A push as recorded: `step` = steps taken in the episode when it was applied (before that step's action). */
export interface RecordedTestPush {
  step: number;
  deltaThetaDot?: number;
  theta?: number;
}

export interface TestEpisode {
  /** 1-based, counted since this test started. */
  episode: number;
  score: number;
  /** The reset seed of the episode. */
  seed: number;
  pushes: RecordedTestPush[];
  /** The physics at the episode's end (a mid-episode change is not replayed exactly). */
  physics: PendulumPhysics;
}

/** Why `replay` is not a test episode this loop can play again, or null. */
export function testReplayProblem(replay: unknown): string | null {
  if (typeof replay !== 'object' || replay === null) return 'the episode to replay is missing';
  const { seed, pushes, physics } = replay as Partial<Record<keyof TestReplay, unknown>>;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) return `its seed must be a non-negative integer, got ${String(seed)}`;
  const physicsIssue = physicsProblem(physics);
  if (physicsIssue !== null) return physicsIssue;
  if (!Array.isArray(pushes)) return 'its pushes must be a list';
  let previousStep = 0;
  for (const push of pushes as unknown[]) {
    const { step, deltaThetaDot, theta } = (push ?? {}) as Partial<Record<keyof RecordedTestPush, unknown>>;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < previousStep || step >= MAX_EPISODE_STEPS) {
      return `each push needs a step in [0, ${MAX_EPISODE_STEPS - 1}], in order; got ${String(step)}`;
    }
    if (deltaThetaDot === undefined && theta === undefined) return 'a push must change θ̇ or θ';
    for (const value of [deltaThetaDot, theta]) {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return `a push's values must be finite numbers, got ${String(value)}`;
    }
    previousStep = step;
  }
  return null;
}

export class TestPolicyLoop {
  private readonly env: Pendulum;
  /** Replay: the recorded pushes still to apply (in step order), and whether the one episode has ended. */
  private readonly scheduledPushes: RecordedTestPush[];
  private readonly replaying: boolean;
  private replayEnded = false;
  private observation: Float32Array;
  private score = 0;
  private episodes = 0;
  private seed: number;
  private pushes: RecordedTestPush[] = [];

  /**
   * `nextSeed` hands out the reset seeds (the session's counter, continued across tests). With `replay`
   * (checked with testReplayProblem first) the loop plays that one episode: its seed and physics, and
   * each recorded push applied when the episode has taken the same number of steps (before that step's
   * action, as it was recorded); then `replayFinished` is true and it takes no more steps.
   */
  constructor(
    private readonly nextSeed: () => number,
    physics: PendulumPhysics = DEFAULT_PHYSICS,
    replay: TestReplay | null = null,
  ) {
    this.env = new Pendulum({ physics: replay ? replay.physics : physics });
    this.replaying = replay !== null;
    this.scheduledPushes = replay ? replay.pushes.map((push) => ({ ...push })) : [];
    this.seed = replay ? replay.seed : nextSeed();
    this.observation = this.env.reset({ seed: this.seed });
  }

  /** Replay only: the recorded episode has been played to its end. */
  get replayFinished(): boolean {
    return this.replayEnded;
  }

  /** Runs `steps` env steps with `torqueFor(observation)`; returns the episodes that ended. */
  run(steps: number, torqueFor: (observation: Float32Array) => number): TestEpisode[] {
    const finished: TestEpisode[] = [];
    for (let i = 0; i < steps && !this.replayEnded; i += 1) {
      while (this.scheduledPushes.length > 0 && this.scheduledPushes[0]?.step === this.env.stepsInEpisode) {
        const { deltaThetaDot, theta } = this.scheduledPushes.shift() as RecordedTestPush;
        this.push({ ...(deltaThetaDot === undefined ? {} : { deltaThetaDot }), ...(theta === undefined ? {} : { theta }) });
      }
      const result = this.env.step([torqueFor(this.observation)]);
      this.observation = result.observation;
      this.score += result.reward;
      if (result.terminated || result.truncated) {
        this.episodes += 1;
        finished.push({ episode: this.episodes, score: this.score, seed: this.seed, pushes: this.pushes, physics: this.env.physics });
        this.score = 0;
        this.pushes = [];
        if (this.replaying) {
          // The one recorded episode is over; the pendulum stays where it ended.
          this.replayEnded = true;
          break;
        }
        this.seed = this.nextSeed();
        this.observation = this.env.reset({ seed: this.seed });
      }
    }
    return finished;
  }

  /** Pokes the test pendulum and records the push; throws RangeError (changing nothing) on a bad one. */
  push(push: PendulumPush): { theta: number; thetaDot: number; step: number } {
    const state = this.env.push(push);
    this.observation = this.env.observation();
    const step = this.env.stepsInEpisode;
    const recorded: RecordedTestPush = { step };
    if (push.deltaThetaDot !== undefined) recorded.deltaThetaDot = push.deltaThetaDot;
    if (push.theta !== undefined) recorded.theta = push.theta;
    this.pushes.push(recorded);
    return { ...state, step };
  }

  /** New physics for the test env, from the next step on. */
  setPhysics(physics: PendulumPhysics): void {
    this.env.setPhysics(physics, 'now');
  }

  get physics(): PendulumPhysics {
    return this.env.physics;
  }

  /** The reset seed of the current episode. */
  get currentSeed(): number {
    return this.seed;
  }

  /** The pendulum as the canvas draws it. */
  get state(): { theta: number; thetaDot: number; torque: number; stepInEpisode: number } {
    return { theta: this.env.theta, thetaDot: this.env.thetaDot, torque: this.env.lastTorque, stepInEpisode: this.env.stepsInEpisode };
  }
}
