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
import { DEFAULT_PHYSICS } from '../rl/env/physics';

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

export class TestPolicyLoop {
  private readonly env: Pendulum;
  private observation: Float32Array;
  private score = 0;
  private episodes = 0;
  private seed: number;
  private pushes: RecordedTestPush[] = [];

  /** `nextSeed` hands out the reset seeds (the session's counter, continued across tests). */
  constructor(
    private readonly nextSeed: () => number,
    physics: PendulumPhysics = DEFAULT_PHYSICS,
  ) {
    this.env = new Pendulum({ physics });
    this.seed = nextSeed();
    this.observation = this.env.reset({ seed: this.seed });
  }

  /** Runs `steps` env steps with `torqueFor(observation)`; returns the episodes that ended. */
  run(steps: number, torqueFor: (observation: Float32Array) => number): TestEpisode[] {
    const finished: TestEpisode[] = [];
    for (let i = 0; i < steps; i += 1) {
      const result = this.env.step([torqueFor(this.observation)]);
      this.observation = result.observation;
      this.score += result.reward;
      if (result.terminated || result.truncated) {
        this.episodes += 1;
        finished.push({ episode: this.episodes, score: this.score, seed: this.seed, pushes: this.pushes, physics: this.env.physics });
        this.score = 0;
        this.pushes = [];
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
