/**
 * The live equations panel (issue 9): every annotated term shows the selected run's latest episode's
 * metric or its config's setting (checked against a hand-made store, with the expected numbers written
 * out), "—" before the first episode, each metric term's chart is a chart the page draws for that
 * algorithm, every algorithm has a "what to try" list, the panel's HTML carries the values as text in a
 * definition list, and highlightedChart is set and cleared.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_IDS, ALGORITHMS, COMMON_METRICS } from '../../src/rl/algorithm';
import { ALGORITHM_SETTINGS, defaultAlgorithmConfig, type AlgorithmConfig } from '../../src/rl/algorithmSettings';
import { createPlaygroundStore } from '../../src/store/index';
import { chartsFor } from '../../src/ui/charts/chartLayout';
import { annotateEquations, EQUATIONS, formatTermValue, type AnnotatedEquation } from '../../src/ui/equations/equationModel';
import { describeSource, equationInputsKey, selectEquationInputs } from '../../src/ui/equations/EquationsPanel';
import { EquationsView, renderTex } from '../../src/ui/equations/EquationsView';
import { episode, runRecord } from '../page/fixtures';

function term(equations: readonly AnnotatedEquation[], equationId: string, name: string) {
  const found = equations.find((equation) => equation.id === equationId)?.terms.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no term ${name} in ${equationId}`);
  return found;
}

/** A store with one selected SAC run (γ 0.97, τ 0.02, H̄ −0.5) and two episodes; the second is the latest. */
function storeWithSacRun() {
  const store = createPlaygroundStore();
  const state = store.getState();
  state.addRuns([runRecord('r1', { name: 'SAC · seed 500' }, { gamma: 0.97, tau: 0.02, targetEntropy: -0.5 })]);
  state.appendEpisodes('r1', [
    episode(1, { alpha: 0.9, criticLoss: 5, actorLoss: 6, alphaLoss: 0.7, entropy: 1.1, qMean: -3 }),
    episode(2, { alpha: 0.8123456, criticLoss: 12.345678, actorLoss: -4.5, alphaLoss: -0.0123, entropy: 0.456, qMean: -20.25 }),
  ]);
  store.getState().selectRun('r1');
  return store;
}

describe('equations panel: annotations', () => {
  it('SAC: the metric terms equal the latest episode of the selected run, the settings its config', () => {
    const inputs = selectEquationInputs(storeWithSacRun().getState());
    expect(inputs.algorithm).toBe('sac');
    expect(inputs.latest?.episode).toBe(2);
    const equations = annotateEquations(inputs.algorithm, inputs.config, inputs.latest);
    // Written out by hand from the fixture above.
    expect(term(equations, 'critic-target', 'γ (discount)').value).toBe(0.97);
    expect(term(equations, 'critic-target', 'α (temperature)').value).toBe(0.8123456);
    expect(term(equations, 'critic-loss', 'L_Q (critic loss)').value).toBe(12.345678);
    expect(term(equations, 'critic-loss', 'min Q (Q mean)').value).toBe(-20.25);
    expect(term(equations, 'actor-loss', 'L_π (actor loss)').value).toBe(-4.5);
    expect(term(equations, 'actor-loss', '−E[log π] (entropy)').value).toBe(0.456);
    expect(term(equations, 'alpha-loss', 'J(α) (α loss)').value).toBe(-0.0123);
    expect(term(equations, 'alpha-loss', 'α (temperature)').value).toBe(0.8123456);
    expect(term(equations, 'alpha-loss', 'H̄ (target entropy)').value).toBe(-0.5);
    expect(term(equations, 'soft-update', 'τ (soft update rate)').value).toBe(0.02);
    // Printed with 4 significant digits and a real minus sign.
    expect(term(equations, 'critic-loss', 'L_Q (critic loss)').text).toBe('12.35');
    expect(term(equations, 'alpha-loss', 'J(α) (α loss)').text).toBe('−0.0123');
    expect(term(equations, 'critic-target', 'α (temperature)').text).toBe('0.8123');
  });

  it('every algorithm: each metric term is the latest episode\'s value, each setting term the config\'s', () => {
    for (const algorithm of ALGORITHM_IDS) {
      const config: AlgorithmConfig = { ...defaultAlgorithmConfig(algorithm), gamma: 0.95 };
      const latest = episode(7, Object.fromEntries(ALGORITHMS[algorithm].metrics.map((metric, index) => [metric.key, index + 0.25])));
      for (const equation of annotateEquations(algorithm, config, latest)) {
        for (const item of equation.terms) {
          const expected = 'metric' in item.source ? latest[item.source.metric] : config[item.source.config];
          expect(item.value, `${algorithm} ${item.name}`).toBe(Number(expected));
        }
      }
      expect(annotateEquations(algorithm, config, latest).flatMap((equation) => equation.terms).some((item) => item.name === 'γ (discount)' && item.value === 0.95)).toBe(true);
    }
  });

  it('before the first episode the metric terms read "—", the settings still show', () => {
    const store = createPlaygroundStore();
    store.getState().addRuns([runRecord('r1', { name: 'SAC · seed 500' })]);
    store.getState().selectRun('r1');
    const inputs = selectEquationInputs(store.getState());
    expect(inputs.latest).toBeNull();
    const equations = annotateEquations(inputs.algorithm, inputs.config, inputs.latest);
    expect(term(equations, 'critic-target', 'α (temperature)').text).toBe('—');
    expect(term(equations, 'critic-loss', 'L_Q (critic loss)').text).toBe('—');
    expect(term(equations, 'alpha-loss', 'H̄ (target entropy)').text).toBe('−1');
    expect(describeSource(inputs)).toContain('—');
    // NaN (an on-policy metric before its first update phase) is "—" too.
    expect(formatTermValue(Number.NaN)).toBe('—');
  });

  it('the panel\'s key stays while nothing it shows changed (no render per store change), and moves with a new episode', () => {
    const store = storeWithSacRun();
    const first = equationInputsKey(store.getState());
    store.getState().setSmoothing(0.5);
    store.getState().updateRun('r1', { totalSteps: 401 });
    expect(equationInputsKey(store.getState())).toBe(first);
    store.getState().appendEpisodes('r1', [episode(3)]);
    expect(equationInputsKey(store.getState())).not.toBe(first);
    expect(selectEquationInputs(store.getState()).latest?.episode).toBe(3);
  });

  it('every term names a real setting or metric, and a metric term\'s chart is one the page draws for that algorithm', () => {
    for (const algorithm of ALGORITHM_IDS) {
      const keys = new Set(ALGORITHM_SETTINGS[algorithm].keys);
      const metricKeys = new Set([...COMMON_METRICS, ...ALGORITHMS[algorithm].metrics].map((metric) => metric.key));
      const chartTitles = new Set(chartsFor([algorithm]).map((spec) => spec.title));
      for (const equation of annotateEquations(algorithm, defaultAlgorithmConfig(algorithm), null)) {
        expect(equation.terms.length, `${algorithm} ${equation.id}`).toBeGreaterThan(0);
        for (const item of equation.terms) {
          if ('config' in item.source) {
            expect(keys.has(item.source.config), `${algorithm}: ${item.source.config}`).toBe(true);
            expect(item.chart).toBeNull();
          } else {
            expect(metricKeys.has(item.source.metric), `${algorithm}: ${item.source.metric}`).toBe(true);
            expect(chartTitles.has(item.chart ?? ''), `${algorithm}: chart ${item.chart}`).toBe(true);
          }
        }
      }
    }
    const sac = annotateEquations('sac', defaultAlgorithmConfig('sac'), null);
    expect(term(sac, 'alpha-loss', 'α (temperature)').chart).toBe('Temperature α');
    expect(term(sac, 'critic-loss', 'L_Q (critic loss)').chart).toBe('Critic and actor loss');
    expect(term(sac, 'alpha-loss', 'J(α) (α loss)').chart).toBe('α loss and entropy');
  });

  it('every algorithm has a "what to try" list; SAC\'s names target entropy 0 and τ 1, PPO\'s clip range 0.05 vs 0.5', () => {
    for (const algorithm of ALGORITHM_IDS) expect(EQUATIONS[algorithm].whatToTry.length, algorithm).toBeGreaterThanOrEqual(2);
    expect(EQUATIONS.sac.whatToTry.some((item) => /Target entropy to 0/.test(item) && /α/.test(item))).toBe(true);
    expect(EQUATIONS.sac.whatToTry.some((item) => /τ to 1/.test(item))).toBe(true);
    expect(EQUATIONS.ppo.whatToTry.some((item) => /Clip range ε to 0\.05, then 0\.5/.test(item))).toBe(true);
  });
});

describe('equations panel: rendering', () => {
  it('renders each formula with KaTeX and the values as text in a definition list', () => {
    const inputs = selectEquationInputs(storeWithSacRun().getState());
    const html = renderToStaticMarkup(
      createElement(EquationsView, {
        algorithm: 'sac',
        equations: annotateEquations('sac', inputs.config, inputs.latest),
        whatToTry: EQUATIONS.sac.whatToTry,
        source: describeSource(inputs),
        onHighlight: () => undefined,
      }),
    );
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<math'); // MathML for screen readers
    expect(html.match(/<figure /g)).toHaveLength(EQUATIONS.sac.equations.length);
    expect(html).toMatch(/<dt id="([^"]+)">α \(temperature\)<\/dt><dd aria-labelledby="\1" data-value="0.8123456"><span class="term-value">0.8123<\/span>/);
    expect(html).toContain('data-chart="Temperature α"');
    expect(html).toContain('Values from episode 2 (step 400) of “SAC · seed 500”');
    expect(html).toContain('What to try');
  });

  it('every algorithm\'s formulas parse (no KaTeX error box)', () => {
    for (const algorithm of ALGORITHM_IDS) {
      for (const equation of EQUATIONS[algorithm].equations) {
        const html = renderTex(equation.tex);
        expect(html, `${algorithm} ${equation.id}`).toContain('katex-display');
        expect(html, `${algorithm} ${equation.id}`).not.toContain('katex-error');
      }
    }
  });

  it('highlightedChart is set and cleared', () => {
    const store = createPlaygroundStore();
    expect(store.getState().highlightedChart).toBeNull();
    store.getState().setHighlightedChart('Temperature α');
    expect(store.getState().highlightedChart).toBe('Temperature α');
    store.getState().setHighlightedChart(null);
    expect(store.getState().highlightedChart).toBeNull();
  });
});

describe('lecture bugs panel', () => {
  it('has the button, and after a start the two versions side by side with median and k of 3', async () => {
    const { LectureBugs } = await import('../../src/ui/equations/LectureBugs');
    const before = renderToStaticMarkup(createElement(LectureBugs, { onStart: () => undefined, results: [] }));
    expect(before).toContain('>Lecture as written vs fixed</button>');
    expect(before).not.toContain('<table');
    const html = renderToStaticMarkup(
      createElement(LectureBugs, {
        onStart: () => undefined,
        results: [
          { variant: 'asWritten', label: 'Lecture as written', groupName: 'a', actionScale: 1, targetEntropy: 0, seeds: [{ seed: 1, swingUpStep: 10_200, finished: true }, { seed: 2, swingUpStep: null, finished: true }, { seed: 3, swingUpStep: null, finished: false }], median: 10_200, reached: 1, total: 3, running: 1 },
          { variant: 'fixed', label: 'Fixed', groupName: 'b', actionScale: 2, targetEntropy: -1, seeds: [{ seed: 1, swingUpStep: 5_600, finished: true }], median: 5_600, reached: 1, total: 1, running: 0 },
        ],
      }),
    );
    expect(html).toContain('aria-label="Lecture as written vs fixed"');
    expect(html).toContain('<th scope="row">Lecture as written</th><td>1</td><td>0</td><td data-testid="lecture-bugs-median-asWritten">10,200</td><td>1 of 3</td><td>seed 1: 10,200, seed 2: never, seed 3: —</td>');
    expect(html).toContain('<th scope="row">Fixed</th><td>2</td><td>−1</td>');
    expect(html).toContain('1 run still queued or training');
  });
});
