/**
 * Starting runs. The button reads "Start" while there is no run (today's single-run experience) and
 * "Add run" after: the editor's settings as one more run beside the others, or, with Seeds > 1, a group
 * of runs on seeds seed, seed+1, … Runs beyond what the machine trains at once wait as "queued"; the
 * note says how many train at once and why.
 */
import { useEffect, useState } from 'react';
import { ALGORITHM_SETTINGS } from '../../rl/algorithmSettings';
import { MAX_SEEDS, MIN_SEEDS } from '../../store/runsSlice';
import { playgroundStore, usePlayground } from '../../store/index';
import { AlgorithmSelect } from '../AlgorithmSelect';
import { useCommands } from '../commandsContext';

export function NewRunControls() {
  const commands = useCommands();
  const anyRun = usePlayground((state) => state.runOrder.length > 0);
  const seeds = usePlayground((state) => state.seeds);
  const algorithmLabel = usePlayground((state) => ALGORITHM_SETTINGS[state.algorithm].label);
  const concurrency = usePlayground((state) => state.concurrency);
  const queued = usePlayground((state) => Object.values(state.runs).filter((run) => run.status === 'queued').length);
  const [draft, setDraft] = useState(String(seeds));
  const [seedError, setSeedError] = useState<string | null>(null);
  useEffect(() => setDraft(String(seeds)), [seeds]);

  const commitSeeds = (text: string): void => {
    const value = Number(text);
    const error = Number.isInteger(value)
      ? playgroundStore.getState().setSeeds(value)
      : `Seeds must be a whole number from ${MIN_SEEDS} to ${MAX_SEEDS}.`;
    setSeedError(error);
    if (error !== null) setDraft(String(playgroundStore.getState().seeds));
  };

  const label = anyRun ? 'Add run' : 'Start';
  const title =
    seeds > 1
      ? `Start ${seeds} ${algorithmLabel} runs with these settings on seeds seed … seed+${seeds - 1} (a group)`
      : anyRun
        ? `Start another ${algorithmLabel} run with the settings in the editor, beside the existing ones`
        : `Train a new ${algorithmLabel} agent with these settings`;
  return (
    <div className="new-run">
      <div className="button-row">
        <button type="button" className="primary" data-testid="start-restart" onClick={() => commands.addRun()} title={title}>
          {label}
        </button>
        <AlgorithmSelect />
        <label className="seeds-field" title={`The same settings on ${MIN_SEEDS}–${MAX_SEEDS} seeds: more than one makes a group, drawn as mean and band`}>
          <span>Seeds</span>
          <input
            type="number"
            min={MIN_SEEDS}
            max={MAX_SEEDS}
            step={1}
            value={draft}
            aria-invalid={seedError !== null}
            onChange={(event) => {
              setDraft(event.target.value);
              if (event.target.value !== '') commitSeeds(event.target.value);
            }}
            onBlur={() => commitSeeds(draft)}
          />
        </label>
      </div>
      {seedError && (
        <p className="field-error" role="alert">
          {seedError}
        </p>
      )}
      <p className="hint" data-testid="concurrency">
        {concurrency.reason || `${concurrency.maxConcurrent} run${concurrency.maxConcurrent === 1 ? '' : 's'} train at a time.`}
        {queued > 0 && ` ${queued} queued.`}
      </p>
    </div>
  );
}
