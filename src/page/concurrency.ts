/**
 * How many runs train at once: one worker per training run, and one core stays free for the page
 * (charts, canvas, input), so max(1, cores − 1). `?maxConcurrent=N` overrides it (benchmarks).
 */
import type { ConcurrencyInfo } from '../store/runTypes';

export const MAX_CONCURRENT_LIMIT = 16;

export function concurrencyFor(hardwareConcurrency: number | undefined, search: string): ConcurrencyInfo {
  const override = new URLSearchParams(search).get('maxConcurrent');
  if (override !== null) {
    const value = Number(override);
    if (Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENT_LIMIT) {
      return { maxConcurrent: value, reason: `${value} ${value === 1 ? 'run trains' : 'runs train'} at a time: set by ?maxConcurrent=${value} in the address.` };
    }
  }
  const cores = Number.isInteger(hardwareConcurrency) && (hardwareConcurrency ?? 0) > 0 ? (hardwareConcurrency as number) : 2;
  const maxConcurrent = Math.max(1, cores - 1);
  const runs = maxConcurrent === 1 ? '1 run trains' : `${maxConcurrent} runs train`;
  const reason = cores === 1
    ? `${runs} at a time: this device has 1 CPU core.`
    : `${runs} at a time: this device has ${cores} CPU cores and one stays free for the page.`;
  const ignored = override !== null ? ` (?maxConcurrent=${override} ignored: use a whole number from 1 to ${MAX_CONCURRENT_LIMIT})` : '';
  return { maxConcurrent, reason: `${reason}${ignored} Further runs wait as "queued".` };
}
