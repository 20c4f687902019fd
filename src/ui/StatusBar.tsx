/**
 * Status of the selected run (role="status"): state, counters, α, scores, time, the backend in one plain
 * sentence, and the goal. How the backend was chosen (each measurement, the WebGL renderer) is behind a
 * disclosure below, with "Measure again".
 */
import { backendSentence } from '../worker/describeMeasurements';
import { selectedBackend, selectedEpisodes, selectedRun, selectedTest, usePlayground } from '../store/index';
import { BackendDetails } from './BackendDetails';
import { formatDecimal, formatDuration, formatInteger, formatSignificant } from './format';
import { statusText } from './runList/runText';

export function StatusBar() {
  const run = usePlayground(selectedRun);
  const last = usePlayground((state) => {
    const episodes = selectedEpisodes(state);
    return episodes[episodes.length - 1];
  });
  const backend = usePlayground(selectedBackend);
  const test = usePlayground(selectedTest);
  const tensorsAtStart = usePlayground((state) => (state.selectedRunId === null ? null : (state.tensors[state.selectedRunId]?.atStart ?? null)));

  const backendText = backend ? backendSentence(backend, run?.algorithm ?? null) : '—';
  const status = run?.status ?? null;
  const updatesPerSecond = status === 'training' ? (run?.updatesPerSecond ?? 0) : 0;

  return (
    <section className="card status" aria-label="Run status">
      <div role="status" aria-live="polite" aria-label="Selected run status" className="status-grid" data-tensors-at-start={tensorsAtStart ?? ''}>
        <div className={`phase phase-${status ?? 'none'}`} data-testid="phase">
          {run ? statusText(run) : 'Ready'}
        </div>
        <p className="selected-run-name" data-testid="selected-run">
          {run ? (
            <>
              <span className="swatch" style={{ background: run.color }} aria-hidden="true" /> {run.name}
            </>
          ) : (
            'No run selected'
          )}
        </p>
        <dl>
          <div>
            <dt>Episode</dt>
            <dd data-testid="episode">Episode {formatInteger(run?.episodesDone ?? 0)}</dd>
          </div>
          <div>
            <dt>Step</dt>
            <dd data-testid="step">Step {formatInteger(run?.totalSteps ?? 0)}</dd>
          </div>
          <div>
            <dt>Updates/s</dt>
            <dd data-testid="updates-per-second">{formatDecimal(updatesPerSecond, 0)} updates/s</dd>
          </div>
          <div>
            <dt>Temperature</dt>
            <dd data-testid="alpha">α {formatSignificant(last?.alpha)}</dd>
          </div>
          <div>
            <dt>Last score</dt>
            <dd data-testid="last-score">{formatDecimal(last?.score, 1)}</dd>
          </div>
          <div>
            <dt>100-episode mean</dt>
            <dd data-testid="avg100">{formatDecimal(last?.avg100, 1)}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd data-testid="elapsed">{formatDuration(run?.elapsedSeconds ?? 0)}</dd>
          </div>
          <div className="wide">
            <dt>Backend</dt>
            <dd data-testid="backend">{backendText}</dd>
            {backend?.fallbackReason && (
              <dd className="fallback" data-testid="backend-fallback">
                {backend.fallbackReason}
              </dd>
            )}
          </div>
        </dl>
        {run?.goalReachedAtEpisode != null && (
          <p className="goal" data-testid="goal">
            Goal reached at episode {run.goalReachedAtEpisode}
          </p>
        )}
        {test && (status === 'testing' || test.episodes > 0) && (
          <p className="test-summary" data-testid="test-summary">
            Test policy: {test.episodes} episode{test.episodes === 1 ? '' : 's'} · last score {formatDecimal(test.lastScore, 1)} · mean{' '}
            {formatDecimal(test.meanScore, 1)}
          </p>
        )}
      </div>
      <BackendDetails backend={backend} />
    </section>
  );
}
