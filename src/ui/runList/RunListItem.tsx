/**
 * One run in the runs list: select it, rename it, see its state and figures, and act on it. Every
 * control's accessible name carries the run's name ("Pause SAC · seed 500"), so a screen reader (and a
 * browser test) can tell the rows apart.
 */
import { memo } from 'react';
import { usePlayground } from '../../store/index';
import type { RunId } from '../../worker/protocol';
import { useCommands } from '../commandsContext';
import { formatInteger } from '../format';
import { RunNameInput } from './RunNameInput';
import { best100Text, canStop, pauseToggle, statusText, swingUpText } from './runText';

export const RunListItem = memo(function RunListItem({ runId, inGroup }: { runId: RunId; inGroup: boolean }) {
  const commands = useCommands();
  const run = usePlayground((state) => state.runs[runId]);
  const selected = usePlayground((state) => state.selectedRunId === runId);
  if (!run) return null;
  const { name } = run;
  const toggle = pauseToggle(run.status);
  const status = statusText(run);

  return (
    <li className={`run-item${selected ? ' selected' : ''}${inGroup ? ' in-group' : ''}`} data-run-id={runId} data-status={run.status}>
      <div className="run-line">
        <input type="radio" name="selected-run" aria-label={`Select ${name}`} checked={selected} onChange={() => commands.select(runId)} />
        <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
        <RunNameInput
          name={name}
          label={`Name of run ${name}`}
          onRename={(next) => commands.renameRun(runId, next)}
          onFocus={() => selected || commands.select(runId)}
        />
        <label className="show-toggle" title="Show on the charts and in the compare table">
          <input type="checkbox" checked={run.visible} onChange={(event) => commands.setVisible(runId, event.target.checked)} aria-label={`Show ${name} on charts`} />
          <span aria-hidden="true">show</span>
        </label>
      </div>
      <dl className="run-figures">
        <div>
          <dt>State</dt>
          <dd className={`run-status status-${run.status}`} data-testid="run-status" title={run.error ?? undefined}>
            {status}
          </dd>
        </div>
        <div>
          <dt>Steps</dt>
          <dd data-testid="run-steps">{formatInteger(run.totalSteps)}</dd>
        </div>
        <div>
          <dt>Swing-up at</dt>
          <dd data-testid="run-swing-up" title="First env step at which the mean of the last 10 episodes exceeded −200">
            {swingUpText(run.swingUpStep)}
          </dd>
        </div>
        <div>
          <dt>Best 100-ep. mean</dt>
          <dd data-testid="run-best100">{best100Text(run.best100)}</dd>
        </div>
      </dl>
      <div className="run-actions">
        <button
          type="button"
          aria-label={`${toggle.label} ${name}`}
          disabled={!toggle.enabled}
          onClick={() => (toggle.label === 'Pause' ? commands.pause(runId) : commands.resume(runId))}
        >
          {toggle.label}
        </button>
        <button type="button" aria-label={`Stop ${name}`} disabled={!canStop(run.status)} onClick={() => commands.stop(runId)} title="End the run; its last checkpoint and actor are kept">
          Stop
        </button>
        <button type="button" aria-label={`Duplicate ${name}`} onClick={() => commands.duplicate(runId)} title="Copy its settings into the hyperparameter editor">
          Duplicate
        </button>
        <button type="button" aria-label={`Download final actor of ${name}`} disabled={run.status === 'queued'} onClick={() => commands.downloadActor(runId, 'final')}>
          Actor ↓
        </button>
        <button
          type="button"
          aria-label={`Download best actor of ${name}`}
          disabled={run.best100 === null}
          onClick={() => commands.downloadActor(runId, 'best')}
          title="The actor at the best 100-episode mean"
        >
          Best ↓
        </button>
        <button type="button" aria-label={`Export ${name}`} onClick={() => void commands.exportRun(runId)} title="One file with settings, curves, checkpoint and actors">
          Export
        </button>
        <button type="button" className="danger" aria-label={`Delete ${name}`} onClick={() => commands.deleteRun(runId)}>
          Delete
        </button>
      </div>
    </li>
  );
});
