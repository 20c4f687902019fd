/**
 * "Compare algorithms (lecture)" (issue 8), presentational: the button that asks for all five
 * algorithms × the seeds as groups, the "Same settings as SAC" toggle with what it shares, an optional
 * env-step budget, and the claims table with one verdict sentence per lecture claim. No store or worker
 * here: the page passes `onStart` (given the plan from src/page/lectureComparison.ts) and the `claims`
 * it computed with src/page/lectureClaims.ts from the comparison's runs.
 */
import { useId, useMemo, useState } from 'react';
import type { LectureClaimsResult } from '../../page/lectureClaims';
import {
  LECTURE_BUDGETS,
  LECTURE_SEED_COUNT,
  lectureComparisonPlan,
  lectureComparisonPlanFromInput,
  sharedSettingsSummary,
  type LectureComparisonPlan,
} from '../../page/lectureComparison';
import type { AlgorithmConfig } from '../../rl/algorithmSettings';
import { ALGORITHM_IDS } from '../../rl/algorithm';
import type { SacConfig } from '../../rl/sac/config';

export interface LectureComparisonProps {
  /** Called with the plan when the button is pressed and the inputs are valid. */
  onStart(plan: LectureComparisonPlan): void;
  /** The claims of the comparison's runs (lectureClaims(…)); null: none made yet. */
  claims: LectureClaimsResult | null;
  /** A comparison is running: the button is disabled. */
  running: boolean;
  /** SAC's settings the runs use and the toggle copies (default: SAC's defaults). */
  sacConfig?: SacConfig | AlgorithmConfig;
  /** Seeds per algorithm (default 3: seeds 1, 2, 3). */
  seeds?: number;
  /** Initial state of the toggle (default off). */
  initialSameSettingsAsSac?: boolean;
  /** Disable the button for another reason (shown beside it), e.g. "The page is still loading". */
  disabledReason?: string | null;
}

const BUTTON_LABEL = 'Compare algorithms (lecture)';

const COLUMNS: ReadonlyArray<{ label: string; title: string }> = [
  { label: 'Algorithm', title: 'One group per algorithm, same seeds and env' },
  { label: 'Steps to swing-up', title: 'First env step at which the last-10 mean exceeded −200: median and range over the seeds that got there, and how many did' },
  { label: 'Samples vs SAC', title: "Median steps to swing-up ÷ SAC's (lecture: TRPO/PPO are sample-hungry)" },
  { label: 'Wall clock to swing-up', title: 'Seconds of training to the swing-up, median over seeds' },
  { label: 'Fall-backs', title: 'Seeds whose 10-episode mean dropped below −400 after their swing-up episode (lecture: DDPG is brittle)' },
  { label: 'After swing-up', title: 'Lowest 10-episode mean and lowest episode score after the swing-up, and the mean per-seed standard deviation of the scores' },
  { label: 'α (temperature)', title: "First → last α, medians over seeds (lecture: SAC tunes its temperature automatically)" },
];

export function LectureComparison({ onStart, claims, running, sacConfig, seeds = LECTURE_SEED_COUNT, initialSameSettingsAsSac = false, disabledReason = null }: LectureComparisonProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const toggleId = `${id}-same`;
  const noteId = `${id}-note`;
  const stepsId = `${id}-steps`;
  const stepsHintId = `${id}-steps-hint`;
  const problemId = `${id}-problem`;
  const [sameSettingsAsSac, setSameSettingsAsSac] = useState(initialSameSettingsAsSac);
  const [stepsText, setStepsText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  // What the toggle would share with the current SAC settings (shown when it is on).
  const sharedLines = useMemo(() => {
    try {
      return sharedSettingsSummary(lectureComparisonPlan({ sameSettingsAsSac: true, ...(sacConfig ? { sacConfig } : {}) }));
    } catch {
      return [];
    }
  }, [sacConfig]);

  const start = (): void => {
    const result = lectureComparisonPlanFromInput({ sameSettingsAsSac, stepsText, seeds, ...(sacConfig ? { sacConfig } : {}) });
    if ('problem' in result) {
      setProblem(result.problem);
      return;
    }
    setProblem(null);
    onStart(result.plan);
  };

  const offPolicy = LECTURE_BUDGETS['off-policy'].toLocaleString('en-US');
  const onPolicy = LECTURE_BUDGETS['on-policy'].toLocaleString('en-US');
  const disabled = running || disabledReason !== null;

  return (
    <section className="card lecture-comparison" aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId}>Lecture comparison</h2>
      </div>
      <p className="hint">
        The lecture asks which algorithm is best for continuous actions. This starts SAC, DDPG, TD3, PPO and TRPO × {seeds} seed{seeds === 1 ? '' : 's'} ({ALGORITHM_IDS.length * seeds} runs)
        as one group per algorithm on the same pendulum and seeds. Every run spends the same env-step budget of its family ({offPolicy} off-policy, {onPolicy} on-policy;
        the lecture's stop rule is off), and the table below checks each lecture claim against the runs as they come in.
      </p>

      <div className="lecture-controls">
        <div>
          <input id={toggleId} type="checkbox" checked={sameSettingsAsSac} onChange={(event) => setSameSettingsAsSac(event.target.checked)} aria-describedby={noteId} />
          <label htmlFor={toggleId}>Same settings as SAC</label>
          <p id={noteId} className="hint">
            Copies SAC's γ, minibatch size, learning rates (PPO's single rate ← actor_lr, TRPO's value-net rate ← critic_lr) and warm-up (DDPG/TD3
            learning_starts ← SAC's batch_size) onto the others where they have that setting, for a like-for-like view; everything else stays each
            algorithm's tuned default.
          </p>
          {sameSettingsAsSac && sharedLines.length > 0 && (
            <ul className="hint lecture-shared">
              {sharedLines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <label htmlFor={stepsId}>Env steps per run</label>{' '}
          <input
            id={stepsId}
            type="text"
            inputMode="numeric"
            value={stepsText}
            placeholder={`${offPolicy} / ${onPolicy}`}
            onChange={(event) => setStepsText(event.target.value)}
            aria-describedby={problem ? `${stepsHintId} ${problemId}` : stepsHintId}
            aria-invalid={problem !== null}
          />
          <span id={stepsHintId} className="hint"> blank: {offPolicy} off-policy, {onPolicy} on-policy; one number: the same for all</span>
        </div>
        {problem !== null && (
          <p id={problemId} role="alert" className="error">
            {problem}
          </p>
        )}
        <div className="button-row">
          <button type="button" onClick={start} disabled={disabled} aria-busy={running}>
            {BUTTON_LABEL}
          </button>
          {running && <span className="hint" role="status">Comparison running…</span>}
          {!running && disabledReason !== null && <span className="hint">{disabledReason}</span>}
        </div>
      </div>

      {claims !== null && (
        <>
          <div className="table-scroll">
            <table className="compare-table lecture-claims-table">
              <caption>The lecture's claims, from the comparison's runs</caption>
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th key={column.label} scope="col" title={column.title}>
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {claims.rows.map((row) => (
                  <tr key={row.algorithm}>
                    <th scope="row">{row.label}</th>
                    <td>{row.swingUpText}</td>
                    <td>{row.samplesVsSacText}</td>
                    <td>{row.wallToSwingUpText}</td>
                    <td>{row.fallBacksText}</td>
                    <td>{row.stabilityText}</td>
                    <td>{row.alphaText}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="lecture-claims" aria-label="The lecture's claims">
            {claims.claims.map((claim) => (
              <li key={claim.id} className={`verdict-${claim.verdict.replace(/ /g, '-')}`}>
                <strong>
                  {claim.claim}: {claim.verdict}
                </strong>{' '}
                — {claim.evidence}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
