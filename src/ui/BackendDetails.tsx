/**
 * How the selected run's backend was chosen, behind a disclosure under the status: each backend measured
 * (or left out, and why), when and where it was measured, the WebGL renderer; and "Measure again", which
 * measures the run's shape afresh in a worker of its own (runs of that shape started afterwards use it).
 */
import { usePlayground } from '../store/index';
import { backendDetails, remeasuredSentence } from '../worker/describeMeasurements';
import type { BackendMessage } from '../worker/protocol';
import { useCommands } from './commandsContext';

export function BackendDetails({ backend }: { backend: BackendMessage | null }) {
  const commands = useCommands();
  const remeasure = usePlayground((state) => state.backendRemeasure);
  const measuring = remeasure?.state === 'measuring';
  let remeasureText = '';
  if (remeasure?.state === 'measuring') remeasureText = 'Measuring… (a few seconds)';
  else if (remeasure?.state === 'done' && remeasure.result) remeasureText = remeasuredSentence(remeasure.result);
  else if (remeasure?.state === 'failed') remeasureText = `Could not measure: ${remeasure.problem ?? 'unknown problem'}.`;
  return (
    <details className="backend-details" data-testid="backend-details">
      <summary>How the backend was chosen</summary>
      {backend ? (
        <ul data-testid="backend-details-list">
          {backendDetails(backend).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="sub">With the backend “auto”, a run’s first start here measures which backend trains fastest; later runs of the same shape reuse it.</p>
      )}
      <p className="backend-remeasure">
        <button type="button" onClick={() => commands.measureBackendsAgain()} disabled={measuring}>
          Measure again
        </button>{' '}
        <span aria-live="polite" data-testid="backend-remeasure">
          {remeasureText}
        </span>
      </p>
    </details>
  );
}
