/** Words for a run's state and figures, shared by the runs list, the status bar and the canvas caption. */
import type { StopReason } from '../../rl/types';
import type { RunRecord, RunStatus } from '../../store/runTypes';
import { formatDecimal, formatInteger } from '../format';

export const STATUS_TEXT: Record<RunStatus, string> = {
  queued: 'Queued',
  starting: 'Starting…',
  training: 'Training',
  paused: 'Paused',
  testing: 'Testing policy',
  done: 'Done',
  failed: 'Failed',
};

export const STOP_TEXT: Record<StopReason, string> = {
  goal: 'goal reached',
  maxEpisodes: 'episode limit',
  maxSteps: 'step limit',
  nonFinite: 'NaN loss',
  user: 'stopped',
};

/** "Done: goal reached", "Failed: <why>", "Training". */
export function statusText(run: Pick<RunRecord, 'status' | 'stopReason' | 'error'>): string {
  const base = STATUS_TEXT[run.status];
  if (run.status === 'done' && run.stopReason !== null) return `${base}: ${STOP_TEXT[run.stopReason]}`;
  if (run.status === 'failed' && run.error) return `${base}: ${run.error}`;
  return base;
}

/** Steps to swing-up (last-10 mean > −200) or an em dash. */
export function swingUpText(swingUpStep: number | null): string {
  return swingUpStep === null ? '—' : formatInteger(swingUpStep);
}

export function best100Text(best100: RunRecord['best100']): string {
  return best100 === null ? '—' : formatDecimal(best100.value, 1);
}

/** Whether Pause (true) or Resume (false) is the run's toggle, and whether it can act at all. */
export function pauseToggle(status: RunStatus): { label: 'Pause' | 'Resume'; enabled: boolean } {
  if (status === 'paused') return { label: 'Resume', enabled: true };
  return { label: 'Pause', enabled: status === 'queued' || status === 'starting' || status === 'training' };
}

/** A run that has ended (done, failed) can't be stopped again. */
export function canStop(status: RunStatus): boolean {
  return status !== 'done' && status !== 'failed';
}
