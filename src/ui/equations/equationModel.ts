/**
 * What the equations panel shows (issue 9, "Equations, live"), as data: per algorithm, its update in
 * standard notation (TeX for KaTeX, SAC-SPEC.md and ALGORITHMS.md), the terms annotated beside each
 * formula (a metric of the latest episode, or a setting of the run's config) and a short "what to try"
 * list. Pure and DOM-free: the panel renders it, the unit tests check the annotations against a store.
 *
 * A metric term's chart is the chart its descriptor puts it on (ALGORITHMS[id].metrics), so hovering it
 * highlights exactly the chart that plots it; a setting has no chart.
 */
import { ALGORITHMS, metricValue, type AlgorithmId } from '../../rl/algorithm';
import type { AlgorithmConfig } from '../../rl/algorithmSettings';
import type { EpisodeMetrics } from '../../rl/types';

/** Where a term's value comes from. */
export type TermSource = { metric: string } | { config: string };

export interface TermSpec {
  /** The symbol as plain text (accessible name), e.g. "α". */
  symbol: string;
  /** What it is, e.g. "temperature". The annotation's name is "symbol (what)". */
  what: string;
  source: TermSource;
}

export interface EquationSpec {
  /** Stable id, also the figure's key. */
  id: string;
  /** Caption, e.g. "Critic target". */
  title: string;
  /** The formula, TeX for KaTeX (display mode). */
  tex: string;
  /** One line under the formula, e.g. what d is on Pendulum. */
  note?: string;
  terms: readonly TermSpec[];
}

export interface AlgorithmEquations {
  algorithm: AlgorithmId;
  equations: readonly EquationSpec[];
  /** Short suggestions, each naming the setting to change and what to watch. */
  whatToTry: readonly string[];
}

const metric = (key: string): TermSource => ({ metric: key });
const setting = (key: string): TermSource => ({ config: key });

const SOFT_UPDATE_NOTE = 'After every gradient step: the target network trails the trained one.';
const TRUNCATION_NOTE = 'd = 1 only at a real end of the task; Pendulum only truncates at 200 steps, so d = 0 on every step.';

const SAC: AlgorithmEquations = {
  algorithm: 'sac',
  equations: [
    {
      id: 'critic-target', title: 'Critic target',
      tex: String.raw`\begin{gathered} y = r + \gamma\,(1-d)\Big(\min_{j=1,2}\bar Q_j(s',\tilde a') - \alpha\log\pi(\tilde a'\mid s')\Big) \\ \tilde a'\sim\pi(\cdot\mid s') \end{gathered}`,
      note: TRUNCATION_NOTE,
      terms: [
        { symbol: 'γ', what: 'discount', source: setting('gamma') },
        { symbol: 'α', what: 'temperature', source: metric('alpha') },
      ],
    },
    {
      id: 'critic-loss', title: 'Critic loss',
      tex: String.raw`L_Q = \sum_{j=1,2}\mathbb{E}_{(s,a,r,s',d)\sim\mathcal D}\Big[\big(Q_j(s,a) - y\big)^2\Big]`,
      terms: [
        { symbol: 'L_Q', what: 'critic loss', source: metric('criticLoss') },
        { symbol: 'min Q', what: 'Q mean', source: metric('qMean') },
      ],
    },
    {
      id: 'actor-loss', title: 'Actor loss',
      tex: String.raw`L_\pi = \mathbb{E}_{s\sim\mathcal D,\ \tilde a\sim\pi(\cdot\mid s)}\Big[\alpha\log\pi(\tilde a\mid s) - \min_{j=1,2}Q_j(s,\tilde a)\Big]`,
      note: 'ã = tanh(μ + σε) is reparameterised, so the gradient flows through the sample.',
      terms: [
        { symbol: 'L_π', what: 'actor loss', source: metric('actorLoss') },
        { symbol: 'α', what: 'temperature', source: metric('alpha') },
        { symbol: '−E[log π]', what: 'entropy', source: metric('entropy') },
      ],
    },
    {
      id: 'alpha-loss', title: 'Temperature loss',
      tex: String.raw`J(\alpha) = -\,\mathbb{E}_{\tilde a\sim\pi}\Big[\log\alpha\,\big(\log\pi(\tilde a\mid s) + \bar{\mathcal H}\big)\Big],\qquad \alpha = e^{\log\alpha}`,
      note: 'log π is held fixed: only log α moves. α falls while the entropy is above H̄ and rises below it.',
      terms: [
        { symbol: 'J(α)', what: 'α loss', source: metric('alphaLoss') },
        { symbol: 'α', what: 'temperature', source: metric('alpha') },
        { symbol: 'H̄', what: 'target entropy', source: setting('targetEntropy') },
        { symbol: '−E[log π]', what: 'entropy', source: metric('entropy') },
      ],
    },
    {
      id: 'soft-update', title: 'Soft target update',
      tex: String.raw`\bar\theta \leftarrow \tau\,\theta + (1-\tau)\,\bar\theta`,
      note: SOFT_UPDATE_NOTE,
      terms: [{ symbol: 'τ', what: 'soft update rate', source: setting('tau') }],
    },
  ],
  whatToTry: [
    'Set Target entropy to 0 (the lecture\'s bug 2) and watch α in "Temperature α": it settles higher and the policy stays noisier.',
    'Set Soft update rate τ to 1: the target critic becomes the critic itself; watch "Critic and actor loss" and the score turn jumpy.',
    'Start a run with Action scale 1 (the lecture\'s bug 1): half the torque, so the pendulum needs more swings and swing-up comes later, or never.',
    'Set Temperature learning rate to 0.01: α drops within a few episodes instead of a few dozen.',
    'Press "Lecture as written vs fixed" below to measure both bugs on three seeds.',
  ],
};

const DETERMINISTIC_TARGET_NOTE = TRUNCATION_NOTE;

const DDPG: AlgorithmEquations = {
  algorithm: 'ddpg',
  equations: [
    {
      id: 'acting', title: 'Acting (exploration)',
      tex: String.raw`a = \mathrm{clip}\big(\mu_\phi(s) + \kappa\,\varepsilon,\ -\kappa,\ \kappa\big),\quad \varepsilon\sim\mathcal N(0,\sigma^2)`,
      note: 'The first learning_starts steps act uniformly at random in [−κ, κ].',
      terms: [
        { symbol: 'σ', what: 'exploration noise', source: setting('actionNoise') },
        { symbol: 'κ', what: 'action scale', source: setting('actionScale') },
        { symbol: 'learning_starts', what: 'random warm-up steps', source: setting('learningStarts') },
      ],
    },
    {
      id: 'critic-target', title: 'Critic target',
      tex: String.raw`y = r + \gamma\,(1-d)\,Q_{\bar\theta}\big(s',\mu_{\bar\phi}(s')\big)`,
      note: DETERMINISTIC_TARGET_NOTE,
      terms: [{ symbol: 'γ', what: 'discount', source: setting('gamma') }],
    },
    {
      id: 'critic-loss', title: 'Critic loss',
      tex: String.raw`L_Q = \mathbb{E}_{(s,a,r,s',d)\sim\mathcal D}\Big[\big(Q_\theta(s,a) - y\big)^2\Big]`,
      terms: [
        { symbol: 'L_Q', what: 'critic loss', source: metric('criticLoss') },
        { symbol: 'Q', what: 'Q mean', source: metric('qMean') },
      ],
    },
    {
      id: 'actor-loss', title: 'Actor loss',
      tex: String.raw`L_\mu = -\,\mathbb{E}_{s\sim\mathcal D}\big[Q_\theta\big(s,\mu_\phi(s)\big)\big]`,
      terms: [{ symbol: 'L_μ', what: 'actor loss', source: metric('actorLoss') }],
    },
    {
      id: 'soft-update', title: 'Soft target updates',
      tex: String.raw`\bar\theta \leftarrow \tau\,\theta + (1-\tau)\,\bar\theta,\qquad \bar\phi \leftarrow \tau\,\phi + (1-\tau)\,\bar\phi`,
      note: SOFT_UPDATE_NOTE,
      terms: [{ symbol: 'τ', what: 'soft update rate', source: setting('tau') }],
    },
  ],
  whatToTry: [
    'Set Exploration noise σ to 0: after the warm-up the actor only sees its own actions; watch the score stall.',
    'Set Soft update rate τ to 1: no slow target; watch "Q value" run away and the score collapse.',
    'Set Actor learning rate to 0.01: the lecture calls DDPG brittle to hyperparameters; see how brittle.',
    'Start DDPG and TD3 on the same seed and compare "Q value": DDPG\'s single critic overestimates.',
  ],
};

const TD3: AlgorithmEquations = {
  algorithm: 'td3',
  equations: [
    {
      id: 'target-smoothing', title: 'Target policy smoothing',
      tex: String.raw`\begin{gathered} \tilde a' = \mathrm{clip}\Big(\mu_{\bar\phi}(s') + \mathrm{clip}\big(\kappa\,\varepsilon,\ -c\,\kappa,\ c\,\kappa\big),\ -\kappa,\ \kappa\Big) \\ \varepsilon\sim\mathcal N(0,\tilde\sigma^2) \end{gathered}`,
      terms: [
        { symbol: 'σ̃', what: 'target smoothing noise', source: setting('targetPolicyNoise') },
        { symbol: 'c', what: 'target noise clip', source: setting('targetNoiseClip') },
        { symbol: 'κ', what: 'action scale', source: setting('actionScale') },
      ],
    },
    {
      id: 'critic-target', title: 'Critic target (twin critics)',
      tex: String.raw`y = r + \gamma\,(1-d)\,\min_{j=1,2}Q_{\bar\theta_j}(s',\tilde a')`,
      note: DETERMINISTIC_TARGET_NOTE,
      terms: [{ symbol: 'γ', what: 'discount', source: setting('gamma') }],
    },
    {
      id: 'critic-loss', title: 'Critic loss',
      tex: String.raw`L_Q = \sum_{j=1,2}\mathbb{E}_{(s,a,r,s',d)\sim\mathcal D}\Big[\big(Q_{\theta_j}(s,a) - y\big)^2\Big]`,
      terms: [
        { symbol: 'L_Q', what: 'critic loss', source: metric('criticLoss') },
        { symbol: 'Q₁', what: 'Q mean', source: metric('qMean') },
      ],
    },
    {
      id: 'actor-loss', title: 'Delayed actor loss',
      tex: String.raw`L_\mu = -\,\mathbb{E}_{s\sim\mathcal D}\big[Q_{\theta_1}\big(s,\mu_\phi(s)\big)\big]\quad\text{every } p\text{-th critic update}`,
      terms: [
        { symbol: 'L_μ', what: 'actor loss', source: metric('actorLoss') },
        { symbol: 'p', what: 'policy delay', source: setting('policyDelay') },
      ],
    },
    {
      id: 'soft-update', title: 'Soft target updates (with the actor step)',
      tex: String.raw`\bar\theta_j \leftarrow \tau\,\theta_j + (1-\tau)\,\bar\theta_j,\qquad \bar\phi \leftarrow \tau\,\phi + (1-\tau)\,\bar\phi`,
      terms: [{ symbol: 'τ', what: 'soft update rate', source: setting('tau') }],
    },
  ],
  whatToTry: [
    'Set Policy delay to 1: the actor chases a critic that has not settled; compare with delay 2.',
    'Set Target smoothing noise σ̃ to 0: the critic can exploit sharp peaks of Q again; watch "Q value".',
    'Start TD3 and DDPG on the same seed: TD3 is DDPG plus these three fixes.',
  ],
};

/** GAE as PPO and TRPO share it; PPO also reports how well V fits the returns (explained variance). */
const GAE_EQUATION: EquationSpec = {
  id: 'gae', title: 'Advantages (GAE)',
  tex: String.raw`\begin{gathered} \delta_t = r_t + \gamma\,V_\psi(s_{t+1})(1-d_t) - V_\psi(s_t) \\ \hat A_t = \delta_t + \gamma\lambda\,\hat A_{t+1},\qquad R_t = \hat A_t + V_\psi(s_t) \end{gathered}`,
  note: 'At the 200-step time limit the reward is bootstrapped with γV(s_final): a truncation is not an end.',
  terms: [
    { symbol: 'γ', what: 'discount', source: setting('gamma') },
    { symbol: 'λ', what: 'GAE λ', source: setting('gaeLambda') },
  ],
};
const PPO_GAE_EQUATION: EquationSpec = {
  ...GAE_EQUATION,
  terms: [...GAE_EQUATION.terms, { symbol: 'EV', what: 'explained variance', source: metric('explainedVariance') }],
};

const PPO: AlgorithmEquations = {
  algorithm: 'ppo',
  equations: [
    PPO_GAE_EQUATION,
    {
      id: 'clip-loss', title: 'Clipped surrogate',
      tex: String.raw`\begin{gathered} \rho_t = \frac{\pi_\phi(a_t\mid s_t)}{\pi_{\phi_\text{old}}(a_t\mid s_t)} \\ L^\text{clip} = -\,\mathbb{E}_t\Big[\min\big(\rho_t\hat A_t,\ \mathrm{clip}(\rho_t,1-\varepsilon,1+\varepsilon)\,\hat A_t\big)\Big] \end{gathered}`,
      terms: [
        { symbol: 'L^clip', what: 'policy loss', source: metric('policyLoss') },
        { symbol: 'ε', what: 'clip range', source: setting('clipRange') },
        { symbol: 'P(|ρ−1|>ε)', what: 'clip fraction', source: metric('clipFraction') },
        { symbol: 'KL', what: 'approx. KL', source: metric('approxKl') },
      ],
    },
    {
      id: 'total-loss', title: 'Loss of one minibatch',
      tex: String.raw`L = L^\text{clip} + c_v\,\mathbb{E}_t\big[(V_\psi(s_t) - R_t)^2\big] - c_e\,\mathcal H[\pi_\phi]`,
      terms: [
        { symbol: 'L_V', what: 'value loss', source: metric('valueLoss') },
        { symbol: 'c_v', what: 'value loss weight', source: setting('vfCoef') },
        { symbol: 'c_e', what: 'entropy bonus', source: setting('entCoef') },
        { symbol: 'H', what: 'entropy', source: metric('entropy') },
      ],
    },
    {
      id: 'update-phase', title: 'Update phase',
      tex: String.raw`\begin{gathered} (\phi,\psi) \leftarrow \mathrm{Adam}_\eta\big(\nabla L\big) \\ K \text{ epochs} \times \text{minibatches of } B \text{ of } N\cdot T \text{ samples} \end{gathered}`,
      note: 'Every update needs fresh samples: the rollout is used for K epochs, then thrown away.',
      terms: [
        { symbol: 'η', what: 'learning rate', source: setting('learningRate') },
        { symbol: 'K', what: 'epochs per rollout', source: setting('nEpochs') },
        { symbol: 'B', what: 'minibatch size', source: setting('batchSize') },
        { symbol: 'N', what: 'parallel envs', source: setting('nEnvs') },
        { symbol: 'T', what: 'steps per rollout', source: setting('nSteps') },
      ],
    },
  ],
  whatToTry: [
    'Set Clip range ε to 0.05, then 0.5: watch "Policy change" (clip fraction and approx. KL) and how fast the score moves.',
    'Start a run with gSDE exploration off: the zoo needed gSDE to solve Pendulum with PPO.',
    'Set Discount factor γ to 0.99 (the library default): the zoo\'s 0.9 is what makes Pendulum easy.',
    'Set Epochs per rollout to 1: fewer passes per sample, even more samples to swing up.',
  ],
};

const TRPO: AlgorithmEquations = {
  algorithm: 'trpo',
  equations: [
    GAE_EQUATION,
    {
      id: 'surrogate', title: 'Surrogate and its gradient',
      tex: String.raw`L(\phi) = \mathbb{E}_t\big[\rho_t(\phi)\,\hat A_t\big],\qquad g = \nabla_\phi L\,\big|_{\phi_\text{old}}`,
      terms: [{ symbol: 'ΔL', what: 'surrogate gain', source: metric('surrogateGain') }],
    },
    {
      id: 'natural-gradient', title: 'Natural gradient by conjugate gradient',
      tex: String.raw`\begin{gathered} (F + \lambda_\text{cg} I)\,x = g \\ F = \nabla^2_\phi\,\overline{\mathrm{KL}}\big(\pi_{\phi_\text{old}}\,\|\,\pi_\phi\big)\big|_{\phi_\text{old}} \end{gathered}`,
      note: 'F is never formed: conjugate gradient needs only Fisher-vector products.',
      terms: [
        { symbol: 'λ_cg', what: 'conjugate-gradient damping', source: setting('cgDamping') },
        { symbol: 'CG steps', what: 'conjugate-gradient steps', source: setting('cgMaxSteps') },
      ],
    },
    {
      id: 'trust-region', title: 'Step inside the trust region',
      tex: String.raw`\begin{gathered} \phi = \phi_\text{old} + b^{\,j}\sqrt{\frac{2\delta}{x^\top F x}}\;x \\ \overline{\mathrm{KL}}(\pi_{\phi_\text{old}}\,\|\,\pi_\phi) \le \delta \end{gathered}`,
      note: 'j = 0, 1, … until the KL is within δ and the surrogate improved; otherwise the old policy is kept.',
      terms: [
        { symbol: 'δ', what: 'KL trust region', source: setting('targetKl') },
        { symbol: 'KL', what: 'KL after the step', source: metric('klAfterStep') },
        { symbol: 'j + 1', what: 'line-search tries', source: metric('lineSearchTries') },
        { symbol: 'b', what: 'line-search shrink', source: setting('lineSearchShrinkingFactor') },
      ],
    },
    {
      id: 'value-loss', title: 'Value net',
      tex: String.raw`L_V = \mathbb{E}_t\big[(V_\psi(s_t) - R_t)^2\big]`,
      terms: [
        { symbol: 'L_V', what: 'value loss', source: metric('valueLoss') },
        { symbol: 'η_V', what: 'value-net learning rate', source: setting('learningRate') },
        { symbol: 'passes', what: 'value-net passes', source: setting('nCriticUpdates') },
      ],
    },
  ],
  whatToTry: [
    'Set KL trust region δ to 0.001, then 0.1: watch "Policy change" and "Line search".',
    'Set Conjugate-gradient steps to 1: a plain gradient direction instead of the natural one.',
    'Compare a TRPO run with a PPO run: both limit how far one update moves the policy, PPO by clipping ρ, TRPO by the KL bound δ.',
  ],
};

export const EQUATIONS: Readonly<Record<AlgorithmId, AlgorithmEquations>> = { sac: SAC, ddpg: DDPG, td3: TD3, ppo: PPO, trpo: TRPO };

/** The chart a term's value is drawn on (its metric descriptor's chart), or null for a setting. */
export function chartOfTerm(algorithm: AlgorithmId, source: TermSource): string | null {
  if (!('metric' in source)) return null;
  const key = source.metric;
  return ALGORITHMS[algorithm].metrics.find((descriptor) => descriptor.key === key)?.chart ?? null;
}

export interface TermValue extends TermSpec {
  /** "α (temperature)": the annotation's accessible name. */
  name: string;
  /** The current value, or null before the first episode (or before a metric has one, e.g. NaN before the first update). */
  value: number | null;
  /** What the panel prints: 4 significant digits, or "—". */
  text: string;
  chart: string | null;
}

export interface AnnotatedEquation extends Omit<EquationSpec, 'terms'> {
  terms: TermValue[];
}

/** A term's value as the panel prints it: 4 significant digits, "—" when there is none yet. */
export function formatTermValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return Number(value.toPrecision(4)).toString().replace('-', '−');
}

function valueOf(source: TermSource, config: AlgorithmConfig | null, latest: Readonly<EpisodeMetrics> | null): number | null {
  let value: number;
  if ('metric' in source) {
    if (latest === null) return null;
    value = metricValue(latest, source.metric);
  } else {
    const raw = config?.[source.config];
    if (raw === undefined) return null;
    value = Number(raw);
  }
  return Number.isFinite(value) ? value : null;
}

/**
 * The equations of `algorithm` with every term's current value: metrics from `latest` (the selected
 * run's latest episode; null before the first), settings from `config` (the run's, or the editor's).
 */
export function annotateEquations(algorithm: AlgorithmId, config: AlgorithmConfig | null, latest: Readonly<EpisodeMetrics> | null): AnnotatedEquation[] {
  return EQUATIONS[algorithm].equations.map((equation) => ({
    ...equation,
    terms: equation.terms.map((term) => {
      const value = valueOf(term.source, config, latest);
      return { ...term, name: `${term.symbol} (${term.what})`, value, text: formatTermValue(value), chart: chartOfTerm(algorithm, term.source) };
    }),
  }));
}
