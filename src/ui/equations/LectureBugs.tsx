/**
 * "Lecture as written vs fixed" (presentational): the button that starts the two 3-seed SAC groups, and
 * their steps to swing-up side by side (median over the seeds that swung up, k of N, each seed). The
 * curves themselves are on the charts: the groups are ordinary groups of the runs list.
 */
import { formatInteger } from '../format';
import { LECTURE_BUGS_BUDGET, type LectureBugsResult } from '../../page/lectureBugs';

export interface LectureBugsProps {
  onStart: () => void;
  /** The newest pair (as written, fixed), or [] before the button was pressed. */
  results: readonly LectureBugsResult[];
}

function signed(value: number): string {
  return Number.isFinite(value) ? String(value).replace('-', '−') : '—';
}

export function LectureBugs({ onStart, results }: LectureBugsProps) {
  const running = results.reduce((sum, result) => sum + result.running, 0);
  return (
    <section className="lecture-bugs" aria-labelledby="lecture-bugs-title">
      <h3 id="lecture-bugs-title" className="equations-subhead">
        Lecture bugs, measured
      </h3>
      <p className="hint">
        The lecture&apos;s code passes tanh(z) ∈ (−1, 1) to the env (half the torque: action scale 1) and computes the target entropy as −0.0
        instead of −dim(A) = −1. The button starts both versions as 3-seed SAC groups on the same seeds, {formatInteger(LECTURE_BUGS_BUDGET)} env
        steps each; their curves appear on the charts.
      </p>
      <button type="button" onClick={onStart}>
        Lecture as written vs fixed
      </button>
      {results.length > 0 && (
        <table className="compare-table lecture-bugs-table" aria-label="Lecture as written vs fixed">
          <caption>
            Steps to swing-up: first env step where the mean of the last 10 episodes exceeds −200.
            {running > 0 ? ` ${running} run${running === 1 ? '' : 's'} still queued or training: a seed without a swing-up yet may still get one.` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Action scale</th>
              <th scope="col">Target entropy H̄</th>
              <th scope="col">Median steps to swing-up</th>
              <th scope="col">Seeds swung up</th>
              <th scope="col">Per seed</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result) => (
              <tr key={result.variant}>
                <th scope="row">{result.label}</th>
                <td>{signed(result.actionScale)}</td>
                <td>{signed(result.targetEntropy)}</td>
                <td data-testid={`lecture-bugs-median-${result.variant}`}>{result.median === null ? '—' : formatInteger(result.median)}</td>
                <td>
                  {result.reached} of {result.total}
                </td>
                <td>
                  {result.seeds
                    .map((seed) => `seed ${seed.seed}: ${seed.swingUpStep === null ? (seed.finished ? 'never' : '—') : formatInteger(seed.swingUpStep)}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
