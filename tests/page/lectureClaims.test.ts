/**
 * The lecture's claims from hand-made runs: every series below has its swing-up episode, fall-backs and
 * α chosen here, and every expected median, ratio and count is worked out by hand in the comments
 * (episodes are 200 env steps, so episode k ends at step 200·k; wall clock 0.5 s per episode).
 */
import { describe, expect, it } from 'vitest';
import type { EpisodeMetrics } from '../../src/rl/types';
import {
  FALL_BACK_THRESHOLD,
  lectureClaims,
  swingUpStepOf,
  type LectureClaimCheck,
  type LectureClaimsResult,
  type LectureEpisode,
  type LectureGroupData,
  type LectureRunData,
} from '../../src/page/lectureClaims';

const BEFORE = -800; // 10-episode mean before swing-up (far below −400 too, so it must never count as a fall-back)
const AFTER = -150; // 10-episode mean once swung up

interface SeriesOptions {
  /** Episode (1-based) at which avg10 first exceeds −200; null: never. */
  swingAt: number | null;
  episodes: number;
  /** Episodes whose avg10 (and score) are replaced, e.g. a dip after swing-up. */
  dips?: Record<number, number>;
  alpha?: { first: number; last: number };
  /** Pass the swing-up step explicitly as the store would (default), or let the module find it. */
  giveSwingUpStep?: boolean;
  finished?: boolean;
}

function series(seed: number, options: SeriesOptions): LectureRunData {
  const episodes: LectureEpisode[] = [];
  for (let k = 1; k <= options.episodes; k += 1) {
    const base = options.swingAt !== null && k >= options.swingAt ? AFTER : BEFORE;
    const value = options.dips?.[k] ?? base;
    const episode: LectureEpisode = { episode: k, step: 200 * k, score: value, avg10: value, wallSeconds: 0.5 * k };
    if (options.alpha) episode.alpha = k === options.episodes ? options.alpha.last : k === 1 ? options.alpha.first : (options.alpha.first + options.alpha.last) / 2;
    episodes.push(episode);
  }
  const run: LectureRunData = { seed, episodes, finished: options.finished ?? true };
  if (options.giveSwingUpStep ?? true) run.swingUpStep = options.swingAt === null ? null : 200 * options.swingAt;
  return run;
}

/** SAC swings up at episodes 30, 35, 40 → steps 6,000 / 7,000 / 8,000: median 7,000. */
function sacGroup(overrides: Partial<Record<1 | 2 | 3, Partial<SeriesOptions>>> = {}): LectureGroupData {
  return {
    algorithm: 'sac',
    runs: [
      series(1, { swingAt: 30, episodes: 100, alpha: { first: 1, last: 0.1 }, ...overrides[1] }),
      series(2, { swingAt: 35, episodes: 100, alpha: { first: 1, last: 0.12 }, ...overrides[2] }),
      series(3, { swingAt: 40, episodes: 100, alpha: { first: 1, last: 0.2 }, ...overrides[3] }),
    ],
  };
}

/**
 * DDPG swings up at episodes 70, 71, 72 (steps 14,000 / 14,200 / 14,400: median 14,200). Seed 1 falls
 * back: avg10 −500 at episode 90. Seed 2 dips to −390 and seed 3 to exactly −400: neither is below −400.
 */
function ddpgGroup(seed1Dip = -500, finished = true): LectureGroupData {
  return {
    algorithm: 'ddpg',
    runs: [
      series(1, { swingAt: 70, episodes: 100, dips: { 90: seed1Dip }, finished }),
      series(2, { swingAt: 71, episodes: 100, dips: { 85: -390 }, finished }),
      series(3, { swingAt: 72, episodes: 100, dips: { 95: -400 }, finished }),
    ],
  };
}

/** TD3 swings up at 80, 82, 84 (16,000 / 16,400 / 16,800): median 16,400; no dips. */
function td3Group(): LectureGroupData {
  return { algorithm: 'td3', runs: [1, 2, 3].map((seed, index) => series(seed, { swingAt: 80 + 2 * index, episodes: 100 })) };
}

/** PPO swings up at 300 and 320 (60,000 / 64,000), seed 3 never in 500 episodes (100,000 steps): median (60,000 + 64,000)/2 = 62,000. */
function ppoGroup(): LectureGroupData {
  return {
    algorithm: 'ppo',
    runs: [series(1, { swingAt: 300, episodes: 500 }), series(2, { swingAt: 320, episodes: 500 }), series(3, { swingAt: null, episodes: 500 })],
  };
}

/** TRPO swings up at 400, 420, 440 (80,000 / 84,000 / 88,000): median 84,000. */
function trpoGroup(): LectureGroupData {
  return { algorithm: 'trpo', runs: [1, 2, 3].map((seed, index) => series(seed, { swingAt: 400 + 20 * index, episodes: 500 })) };
}

function allFive(): LectureGroupData[] {
  return [sacGroup(), ddpgGroup(), td3Group(), ppoGroup(), trpoGroup()];
}

function row(result: LectureClaimsResult, algorithm: string) {
  const found = result.rows.find((candidate) => candidate.algorithm === algorithm);
  if (!found) throw new Error(`no ${algorithm} row`);
  return found;
}

function claim(result: LectureClaimsResult, id: LectureClaimCheck['id']): LectureClaimCheck {
  const found = result.claims.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no claim ${id}`);
  return found;
}

describe('lectureClaims: rows', () => {
  const result = lectureClaims(allFive());

  it('one row per group, in the order given', () => {
    expect(result.rows.map((r) => r.algorithm)).toEqual(['sac', 'ddpg', 'td3', 'ppo', 'trpo']);
    expect(result.rows.map((r) => r.label)).toEqual(['SAC', 'DDPG', 'TD3', 'PPO', 'TRPO']);
  });

  it('swing-up: median, range and k of N (hand-worked)', () => {
    expect(row(result, 'sac').swingUp).toEqual({ median: 7000, min: 6000, max: 8000, reached: 3, total: 3 });
    expect(row(result, 'sac').swingUpText).toBe('7,000 (6,000–8,000) · 3 of 3 seeds');
    expect(row(result, 'ppo').swingUp).toEqual({ median: 62000, min: 60000, max: 64000, reached: 2, total: 3 });
    expect(row(result, 'ddpg').swingUp.median).toBe(14200);
  });

  it("samples relative to SAC: PPO 62,000 / 7,000 = 8.857 → 8.9×; TRPO 84,000 / 7,000 = 12.0×; SAC is the baseline", () => {
    expect(row(result, 'ppo').samplesVsSac).toBeCloseTo(62000 / 7000, 10);
    expect(row(result, 'ppo').samplesVsSacText).toBe("8.9× SAC's samples");
    expect(row(result, 'trpo').samplesVsSacText).toBe("12.0× SAC's samples");
    expect(row(result, 'ddpg').samplesVsSacText).toBe("2.0× SAC's samples"); // 14,200 / 7,000 = 2.03
    expect(row(result, 'sac').samplesVsSacText).toBe('SAC (baseline)');
  });

  it('samples relative to SAC is "—" when the algorithm or SAC never swung up', () => {
    const never = lectureClaims([sacGroup(), { algorithm: 'ppo', runs: [series(1, { swingAt: null, episodes: 500 })] }]);
    expect(row(never, 'ppo').samplesVsSac).toBeNull();
    expect(row(never, 'ppo').samplesVsSacText).toBe('—');
    const noSac = lectureClaims([
      { algorithm: 'sac', runs: [series(1, { swingAt: null, episodes: 100 })] },
      ppoGroup(),
    ]);
    expect(row(noSac, 'ppo').samplesVsSacText).toBe('—');
  });

  it('wall-clock to swing-up: SAC 15 / 17.5 / 20 s → median 17.5 s; PPO 150 / 160 s → 155 s = 2:35 min', () => {
    expect(row(result, 'sac').wallSecondsToSwingUp).toBe(17.5);
    expect(row(result, 'sac').wallToSwingUpText).toBe('17.5 s');
    expect(row(result, 'ppo').wallSecondsToSwingUp).toBe(155);
    expect(row(result, 'ppo').wallToSwingUpText).toBe('2:35 min');
  });

  it("wallSecondsToSwingUp given by the run wins over the episode's wall clock", () => {
    const group = sacGroup();
    const runs = group.runs.map((run, index) => (index === 0 ? { ...run, wallSecondsToSwingUp: 100 } : run));
    // 100, 17.5, 20 → median 20
    expect(row(lectureClaims([{ algorithm: 'sac', runs }]), 'sac').wallSecondsToSwingUp).toBe(20);
  });

  it('fall-backs: a 10-episode mean of −500 after swing-up counts; −390 and exactly −400 do not; the −800 before swing-up does not', () => {
    expect(FALL_BACK_THRESHOLD).toBe(-400);
    expect(row(result, 'ddpg').fallBacks).toEqual({ count: 1, swungUp: 3, total: 3 });
    expect(row(result, 'ddpg').fallBacksText).toBe('1 of 3 seeds fell back below −400 after swinging up');
    expect(row(result, 'sac').fallBacks.count).toBe(0);
    expect(row(result, 'td3').fallBacks.count).toBe(0);
    // Seed 1's dip only to −399: no fall-back at all.
    expect(row(lectureClaims([ddpgGroup(-399)]), 'ddpg').fallBacks.count).toBe(0);
  });

  it('a run that never swung up cannot fall back, and is named apart', () => {
    expect(row(result, 'ppo').fallBacks).toEqual({ count: 0, swungUp: 2, total: 3 });
    expect(row(result, 'ppo').fallBacksText).toBe('0 of 3 seeds fell back below −400 after swinging up; 1 did not swing up');
    const none = lectureClaims([{ algorithm: 'td3', runs: [series(1, { swingAt: null, episodes: 100 })] }]);
    expect(row(none, 'td3').fallBacksText).toBe('— (no seed swung up)');
  });

  it('stability after swing-up, worked by hand on a 12-episode run', () => {
    // avg10 −150 from episode 1 on: swing-up at episode 10 (the first episode with 10 scores), step 2,000.
    // After it: episodes 11 (score −100) and 12 (score −300): lowest score −300, lowest avg10 −150,
    // SD of {−100, −300} = 100.
    const episodes: LectureEpisode[] = Array.from({ length: 12 }, (_, index) => ({ episode: index + 1, step: 200 * (index + 1), score: -150, avg10: -150 }));
    (episodes[10] as LectureEpisode).score = -100;
    (episodes[11] as LectureEpisode).score = -300;
    expect(swingUpStepOf(episodes)).toBe(2000);
    const r = row(lectureClaims([{ algorithm: 'td3', runs: [{ seed: 1, episodes }] }]), 'td3');
    expect(r.swingUp.median).toBe(2000);
    expect(r.afterSwingUp).toEqual({ episodes: 2, minAvg10: -150, minScore: -300, scoreSd: 100 });
    expect(r.stabilityText).toBe('lowest 10-ep. mean −150, lowest episode −300, score SD 100');
  });

  it('the swing-up step is found from the episodes when the run gives none (same result as given)', () => {
    const derived = lectureClaims([
      { algorithm: 'sac', runs: [1, 2, 3].map((seed, index) => series(seed, { swingAt: 30 + 5 * index, episodes: 100, giveSwingUpStep: false })) },
    ]);
    expect(row(derived, 'sac').swingUp).toEqual({ median: 7000, min: 6000, max: 8000, reached: 3, total: 3 });
  });

  it("SAC α: first 1.0 on every seed, last 0.1 / 0.12 / 0.2 → median 0.12: 'α: 1.0 → 0.12'; algorithms without α show —", () => {
    expect(row(result, 'sac').alpha).toEqual({ first: 1, last: 0.12 });
    expect(row(result, 'sac').alphaText).toBe('α: 1.0 → 0.12');
    expect(row(result, 'ddpg').alpha).toBeNull();
    expect(row(result, 'ddpg').alphaText).toBe('—');
  });

  it('accepts EpisodeMetrics as stored', () => {
    const stored: EpisodeMetrics[] = Array.from({ length: 10 }, (_, index) => ({
      episode: index + 1, step: 200 * (index + 1), score: -100, avg100: -100, avg10: -100, updates: 0, updatesPerSecond: 0, wallSeconds: index + 1, alpha: 0.5,
    }));
    const r = row(lectureClaims([{ algorithm: 'sac', runs: [{ seed: 1, episodes: stored, swingUpStep: 2000 }] }]), 'sac');
    expect(r.swingUp.median).toBe(2000);
    expect(r.wallSecondsToSwingUp).toBe(10);
  });
});

describe('lectureClaims: the lecture claims', () => {
  it('all supported by runs that behave as the lecture says', () => {
    const result = lectureClaims(allFive());
    expect(result.claims.map((c) => c.id)).toEqual(['on-policy-sample-hungry', 'ddpg-brittle', 'sac-stable-efficient']);
    const hungry = claim(result, 'on-policy-sample-hungry');
    expect(hungry.verdict).toBe('supported');
    expect(hungry.evidence).toContain("PPO needed 8.9× SAC's samples");
    expect(hungry.evidence).toContain("TRPO needed 12.0× SAC's samples");
    expect(hungry.sentence.startsWith('On-policy methods (TRPO, PPO) are sample-hungry: supported — ')).toBe(true);
    const brittle = claim(result, 'ddpg-brittle');
    expect(brittle.verdict).toBe('supported');
    expect(brittle.evidence).toContain('1 of 3 DDPG seeds fell back below −400 after swinging up');
    expect(brittle.evidence).toContain('SAC: 0 of 3');
    const sac = claim(result, 'sac-stable-efficient');
    expect(sac.verdict).toBe('supported');
    expect(sac.evidence).toContain('SAC swung up on 3 of 3 seeds and 0 fell back');
    expect(sac.evidence).toContain('α: 1.0 → 0.12');
  });

  it('sample-hungry: not supported when PPO and TRPO needed under 2× SAC; partly when only one did', () => {
    // PPO and TRPO at episodes 40 / 45 / 50 → median 9,000 = 1.3× SAC's 7,000.
    const fast = (algorithm: 'ppo' | 'trpo'): LectureGroupData => ({ algorithm, runs: [1, 2, 3].map((seed, i) => series(seed, { swingAt: 40 + 5 * i, episodes: 500 })) });
    const none = lectureClaims([sacGroup(), fast('ppo'), fast('trpo')]);
    expect(claim(none, 'on-policy-sample-hungry').verdict).toBe('not supported');
    expect(claim(none, 'on-policy-sample-hungry').evidence).toContain("PPO needed 1.3× SAC's samples");
    expect(claim(lectureClaims([sacGroup(), fast('ppo'), trpoGroup()]), 'on-policy-sample-hungry').verdict).toBe('partly supported');
  });

  it('sample-hungry: a finished method that never swung up in 100,000 steps needed > 14.3× SAC (100,000 / 7,000)', () => {
    const never: LectureGroupData = { algorithm: 'trpo', runs: [1, 2, 3].map((seed) => series(seed, { swingAt: null, episodes: 500 })) };
    const result = lectureClaims([sacGroup(), ppoGroup(), never]);
    expect(claim(result, 'on-policy-sample-hungry').verdict).toBe('supported');
    expect(claim(result, 'on-policy-sample-hungry').evidence).toContain("TRPO did not swing up in 100,000 steps (> 14.3× SAC's samples)");
  });

  it('sample-hungry: not enough data while a method is still running without a swing-up, or without a SAC baseline', () => {
    const running: LectureGroupData = { algorithm: 'trpo', runs: [series(1, { swingAt: null, episodes: 50, finished: false })] };
    expect(claim(lectureClaims([sacGroup(), ppoGroup(), running]), 'on-policy-sample-hungry').verdict).toBe('not enough data yet');
    const sacNever: LectureGroupData = { algorithm: 'sac', runs: [series(1, { swingAt: null, episodes: 100 })] };
    expect(claim(lectureClaims([sacNever, ppoGroup(), trpoGroup()]), 'on-policy-sample-hungry').verdict).toBe('not enough data yet');
    expect(claim(lectureClaims([sacGroup()]), 'on-policy-sample-hungry').verdict).toBe('not enough data yet');
  });

  it('DDPG brittle: not supported when no DDPG seed fell back; not enough data while its runs go on', () => {
    const steady = lectureClaims([sacGroup(), ddpgGroup(-399)]);
    expect(claim(steady, 'ddpg-brittle').verdict).toBe('not supported');
    expect(claim(steady, 'ddpg-brittle').evidence).toContain('0 of 3 DDPG seeds fell back');
    expect(claim(lectureClaims([sacGroup(), ddpgGroup(-399, false)]), 'ddpg-brittle').verdict).toBe('not enough data yet');
    expect(claim(lectureClaims([sacGroup()]), 'ddpg-brittle').verdict).toBe('not enough data yet');
  });

  it('DDPG brittle: not supported when SAC fell back as often (1 of 3 each)', () => {
    const result = lectureClaims([sacGroup({ 1: { dips: { 60: -450 } } }), ddpgGroup()]);
    expect(row(result, 'sac').fallBacks.count).toBe(1);
    expect(claim(result, 'ddpg-brittle').verdict).toBe('not supported');
  });

  it('SAC stable and efficient: partly when it fell back once but was fastest; not supported when also slowest', () => {
    const fellBack = lectureClaims([sacGroup({ 2: { dips: { 60: -450 } } }), ddpgGroup(), td3Group(), ppoGroup(), trpoGroup()]);
    expect(claim(fellBack, 'sac-stable-efficient').verdict).toBe('partly supported');
    // SAC swinging up at episodes 90 / 95 / 99 (median 19,000) is slower than DDPG's 14,200.
    const slow = lectureClaims([sacGroup({ 1: { swingAt: 90, dips: { 97: -450 } }, 2: { swingAt: 95 }, 3: { swingAt: 99 } }), ddpgGroup(), td3Group()]);
    expect(row(slow, 'sac').swingUp.median).toBe(19000);
    expect(claim(slow, 'sac-stable-efficient').verdict).toBe('not supported');
  });

  it('SAC: a seed that never swung up makes it not stable; no SAC runs is not enough data', () => {
    const result = lectureClaims([sacGroup({ 3: { swingAt: null } }), ddpgGroup()]);
    expect(row(result, 'sac').swingUp.reached).toBe(2);
    // Still fastest (median of 6,000 and 7,000 = 6,500 < 14,200) but not stable: partly.
    expect(claim(result, 'sac-stable-efficient').verdict).toBe('partly supported');
    expect(claim(lectureClaims([ddpgGroup()]), 'sac-stable-efficient').verdict).toBe('not enough data yet');
  });
});
