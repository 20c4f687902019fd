/**
 * "Physics" (issue 9): g, mass, length, max torque and max speed of the selected run's test env (and of
 * its training from the next episode, when ticked), each a slider with an exact-value box and
 * Gymnasium's default marked; values outside the ranges the worker accepts are refused with a message.
 * "Robustness" scores the run's deterministic actor over 10 episodes for each of 8 values of one setting
 * and plots the return against the value.
 */
import { useEffect, useId, useState } from 'react';
import { DEFAULT_PHYSICS, PHYSICS_KEYS, PHYSICS_RANGES } from '../../rl/env/physics';
import { draftOf, parsePhysicsDraft, physicsLabel, ROBUSTNESS_EPISODES, SWEEPS, type PhysicsDraft, type PhysicsKey } from '../../page/insightPhysics';
import { playgroundStore, selectedRun, usePlayground } from '../../store/index';
import { useCommands } from '../commandsContext';
import { RobustnessChart } from './RobustnessChart';
import './insight.css';

function PhysicsSetting({ name, draft, onDraft, onCommit }: { name: PhysicsKey; draft: string; onDraft: (value: string) => void; onCommit: () => void }) {
  const id = useId();
  const { min, max } = PHYSICS_RANGES[name];
  const label = physicsLabel(name);
  const numeric = Number(draft);
  const position = Number.isFinite(numeric) ? Math.min(max, Math.max(min, numeric)) : DEFAULT_PHYSICS[name];
  const step = max - min > 10 ? 0.5 : 0.05;
  return (
    <div className={`physics-setting${Number(draft) !== DEFAULT_PHYSICS[name] ? ' param-changed' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="physics-inputs">
        <input
          id={id}
          type="range"
          min={min}
          max={max}
          step={step}
          value={position}
          list={`${id}-default`}
          aria-valuetext={draft}
          onChange={(event) => onDraft(event.target.value)}
        />
        <datalist id={`${id}-default`}>
          <option value={DEFAULT_PHYSICS[name]} label="Gymnasium default" />
        </datalist>
        <input
          type="text"
          inputMode="decimal"
          aria-label={`${label} value`}
          value={draft}
          onChange={(event) => onDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') onCommit();
          }}
        />
      </div>
      <p className="sub">
        Gymnasium default {DEFAULT_PHYSICS[name]} · range {min}–{max}
      </p>
    </div>
  );
}

export function PhysicsPanel() {
  const commands = useCommands();
  // Primitives only: the run's record changes with every progress message.
  const runId = usePlayground((state) => state.selectedRunId);
  const runName = usePlayground((state) => selectedRun(state)?.name ?? null);
  const held = usePlayground((state) => (state.selectedRunId === null ? null : (state.physicsByRun[state.selectedRunId] ?? null)));
  const note = usePlayground((state) => state.physicsNote);
  const robustness = usePlayground((state) => state.robustness);
  const [draft, setDraft] = useState<PhysicsDraft>(() => draftOf(held?.physics ?? DEFAULT_PHYSICS));
  const [applyToTraining, setApplyToTraining] = useState(held?.applyToTraining ?? false);
  const [parameter, setParameter] = useState<PhysicsKey>('gravity');
  const [now, setNow] = useState(() => Date.now());
  const trainingId = useId();
  const sweepId = useId();

  // Another run selected: its physics.
  useEffect(() => {
    const physics = runId === null ? undefined : playgroundStore.getState().physicsByRun[runId];
    setDraft(draftOf(physics?.physics ?? DEFAULT_PHYSICS));
    setApplyToTraining(physics?.applyToTraining ?? false);
  }, [runId]);

  const running = robustness?.running === true;
  useEffect(() => {
    if (!running) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [running]);

  const apply = (): void => {
    const store = playgroundStore.getState();
    const parsed = parsePhysicsDraft(draft);
    if ('problem' in parsed) {
      store.setPhysicsNote({ text: parsed.problem, error: true });
      return;
    }
    if (runId === null) {
      store.setPhysicsNote({ text: 'Select a run first: the physics apply to its test env.', error: true });
      return;
    }
    commands.setPhysics(runId, parsed.physics, applyToTraining);
  };
  const reset = (): void => setDraft(draftOf(DEFAULT_PHYSICS));

  const sweep = SWEEPS[parameter];
  const shownSweep = robustness && robustness.runId === runId ? robustness : null;
  const elapsed = shownSweep?.running ? Math.max(0, Math.round((now - shownSweep.startedAt) / 1000)) : 0;

  return (
    <section className="card physics" aria-labelledby="physics-title">
      <div className="card-head">
        <h2 id="physics-title">Physics</h2>
        <span className="sub">{runName !== null ? `Test env of "${runName}"` : 'Select a run'}</span>
      </div>
      <div className="physics-grid">
        {PHYSICS_KEYS.map((key) => (
          <PhysicsSetting key={key} name={key} draft={draft[key]} onDraft={(value) => setDraft((current) => ({ ...current, [key]: value }))} onCommit={apply} />
        ))}
      </div>
      <div className="physics-actions">
        <label htmlFor={trainingId} className="insight-toggle">
          <input id={trainingId} type="checkbox" checked={applyToTraining} onChange={(event) => setApplyToTraining(event.target.checked)} />
          Also for training from the next episode
        </label>
        <button type="button" onClick={apply} disabled={runId === null}>
          Apply physics
        </button>
        <button type="button" onClick={reset}>
          Gymnasium defaults
        </button>
      </div>
      <p className={`physics-note${note?.error ? ' error' : ''}`} role="status" aria-live="polite" data-testid="physics-status">
        {note?.text ?? (held ? '' : "The test env uses Gymnasium's defaults.")}
      </p>
      <div className="robustness">
        <div className="physics-actions">
          <label htmlFor={sweepId} className="insight-compare">
            Sweep parameter
          </label>
          <select id={sweepId} value={parameter} onChange={(event) => setParameter(event.target.value as PhysicsKey)}>
            {PHYSICS_KEYS.map((key) => (
              <option key={key} value={key}>
                {physicsLabel(key)}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => runId !== null && commands.runRobustness(runId, parameter, sweep)}
            disabled={runId === null || running}
            aria-busy={running}
            title={`Score the selected run's deterministic actor over ${ROBUSTNESS_EPISODES} episodes at each of ${sweep.join(', ')}`}
          >
            Robustness
          </button>
          <span className="sub">
            {sweep.length} values ({sweep[0]}…{sweep[sweep.length - 1]}) × {ROBUSTNESS_EPISODES} episodes
          </span>
        </div>
        <p className={`physics-note${shownSweep?.error ? ' error' : ''}`} role="status" aria-live="polite" data-testid="robustness-status">
          {shownSweep?.running
            ? `Scoring ${physicsLabel(shownSweep.parameter)} at ${shownSweep.values.length} values × ${shownSweep.episodes} episodes… ${elapsed} s`
            : shownSweep?.error
              ? `Robustness sweep failed: ${shownSweep.error}`
              : shownSweep
                ? `Return of "${runName ?? ''}" against ${physicsLabel(shownSweep.parameter)} (${shownSweep.episodes} episodes each; others at the test physics).`
                : ''}
        </p>
        {shownSweep && !shownSweep.running && !shownSweep.error && shownSweep.meanReturn.length > 0 && (
          <RobustnessChart
            parameter={shownSweep.parameter}
            values={shownSweep.values}
            meanReturn={shownSweep.meanReturn}
            minReturn={shownSweep.minReturn}
            maxReturn={shownSweep.maxReturn}
          />
        )}
      </div>
    </section>
  );
}
