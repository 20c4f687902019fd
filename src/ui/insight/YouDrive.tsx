/**
 * "You drive" (issue 9): the canvas shows a pendulum simulated here on the main thread with the agents'
 * own env class; hold ← (counter-clockwise) or → (clockwise) for ± max torque, 20 steps per second,
 * 200 steps. Your score (the env's return) sits beside the agent's last test score. Keys typed into a
 * field, a slider, a select or a radio group stay theirs.
 */
import { useEffect, useRef, useState } from 'react';
import { combinedInput, DriveSession, driveInputOfKey, keyBelongsToFocus, setDriveFrame, stepsDue } from '../../page/insightDrive';
import { DEFAULT_PHYSICS } from '../../rl/env/physics';
import { MAX_EPISODE_STEPS } from '../../rl/env/pendulum';
import { playgroundStore, usePlayground } from '../../store/index';
import { formatDecimal } from '../format';

const TICK_MS = 25;

export function YouDrive() {
  const active = usePlayground((state) => state.driveActive);
  const lastScore = usePlayground((state) => state.driveLastScore);
  const agentScore = usePlayground((state) => {
    const runId = state.selectedRunId;
    if (runId === null) return null;
    const episode = state.lastTestEpisodes[runId];
    if (episode) return episode.score;
    return state.test.runId === runId ? state.test.lastScore : null;
  });
  const [progress, setProgress] = useState<{ step: number; score: number; done: boolean }>({ step: 0, score: 0, done: false });
  const [episode, setEpisode] = useState(1);
  const keys = useRef({ left: false, right: false });

  useEffect(() => {
    if (!active) return undefined;
    const state = playgroundStore.getState();
    const physics = (state.selectedRunId !== null ? state.physicsByRun[state.selectedRunId]?.physics : undefined) ?? DEFAULT_PHYSICS;
    const session = new DriveSession(episode, physics);
    const started = performance.now();
    setDriveFrame(session.frame(started));
    setProgress({ step: 0, score: 0, done: false });
    keys.current = { left: false, right: false };

    const onKey = (event: KeyboardEvent, down: boolean): void => {
      const input = driveInputOfKey(event.key);
      if (input === null || event.ctrlKey || event.metaKey || event.altKey || keyBelongsToFocus(event.target)) return;
      event.preventDefault();
      if (input === 1) keys.current.left = down;
      else keys.current.right = down;
    };
    const onKeyDown = (event: KeyboardEvent): void => onKey(event, true);
    const onKeyUp = (event: KeyboardEvent): void => onKey(event, false);
    const onBlur = (): void => {
      keys.current = { left: false, right: false };
    };
    const timer = window.setInterval(() => {
      if (session.done) return;
      const now = performance.now();
      const due = stepsDue(now - started, session.steps);
      if (due === 0) return;
      for (let index = 0; index < due; index += 1) session.step(combinedInput(keys.current.left, keys.current.right));
      setDriveFrame(session.frame(now));
      setProgress({ step: session.steps, score: session.score, done: session.done });
      if (session.done) playgroundStore.getState().setDriveLastScore(session.score);
    }, TICK_MS);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      setDriveFrame(null);
    };
  }, [active, episode]);

  const store = playgroundStore.getState();
  return (
    <div className="you-drive">
      <div className="button-row">
        <button type="button" aria-pressed={active} onClick={() => store.setDriveActive(!active)} title="Drive the pendulum yourself with ← and → (± max torque), 20 steps per second, 200 steps">
          You drive
        </button>
        {active && (
          <button type="button" onClick={() => setEpisode((value) => value + 1)}>
            Drive again
          </button>
        )}
      </div>
      {active && (
        <p className="drive-score" role="status" aria-live="polite" data-testid="drive-score">
          {progress.done ? 'Your score' : `Step ${progress.step} / ${MAX_EPISODE_STEPS} · your score so far`}: {formatDecimal(progress.score, 1)} · agent&apos;s last test score:{' '}
          {formatDecimal(agentScore, 1)}
          {lastScore !== null && !progress.done ? ` · your last: ${formatDecimal(lastScore, 1)}` : ''}
        </p>
      )}
      {active && (
        <p className="sub">
          Hold <kbd>←</kbd> to turn counter-clockwise, <kbd>→</kbd> clockwise (full torque). Swing it up and keep it there: every step costs θ² + 0.1·θ̇² + 0.001·torque².
        </p>
      )}
    </div>
  );
}
