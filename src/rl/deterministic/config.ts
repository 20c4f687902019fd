/**
 * The settings DDPG and TD3 share (ALGORITHMS.md, "DDPG" and "TD3"): the zoo's Pendulum-v1 values on
 * the lecture's 64-64 ReLU network. ddpg/config.ts uses them as they are; td3/config.ts adds its three.
 * Every entry names its source; run-control settings (seed, goal, limits) are the lecture's, as for SAC.
 */
import type { ParameterTable, RunConfig } from '../hyperparameterTable';

export type DeterministicConfig = RunConfig & {
  /** γ in y = r + γ·mask·Q̄(s', ã'). */
  gamma: number;
  /** Polyak rate τ of every target network. */
  tau: number;
  actorLr: number;
  criticLr: number;
  /** Env steps of uniform random actions before the first update (updates start after it). */
  learningStarts: number;
  /** σ of the Gaussian exploration noise, in units of the action bound. */
  actionNoise: number;
};

const ZOO = 'rl-baselines3-zoo hyperparams/td3.yml and ddpg.yml (Pendulum-v1)';
const SB3 = 'stable-baselines3 TD3/DDPG default';
const LECTURE = 'lecture (run control, as for SAC)';

export const DETERMINISTIC_PARAMETERS: ParameterTable<DeterministicConfig> = {
  gamma: {
    key: 'gamma', lectureName: 'gamma', label: 'Discount factor', defaultValue: 0.98,
    min: 0.8, max: 0.9999, scale: 'linear', integer: false, live: true, source: ZOO,
    description: 'How much future reward counts in the critic target y = r + γ·Q̄(s′, μ̄(s′)).',
  },
  tau: {
    key: 'tau', lectureName: 'tau', label: 'Soft update rate', defaultValue: 0.005,
    min: 0.0001, max: 1, scale: 'log', integer: false, live: true, source: SB3,
    description: 'Target networks follow slowly: θ̄ ← τθ + (1 − τ)θ̄ at every soft update.',
  },
  hiddenSize: {
    key: 'hiddenSize', lectureName: 'hidden_size', label: 'Hidden layer size', defaultValue: 64,
    min: 4, max: 512, scale: 'linear', integer: true, live: false, source: "lecture network (the zoo's is 400-300)",
    description: 'Units in each of the two ReLU hidden layers of the actor and of each critic.',
  },
  batchSize: {
    key: 'batchSize', lectureName: 'batch_size', label: 'Minibatch size', defaultValue: 256,
    min: 1, max: 1024, scale: 'linear', integer: true, live: true, source: SB3,
    description: 'Transitions sampled uniformly from the replay buffer for each gradient step.',
  },
  actorLr: {
    key: 'actorLr', lectureName: 'actor_lr', label: 'Actor learning rate', defaultValue: 1e-3,
    min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true, source: `${ZOO} (learning_rate)`,
    description: 'Adam step size of the deterministic actor (loss −mean Q(s, μ(s))).',
  },
  criticLr: {
    key: 'criticLr', lectureName: 'critic_lr', label: 'Critic learning rate', defaultValue: 1e-3,
    min: 1e-6, max: 1e-1, scale: 'log', integer: false, live: true, source: `${ZOO} (learning_rate)`,
    description: 'Adam step size of the critic(s) (loss: mean squared error to the target y).',
  },
  bufferSize: {
    key: 'bufferSize', lectureName: 'buffer_size', label: 'Replay buffer size', defaultValue: 200000,
    min: 100, max: 1000000, scale: 'log', integer: true, live: false, source: ZOO,
    description: 'Most recent transitions kept for sampling (FIFO).',
  },
  learningStarts: {
    key: 'learningStarts', lectureName: 'learning_starts', label: 'Random warm-up steps', defaultValue: 10000,
    min: 0, max: 1000000, scale: 'linear', integer: true, live: false, source: ZOO,
    description: 'Env steps of uniform random actions before the first update; updates start after them.',
  },
  actionNoise: {
    key: 'actionNoise', lectureName: 'action_noise', label: 'Exploration noise σ', defaultValue: 0.1,
    min: 0, max: 2, scale: 'linear', integer: false, live: true, source: `${ZOO} (noise_type normal, noise_std)`,
    description: 'a = clip(μ(s) + scale·N(0, σ²), ±scale): Gaussian noise in units of the action bound.',
  },
  seed: {
    key: 'seed', lectureName: 'seed', label: 'Random seed', defaultValue: 500,
    min: 0, max: 4294967295, scale: 'linear', integer: true, live: false, source: LECTURE,
    description: 'Same seed and backend, same run: resets, weights, noise and minibatches.',
  },
  goalScore: {
    key: 'goalScore', lectureName: 'goal_score', label: 'Goal score', defaultValue: -300,
    min: -2000, max: 0, scale: 'linear', integer: false, live: true, source: LECTURE,
    description: 'Training stops once the mean of the last 100 episode scores is above this.',
  },
  stopAtGoal: {
    key: 'stopAtGoal', lectureName: 'stop_at_goal', label: 'Stop at goal', defaultValue: true,
    min: 0, max: 1, scale: 'linear', integer: true, live: true, source: LECTURE,
    description: "Apply the lecture's stop rule (off: keep training after the goal).",
  },
  actionScale: {
    key: 'actionScale', lectureName: 'action_scale', label: 'Action scale', defaultValue: 2,
    min: 0.1, max: 2, scale: 'linear', integer: false, live: false, source: 'Pendulum-v1 action bound (±2 N·m)',
    description: 'Torque = scale · tanh(f(s)): the bound of the actor, of the noise clip and of the warm-up.',
  },
  maxEpisodes: {
    key: 'maxEpisodes', lectureName: 'max_episodes', label: 'Maximum episodes', defaultValue: 1000,
    min: 1, max: 100000, scale: 'log', integer: true, live: true, source: LECTURE,
    description: "Training stops after this many episodes (the lecture's max_iter_num).",
  },
  maxSteps: {
    key: 'maxSteps', lectureName: 'max_steps', label: 'Maximum env steps', defaultValue: 0,
    min: 0, max: 100000000, scale: 'linear', integer: true, live: true, source: LECTURE,
    description: 'Training stops after this many environment steps (0: no limit).',
  },
  logInterval: {
    key: 'logInterval', lectureName: 'log_interval', label: 'Log interval', defaultValue: 10,
    min: 1, max: 1000, scale: 'linear', integer: true, live: true, source: LECTURE,
    description: 'Episodes between progress lines "N episode | score_avg: X".',
  },
};
