/**
 * Controls of the selected run (the one highlighted in the runs list): Pause/Resume (Space), Test
 * policy, actor weights out and in; and the speed and backend settings. Starting runs lives in the
 * runs panel (Start / Add run).
 */
import { useRef } from 'react';
import { selectedRun, usePlayground } from '../store/index';
import { ActorFileOffer } from './ActorFileOffer';
import { BackendSelect } from './BackendSelect';
import { useCommands } from './commandsContext';
import { pauseToggle } from './runList/runText';
import { SpeedControl } from './SpeedControl';

export function Controls() {
  const commands = useCommands();
  const runId = usePlayground((state) => state.selectedRunId);
  const status = usePlayground((state) => selectedRun(state)?.status ?? null);
  const fileInput = useRef<HTMLInputElement>(null);

  const toggle = status === null ? { label: 'Pause' as const, enabled: false } : pauseToggle(status);
  const testing = status === 'testing';
  const canTest = runId !== null && status !== 'queued' && status !== 'starting' && status !== 'failed';

  return (
    <section className="card controls" aria-label="Controls">
      <div className="button-row">
        <button
          type="button"
          onClick={() => commands.togglePauseSelected()}
          disabled={!toggle.enabled}
          aria-keyshortcuts="Space"
          title="Pause or resume the selected run (Space)"
        >
          {toggle.label}
        </button>
        <button
          type="button"
          onClick={() => runId !== null && (testing ? commands.stopTest(runId) : commands.startTest(runId))}
          disabled={!canTest}
          title="The selected run's deterministic actor (SAC: 2·tanh(μ); PPO/TRPO: clip(μ, −2, 2)) in real time, no learning (the lecture's test.py)"
        >
          {testing ? 'Stop test' : 'Test policy'}
        </button>
      </div>
      <div className="button-row secondary">
        <button type="button" onClick={() => runId !== null && commands.downloadActor(runId, 'final')} disabled={runId === null || status === 'queued'}>
          Download actor weights
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} title="SAC actor files (sac-pendulum-….json + .weights.bin) into the selected run, or a new paused SAC run when none is selected. PPO and TRPO runs can't take them (their worker says why).">
          Load actor weights
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept=".json,.bin,application/json,application/octet-stream"
          className="visually-hidden"
          aria-label="Actor weight files (model .json and .weights.bin)"
          data-testid="load-weights-input"
          tabIndex={-1}
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            event.target.value = '';
            if (files.length > 0) void commands.loadActor(files);
          }}
        />
      </div>
      <ActorFileOffer />
      <div className="control-row">
        <BackendSelect />
        <SpeedControl />
      </div>
    </section>
  );
}
