/**
 * The test-policy loop of a session (the lecture's test.py): the deterministic actor drives its own
 * Pendulum, with no learning and no effect on the training env. Episodes start from seeds 1, 2, … per
 * session, so testing the same actor twice replays the same starts. Pacing (real time) is the
 * session's; this only steps.
 */
import { Pendulum } from '../rl/env/pendulum';

export interface TestEpisode {
  /** 1-based, counted since this test started. */
  episode: number;
  score: number;
}

export class TestPolicyLoop {
  private readonly env = new Pendulum();
  private observation: Float32Array;
  private score = 0;
  private episodes = 0;

  /** `nextSeed` hands out the reset seeds (the session's counter, continued across tests). */
  constructor(private readonly nextSeed: () => number) {
    this.observation = this.env.reset({ seed: nextSeed() });
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
        finished.push({ episode: this.episodes, score: this.score });
        this.score = 0;
        this.observation = this.env.reset({ seed: this.nextSeed() });
      }
    }
    return finished;
  }

  /** The pendulum as the canvas draws it. */
  get state(): { theta: number; thetaDot: number; torque: number; stepInEpisode: number } {
    return { theta: this.env.theta, thetaDot: this.env.thetaDot, torque: this.env.lastTorque, stepInEpisode: this.env.stepsInEpisode };
  }
}
