/**
 * The "Compare algorithms (lecture)" panel. The unit project runs in Node without a DOM, so the
 * component is rendered to static HTML (react-dom/server) and its structure checked: every control has a
 * label tied to it, the button's name, the claims table's caption and header cells, the verdict
 * sentences. What the button does with the inputs is lectureComparisonPlanFromInput, tested here too.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { lectureClaims, type LectureClaimsResult, type LectureRunData } from '../../src/page/lectureClaims';
import { lectureComparisonPlanFromInput, type LectureComparisonPlan } from '../../src/page/lectureComparison';
import { defaultConfig } from '../../src/rl/sac/config';
import { LectureComparison, type LectureComparisonProps } from '../../src/ui/compare/LectureComparison';

function render(props: Partial<LectureComparisonProps> = {}): string {
  const full: LectureComparisonProps = { onStart: () => {}, claims: null, running: false, ...props };
  return renderToStaticMarkup(createElement(LectureComparison, full));
}

/** A run whose 10-episode mean is −800 until episode `swingAt`, then −150 (episode k ends at step 200·k). */
function run(seed: number, swingAt: number, episodes: number, withAlpha = false): LectureRunData {
  return {
    seed,
    swingUpStep: 200 * swingAt,
    episodes: Array.from({ length: episodes }, (_, index) => {
      const k = index + 1;
      const value = k >= swingAt ? -150 : -800;
      return { episode: k, step: 200 * k, score: value, avg10: value, wallSeconds: k, ...(withAlpha ? { alpha: k === episodes ? 0.12 : 1 } : {}) };
    }),
  };
}

function sampleClaims(): LectureClaimsResult {
  return lectureClaims([
    { algorithm: 'sac', runs: [run(1, 30, 60, true), run(2, 35, 60, true), run(3, 40, 60, true)] },
    { algorithm: 'ppo', runs: [run(1, 300, 400), run(2, 320, 400)] },
  ]);
}

/** The id an element with this opening-tag fragment carries. */
function idOf(html: string, fragment: RegExp): string {
  const tag = html.match(fragment)?.[0];
  const id = tag?.match(/\sid="([^"]+)"/)?.[1];
  if (!id) throw new Error(`no element with an id matching ${fragment}`);
  return id;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('LectureComparison panel (static render)', () => {
  it('has the button, and every control has a label bound to it', () => {
    const html = render();
    expect(html).toMatch(/<button[^>]*type="button"[^>]*>Compare algorithms \(lecture\)<\/button>/);
    const checkbox = idOf(html, /<input[^>]*type="checkbox"[^>]*>/);
    expect(html).toMatch(new RegExp(`<label for="${escapeRegExp(checkbox)}">Same settings as SAC</label>`));
    const steps = idOf(html, /<input[^>]*type="text"[^>]*>/);
    expect(html).toMatch(new RegExp(`<label for="${escapeRegExp(steps)}">Env steps per run</label>`));
    // The note on what is shared describes the checkbox.
    const checkboxTag = html.match(/<input[^>]*type="checkbox"[^>]*>/)?.[0] ?? '';
    const noteId = checkboxTag.match(/aria-describedby="([^"]+)"/)?.[1] ?? 'missing';
    expect(html).toMatch(new RegExp(`id="${escapeRegExp(noteId)}"[^>]*>[^<]*γ, minibatch size, learning rates`));
    // No claims yet: no table.
    expect(html).not.toContain('<table');
  });

  it('the toggle on lists what each algorithm takes from SAC', () => {
    const html = render({ initialSameSettingsAsSac: true, sacConfig: { ...defaultConfig(), criticLr: 7e-4 } });
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked=""/);
    expect(html).toContain('TRPO: gamma ← SAC gamma 0.99');
    expect(html).toContain('learning_rate ← SAC critic_lr 0.0007');
    expect(html).toContain('DDPG: ');
  });

  it('disables the button while a comparison runs, and says so', () => {
    const html = render({ running: true });
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Compare algorithms \(lecture\)<\/button>/);
    expect(html).toContain('Comparison running');
    expect(render()).not.toMatch(/<button[^>]*disabled/);
  });

  it('renders the claims as a table with a caption, column headers and a row header per algorithm', () => {
    const claims = sampleClaims();
    const html = render({ claims });
    expect(html).toMatch(/<table[^>]*><caption>[^<]+<\/caption>/);
    const columnHeaders = [...html.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((match) => match[1]);
    expect(columnHeaders).toEqual(['Algorithm', 'Steps to swing-up', 'Samples vs SAC', 'Wall clock to swing-up', 'Fall-backs', 'After swing-up', 'α (temperature)']);
    expect([...html.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((match) => match[1])).toEqual(['SAC', 'PPO']);
    // PPO median (60,000 + 64,000) / 2 = 62,000 against SAC 7,000: 8.9×.
    expect(html).toContain('8.9× SAC&#x27;s samples');
    expect(html).toContain('<td>α: 1.0 → 0.12</td>');
    expect(html.match(/<td>α:/g)).toHaveLength(1); // PPO has no α
    // One sentence per lecture claim.
    expect(html.match(/<li class="verdict-/g)).toHaveLength(claims.claims.length);
    // PPO alone stands for the on-policy methods here (8.9× ≥ 2×); there are no DDPG runs.
    expect(html).toContain('On-policy methods (TRPO, PPO) are sample-hungry: supported</strong>');
    expect(html).toContain('DDPG is brittle (its exploration noise causes sudden failures): not enough data yet</strong> — no DDPG runs');
  });
});

describe('lectureComparisonPlanFromInput (what the button does)', () => {
  it('blank steps: per-family budgets; the toggle carries through', () => {
    const result = lectureComparisonPlanFromInput({ sameSettingsAsSac: true, stepsText: '' });
    if (!('plan' in result)) throw new Error(result.problem);
    const plan: LectureComparisonPlan = result.plan;
    expect(plan.sameSettingsAsSac).toBe(true);
    expect(plan.entries.map((entry) => entry.budget)).toEqual([20_000, 20_000, 20_000, 100_000, 100_000]);
  });

  it('a number: that budget for all; seeds given are used', () => {
    const result = lectureComparisonPlanFromInput({ sameSettingsAsSac: false, stepsText: '3,000', seeds: 2 });
    if (!('plan' in result)) throw new Error(result.problem);
    expect(result.plan.entries.every((entry) => entry.budget === 3000 && entry.seeds.join() === '1,2')).toBe(true);
  });

  it('bad input or bad SAC settings: a problem, no plan', () => {
    expect(lectureComparisonPlanFromInput({ sameSettingsAsSac: false, stepsText: 'lots' })).toHaveProperty('problem');
    expect(lectureComparisonPlanFromInput({ sameSettingsAsSac: false, stepsText: '', sacConfig: { ...defaultConfig(), batchSize: 0 } })).toHaveProperty('problem');
  });
});
