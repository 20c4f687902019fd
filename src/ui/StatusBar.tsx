/** Run status (role="status"): counters, α, scores, time, backend, and the goal. */
import { describeMeasurements } from '../worker/describeMeasurements';
import { usePlayground } from '../store/index';
import { formatDecimal, formatDuration, formatInteger, formatSignificant } from './format';
import type { RunPhase } from '../worker/protocol';
import type { StopReason } from '../rl/types';

const PHASE_TEXT: Record<RunPhase, string> = {
  idle: 'Ready',
  starting: 'Starting…',
  running: 'Training',
  paused: 'Paused',
  stopped: 'Stopped',
  testing: 'Testing policy',
};

const STOP_TEXT: Record<StopReason, string> = {
  goal: 'goal reached',
  maxEpisodes: 'episode limit',
  maxSteps: 'step limit',
  nonFinite: 'NaN loss',
};

export function StatusBar() {
  const phase = usePlayground((state) => state.phase);
  const episodesDone = usePlayground((state) => state.episodesDone);
  const totalSteps = usePlayground((state) => state.totalSteps);
  const updatesPerSecond = usePlayground((state) => state.updatesPerSecond);
  const elapsedSeconds = usePlayground((state) => state.elapsedSeconds);
  const goalReachedAtEpisode = usePlayground((state) => state.goalReachedAtEpisode);
  const last = usePlayground((state) => state.episodes[state.episodes.length - 1]);
  const backend = usePlayground((state) => state.backend);
  const test = usePlayground((state) => state.test);
  const stopReason = usePlayground((state) => state.stopReason);
  const numTensorsAtStart = usePlayground((state) => state.numTensorsAtStart);

  const backendText = backend
    ? `${backend.backend}${backend.backend === 'webgl' && backend.renderer ? ` (${backend.renderer})` : ''}`
    : '—';
  const rendererNote =
    backend && backend.backend !== 'webgl' && backend.renderer ? `WebGL renderer: ${backend.renderer}` : null;

  return (
    <section className="card status" aria-label="Run status">
      <div role="status" aria-live="polite" className="status-grid" data-tensors-at-start={numTensorsAtStart ?? ''}>
        <div className={`phase phase-${phase}`} data-testid="phase">
          {PHASE_TEXT[phase]}
          {phase === 'stopped' && stopReason !== null && `: ${STOP_TEXT[stopReason]}`}
        </div>
        <dl>
          <div>
            <dt>Episode</dt>
            <dd data-testid="episode">Episode {formatInteger(episodesDone)}</dd>
          </div>
          <div>
            <dt>Step</dt>
            <dd data-testid="step">Step {formatInteger(totalSteps)}</dd>
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
            <dd data-testid="elapsed">{formatDuration(elapsedSeconds)}</dd>
          </div>
          <div className="wide">
            <dt>Backend</dt>
            <dd data-testid="backend" title={rendererNote ?? undefined}>
              {backendText}
              {rendererNote && <span className="sub"> · {rendererNote}</span>}
            </dd>
            {backend?.fallbackReason && (
              <dd className="fallback" data-testid="backend-fallback">
                {backend.fallbackReason}
              </dd>
            )}
            {backend?.measurements && (
              <dd className="sub" data-testid="backend-measured">
                fastest measured here: {describeMeasurements(backend.measurements)}
              </dd>
            )}
          </div>
        </dl>
        {goalReachedAtEpisode !== null && (
          <p className="goal" data-testid="goal">
            Goal reached at episode {goalReachedAtEpisode}
          </p>
        )}
        {(phase === 'testing' || test.episodes > 0) && (
          <p className="test-summary" data-testid="test-summary">
            Test policy: {test.episodes} episode{test.episodes === 1 ? '' : 's'} · last score {formatDecimal(test.lastScore, 1)} · mean{' '}
            {formatDecimal(test.meanScore, 1)}
          </p>
        )}
      </div>
    </section>
  );
}
