/**
 * "Phase-space maps" (issue 9): while the panel is open, the selected run (and the run chosen under
 * "Compare with run") compute their maps in their workers about once a second; the user picks which map
 * (those the run's algorithm has). Closing the panel, or showing other runs, turns the others' maps off.
 */
import { useEffect, useId } from 'react';
import { runsInOrder, selectedRun, usePlayground } from '../../store/index';
import { playgroundStore } from '../../store/index';
import type { InsightMapKey } from '../../worker/protocol';
import { useCommands } from '../commandsContext';
import { MAP_CHOICES, mapKeysOfAlgorithm } from './mapChoices';
import { PhaseMap } from './PhaseMap';
import './insight.css';

export function InsightPanel() {
  const commands = useCommands();
  const open = usePlayground((state) => state.insightOpen);
  const mapKey = usePlayground((state) => state.insightMapKey);
  // Primitives only: the run's record changes with every progress message, the panel needs its id and name.
  const selectedId = usePlayground((state) => state.selectedRunId);
  const selectedName = usePlayground((state) => selectedRun(state)?.name ?? null);
  const selected = selectedId !== null && selectedName !== null ? { id: selectedId, name: selectedName } : null;
  const compareId = usePlayground((state) => state.insightCompareRunId);
  const compareName = usePlayground((state) => (state.insightCompareRunId === null ? null : (state.runs[state.insightCompareRunId]?.name ?? null)));
  const compareRun = compareId !== null && compareName !== null ? { id: compareId, name: compareName } : null;
  const runChoices = usePlayground((state) => runsInOrder(state).map((run) => `${run.id}\u0000${run.name}`).join('\u0001'));
  const selectedKeys = usePlayground((state) => {
    const run = selectedRun(state);
    if (!run) return '';
    const maps = state.insightMaps[run.id]?.maps;
    return (maps ? maps.map((map) => map.key) : mapKeysOfAlgorithm(run.algorithm)).join(',');
  });
  const toggleId = useId();
  const store = playgroundStore.getState();

  const shownCompare = compareRun && compareRun.id !== selectedId ? compareRun : null;
  useEffect(() => {
    const runIds = open ? [selectedId, shownCompare?.id ?? null].filter((runId): runId is string => runId !== null) : [];
    commands.showInsightFor(runIds);
  }, [commands, open, selectedId, shownCompare?.id]);
  // The panel going away (unmount) turns every map off.
  useEffect(() => () => commands.showInsightFor([]), [commands]);

  const available = selectedKeys === '' ? MAP_CHOICES.map((choice) => choice.key) : (selectedKeys.split(',') as InsightMapKey[]);
  const shownKey: InsightMapKey = available.includes(mapKey) ? mapKey : (available[0] ?? 'policyMean');
  const others = runChoices === '' ? [] : runChoices.split('\u0001').map((entry) => entry.split('\u0000') as [string, string]).filter(([id]) => id !== selectedId);

  return (
    <section className="card insight" aria-labelledby="insight-title">
      <div className="card-head">
        <h2 id="insight-title">Phase-space maps</h2>
        <label htmlFor={toggleId} className="insight-toggle">
          <input id={toggleId} type="checkbox" checked={open} onChange={(event) => store.setInsightOpen(event.target.checked)} />
          Show phase-space maps
        </label>
      </div>
      {!open && (
        <p className="sub">
          What the agent has learned over every state: θ (angle, 0 = upright) across, θ̇ (angular velocity) up. Computed live in the run&apos;s worker, about once a second.
        </p>
      )}
      {open && (
        <InsightMapsView
          available={available}
          shownKey={shownKey}
          others={others}
          selected={selected ? { id: selected.id, name: selected.name } : null}
          compare={shownCompare ? { id: shownCompare.id, name: shownCompare.name } : null}
          compareIsSelected={compareId !== null && shownCompare === null}
          onMapKey={(key) => store.setInsightMapKey(key)}
          onCompare={(runId) => store.setInsightCompareRun(runId)}
        />
      )}
    </section>
  );
}

export interface InsightMapsViewProps {
  available: readonly InsightMapKey[];
  shownKey: InsightMapKey;
  /** Runs that can be compared: [id, name]. */
  others: ReadonlyArray<readonly [string, string]>;
  selected: { id: string; name: string } | null;
  compare: { id: string; name: string } | null;
  compareIsSelected: boolean;
  onMapKey: (key: InsightMapKey) => void;
  onCompare: (runId: string | null) => void;
}

/** The open panel: map choice, compared run, the maps side by side. */
export function InsightMapsView({ available, shownKey, others, selected, compare, compareIsSelected, onMapKey, onCompare }: InsightMapsViewProps) {
  const compareSelectId = useId();
  return (
    <>
      <div className="insight-controls">
        <fieldset className="segmented" role="radiogroup" aria-label="Map">
          <legend className="visually-hidden">Map</legend>
          <span className="control-label" aria-hidden="true">
            Map
          </span>
          {MAP_CHOICES.filter((choice) => available.includes(choice.key)).map((choice) => (
            <label key={choice.key}>
              <input type="radio" name="insight-map" value={choice.key} checked={shownKey === choice.key} onChange={() => onMapKey(choice.key)} />
              {choice.label}
            </label>
          ))}
        </fieldset>
        <label htmlFor={compareSelectId} className="insight-compare">
          Compare with run
        </label>
        <select id={compareSelectId} value={compare?.id ?? ''} onChange={(event) => onCompare(event.target.value === '' ? null : event.target.value)}>
          <option value="">None</option>
          {others.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {selected ? (
        <div className={`insight-maps${compare ? ' two' : ''}`}>
          <PhaseMap runId={selected.id} runName={selected.name} mapKey={shownKey} withTrajectory />
          {compare && <PhaseMap runId={compare.id} runName={compare.name} mapKey={shownKey} withTrajectory={false} />}
        </div>
      ) : (
        <p className="sub">Start or select a run to see its maps.</p>
      )}
      <p className="sub insight-key">
        Green cross: the upright target (θ = 0, θ̇ = 0). White line: the current episode of the selected run. Colours: blue → red for torque (grey = 0), dark → yellow for value and spread.
        {compareIsSelected ? ' The compared run is the selected one: pick another.' : ''}
      </p>
    </>
  );
}
