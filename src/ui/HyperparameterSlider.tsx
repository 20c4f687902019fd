/**
 * One hyperparameter of an algorithm's table: labelled slider (log scale for learning rates) plus an
 * exact-value box, its default, range, one-line description and source (where the table names one), and
 * whether it applies live (with the worker's confirmation) or at restart. Out-of-range entries are
 * refused with the table's message.
 */
import { useEffect, useId, useState } from 'react';
import type { AlgorithmId } from '../rl/algorithm';
import { ALGORITHM_SETTINGS } from '../rl/algorithmSettings';
import { describeSpecRange } from '../rl/hyperparameterTable';
import { selectedRun, usePlayground } from '../store/index';
import { useCommands } from './commandsContext';
import { formatParameter, positionToValue, sliderRange, valueToPosition } from './sliderScale';

export function HyperparameterSlider({ algorithm, name }: { algorithm: AlgorithmId; name: string }) {
  const client = useCommands();
  const spec = ALGORITHM_SETTINGS[algorithm].table[name];
  const value = usePlayground((state) => state.config[name] ?? spec?.defaultValue ?? 0);
  // The selected run's value, when it is a run of the algorithm shown (live edits reach only such a run).
  const runValue = usePlayground((state) => {
    const run = selectedRun(state);
    return run && run.algorithm === algorithm ? run.config[name] : undefined;
  });
  const change = usePlayground((state) => state.liveChanges[name]);
  const fieldError = usePlayground((state) => state.fieldErrors[name]);
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(typeof value === 'number' ? formatParameter(value) : String(value)), [value]);
  if (!spec) return null;
  const label = `${spec.label} (${spec.lectureName})`;

  let status: { text: string; kind: 'ok' | 'pending' | 'error' | 'muted' } | null = null;
  if (runValue !== undefined) {
    if (spec.live) {
      if (change?.state === 'sending') status = { text: 'sending…', kind: 'pending' };
      else if (change?.state === 'applied')
        status = { text: change.atStep === null ? '✓ applies at start' : `✓ applied at step ${change.atStep}`, kind: 'ok' };
      else if (change?.state === 'rejected') status = { text: change.message, kind: 'error' };
    } else if (runValue !== value) {
      status = { text: `run uses ${String(runValue)}: a new run (Add run) uses this`, kind: 'pending' };
    }
  }

  const defaultText = typeof spec.defaultValue === 'number' ? formatParameter(spec.defaultValue) : String(spec.defaultValue);
  const changed = value !== spec.defaultValue;
  const badge = <span className={`badge ${spec.live ? 'badge-live' : 'badge-restart'}`}>{spec.live ? 'live' : 'restart'}</span>;
  const source = spec.source ? (
    <p className="param-source" title={`Where the default comes from: ${spec.source}`}>
      source: {spec.source}
    </p>
  ) : null;

  if (typeof value === 'boolean') {
    return (
      <div className={`param${changed ? ' param-changed' : ''}`} data-key={name}>
        <div className="param-head">
          <label className="checkbox" htmlFor={id}>
            <input id={id} type="checkbox" checked={value} onChange={(event) => client.changeParameter(name, event.target.checked)} />
            {label}
          </label>
          {badge}
        </div>
        <p className="param-meta">default {defaultText}</p>
        <p className="param-desc" id={`${id}-desc`}>{spec.description}</p>
        {source}
        {status && <p className={`param-status status-${status.kind}`} data-testid={`live-status-${name}`}>{status.text}</p>}
      </div>
    );
  }

  const range = sliderRange(spec);
  const commitDraft = (): void => {
    const trimmed = draft.trim();
    const parsed = trimmed === '' ? Number.NaN : Number(trimmed);
    const error = client.changeParameter(name, parsed);
    if (error !== null) setDraft(formatParameter(value));
  };

  return (
    <div className={`param${changed ? ' param-changed' : ''}`} data-key={name}>
      <div className="param-head">
        <label htmlFor={id}>{label}</label>
        {badge}
      </div>
      <div className="param-row">
        <input
          id={id}
          type="range"
          min={range.min}
          max={range.max}
          step={range.step}
          value={valueToPosition(spec, value)}
          aria-valuetext={formatParameter(value)}
          aria-describedby={`${id}-desc`}
          onChange={(event) => client.changeParameter(name, positionToValue(spec, Number(event.target.value)))}
        />
        <input
          type="text"
          inputMode="decimal"
          className="param-value"
          aria-label={`${label} value`}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commitDraft}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commitDraft();
            if (event.key === 'Escape') setDraft(formatParameter(value));
          }}
        />
      </div>
      <p className="param-meta">
        default {defaultText} · {describeSpecRange(spec)}
        {spec.scale === 'log' ? ' · log scale' : ''}
      </p>
      <p className="param-desc" id={`${id}-desc`}>{spec.description}</p>
      {source}
      {fieldError && <p className="param-status status-error" role="alert">{fieldError}</p>}
      {status && <p className={`param-status status-${status.kind}`} data-testid={`live-status-${name}`}>{status.text}</p>}
    </div>
  );
}
