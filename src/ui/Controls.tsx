/** Run controls: Start, Pause/Resume, Restart, Test policy, weights out and in, metrics CSV. */
import { useRef } from 'react';
import { hasRun, usePlayground } from '../store/index';
import { saveFileInBrowser, type TrainingClient } from '../worker/client';
import { BackendSelect } from './BackendSelect';
import { SpeedControl } from './SpeedControl';

export function Controls({ client }: { client: TrainingClient }) {
  const phase = usePlayground((state) => state.phase);
  const runExists = usePlayground(hasRun);
  const workerReady = usePlayground((state) => state.workerReady);
  const noEpisodes = usePlayground((state) => state.episodes.length === 0);
  const runName = usePlayground((state) => state.runName);
  const fileInput = useRef<HTMLInputElement>(null);

  const starting = phase === 'starting';
  const testing = phase === 'testing';
  const pauseLabel = phase === 'paused' ? 'Resume' : 'Pause';

  return (
    <section className="card controls" aria-label="Controls">
      <div className="button-row">
        {/* One button: "Start" before the first run, "Restart" (a new run with the current settings) after.
            Only one of the two names exists at a time, so neither is ambiguous. */}
        <button
          type="button"
          className={runExists ? undefined : 'primary'}
          data-testid="start-restart"
          onClick={() => client.start()}
          disabled={!workerReady || starting}
          title={runExists ? 'A new run with the current settings (frees the old one)' : 'Train a new agent with these settings'}
        >
          {runExists ? 'Restart' : 'Start'}
        </button>
        <button
          type="button"
          onClick={() => client.togglePause()}
          disabled={!(phase === 'running' || phase === 'paused')}
          aria-keyshortcuts="Space"
          title="Space toggles pause"
        >
          {pauseLabel}
        </button>
        <button
          type="button"
          onClick={() => (testing ? client.stopTest() : client.startTest())}
          disabled={!runExists || starting}
          title="The deterministic actor 2·tanh(μ) in real time, no learning (the lecture's test.py)"
        >
          {testing ? 'Stop test' : 'Test policy'}
        </button>
      </div>
      <div className="button-row secondary">
        <button type="button" onClick={() => client.downloadActor()} disabled={!runExists || starting}>
          Download actor weights
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} disabled={!workerReady || starting}>
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
            if (files.length > 0) void client.loadActor(files);
          }}
        />
        <button
          type="button"
          onClick={() => saveFileInBrowser(`sac-pendulum-${runName ?? 'run'}-metrics.csv`, new Blob([client.metricsCsv()], { type: 'text/csv' }))}
          disabled={noEpisodes}
        >
          Export metrics (CSV)
        </button>
      </div>
      <div className="control-row">
        <BackendSelect />
        <SpeedControl client={client} />
      </div>
    </section>
  );
}
