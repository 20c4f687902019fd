/**
 * Under the pendulum (issue 9): Push left / Push right (the keyboard way to push), what the last push
 * did, "you drive", and the last test episode's seed and pushes.
 */
import { sidePushDelta } from '../../page/insightPush';
import { getPendulumFrame } from '../../store/pendulumFrame';
import { playgroundStore, usePlayground } from '../../store/index';
import { useCommands } from '../commandsContext';
import { canPushSelected } from '../PendulumCanvas';
import { YouDrive } from './YouDrive';
import './insight.css';

export function PendulumTools() {
  const commands = useCommands();
  const pushable = usePlayground(canPushSelected);
  const note = usePlayground((state) => state.pushNote);
  const lastTest = usePlayground((state) => (state.selectedRunId === null ? null : (state.lastTestEpisodes[state.selectedRunId] ?? null)));
  const testing = usePlayground((state) => (state.selectedRunId === null ? false : state.runs[state.selectedRunId]?.status === 'testing'));

  const replayLast = (): void => {
    const runId = playgroundStore.getState().selectedRunId;
    if (runId === null || lastTest === null || lastTest.seed === null || lastTest.physics === null) return;
    commands.startTest(runId, { seed: lastTest.seed, pushes: lastTest.pushes, physics: lastTest.physics });
  };

  const pushSide = (side: 'left' | 'right'): void => {
    const runId = playgroundStore.getState().selectedRunId;
    if (runId === null) return;
    const theta = getPendulumFrame().frame?.theta ?? Math.PI;
    commands.push(runId, { deltaThetaDot: sidePushDelta(side, theta) });
  };

  return (
    <div className="insight-tools">
      <p className="sub" id="pendulum-push-hint">
        During Test policy (or training in watch mode): drag the bob to move it, flick it to throw it, click or swipe beside it to push it.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => pushSide('left')} disabled={!pushable} title="Give the bob a push to the left (Δθ̇ 3 rad/s)">
          Push left
        </button>
        <button type="button" onClick={() => pushSide('right')} disabled={!pushable} title="Give the bob a push to the right (Δθ̇ 3 rad/s)">
          Push right
        </button>
      </div>
      <p className={`insight-note${note?.error ? ' error' : ''}`} role="status" aria-live="polite" data-testid="push-status">
        {note?.text ?? ''}
      </p>
      {lastTest && (
        <p className="sub" data-testid="last-test-episode">
          Last test episode: score {lastTest.score.toFixed(1)}
          {lastTest.seed !== null ? `, reset seed ${lastTest.seed}` : ''}
          {lastTest.pushes.length > 0
            ? `, ${lastTest.pushes.length} push${lastTest.pushes.length === 1 ? '' : 'es'} at step${lastTest.pushes.length === 1 ? '' : 's'} ${lastTest.pushes.map((push) => push.step).join(', ')}`
            : ', no pushes'}
          .{' '}
          <button
            type="button"
            onClick={replayLast}
            disabled={testing || lastTest.seed === null || lastTest.physics === null}
            title={testing ? 'Stop the test first' : 'Plays this episode again: same start, same physics, your pushes at the same steps'}
          >
            Replay last test episode
          </button>
        </p>
      )}
      <YouDrive />
    </div>
  );
}
