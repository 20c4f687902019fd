/**
 * The experiments' home: start runs, the list of runs (role="list", "Runs") with their groups, undo of
 * deletes, import, and the storage the kept runs use.
 */
import { useMemo } from 'react';
import { usePlayground, type PlaygroundState } from '../../store/index';
import { GroupHeader } from './GroupHeader';
import { ImportRunButton } from './ImportRunButton';
import { NewRunControls } from './NewRunControls';
import { RunListItem } from './RunListItem';
import { rowsKey, runListRows, type RunListRow } from './runListRows';
import { StorageLine } from './StorageLine';
import { UndoDeletes } from './UndoDeletes';

function selectRowsKey(state: PlaygroundState): string {
  return rowsKey(runListRows(state.runOrder, state.runs, state.groups));
}

function parseRows(key: string): RunListRow[] {
  if (key === '') return [];
  return key.split('|').map((part) => {
    const id = part.slice(2);
    if (part.startsWith('g:')) return { kind: 'group', groupId: id };
    return { kind: 'run', runId: id, inGroup: part.startsWith('m:') };
  });
}

export function RunsPanel() {
  const key = usePlayground(selectRowsKey);
  const rows = useMemo(() => parseRows(key), [key]);
  return (
    <section className="card runs" aria-labelledby="runs-title">
      <div className="card-head">
        <h2 id="runs-title">Runs</h2>
        <ImportRunButton />
      </div>
      <NewRunControls />
      <UndoDeletes />
      {rows.length === 0 ? (
        <p className="hint">No runs yet: press Start. Runs are kept in this browser across reloads.</p>
      ) : null}
      <ul className="run-list" aria-label="Runs">
        {rows.map((row) =>
          row.kind === 'group' ? <GroupHeader key={`g:${row.groupId}`} groupId={row.groupId} /> : <RunListItem key={row.runId} runId={row.runId} inGroup={row.inGroup} />,
        )}
      </ul>
      <StorageLine />
    </section>
  );
}
