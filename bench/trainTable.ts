/**
 * The README's headless results table from bench/results/train-summary.jsonl (written by
 * bench/train-results.sh: `npm run train … --json | tail -1` per algorithm and seed, seeds 1–5 in that
 * order): steps to swing-up (first step with the last-10 mean above −200) as median and range over the
 * seeds, how many seeds swung up, and env steps/s (steps / training seconds, updates included).
 *   npx tsx bench/trainTable.ts [file]
 */
import { readFileSync } from 'node:fs';

interface Summary {
  algorithm: string;
  swingUpStep: number | null;
  steps: number;
  wallSeconds: number;
  finalAvg100: number;
}

function isSummary(value: unknown): value is Summary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.algorithm === 'string' && typeof record.steps === 'number' && typeof record.wallSeconds === 'number' && (record.swingUpStep === null || typeof record.swingUpStep === 'number');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const thousands = (value: number): string => Math.round(value).toLocaleString('en');

const file = process.argv[2] ?? 'bench/results/train-summary.jsonl';
const runs = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line): unknown => JSON.parse(line))
  .filter(isSummary);
const order = ['sac', 'ddpg', 'td3', 'ppo', 'trpo'];
const algorithms = [...new Set(runs.map((run) => run.algorithm))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
const lines = [
  '| algorithm | max steps | swung up | steps to swing-up: median | range | per seed 1–5 | env steps/s (median) |',
  '|---|---|---|---|---|---|---|',
];
for (const algorithm of algorithms) {
  const own = runs.filter((run) => run.algorithm === algorithm);
  const reached = own.map((run) => run.swingUpStep).filter((step): step is number => step !== null);
  const maxSteps = Math.max(...own.map((run) => run.steps));
  const rates = own.map((run) => run.steps / run.wallSeconds);
  const perSeed = own.map((run) => (run.swingUpStep === null ? '—' : thousands(run.swingUpStep))).join(' / ');
  lines.push(
    `| ${algorithm.toUpperCase()} | ${thousands(maxSteps)} | ${reached.length} of ${own.length} | ${reached.length > 0 ? thousands(median(reached)) : '—'} | ${reached.length > 0 ? `${thousands(Math.min(...reached))}–${thousands(Math.max(...reached))}` : '—'} | ${perSeed} | ${thousands(median(rates))} |`,
  );
}
console.log(lines.join('\n'));
