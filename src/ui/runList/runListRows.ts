/**
 * The rows of the runs list in display order: runs in list order, with a group's members gathered under
 * one header where its first member stands (members of a group always sit together).
 */
import type { RunId } from '../../worker/protocol';
import type { GroupRecord, RunRecord } from '../../store/runTypes';

export type RunListRow = { kind: 'group'; groupId: string } | { kind: 'run'; runId: RunId; inGroup: boolean };

export function runListRows(
  runOrder: readonly RunId[],
  runs: Readonly<Record<RunId, Pick<RunRecord, 'groupId'>>>,
  groups: Readonly<Record<string, Pick<GroupRecord, 'memberIds'>>>,
): RunListRow[] {
  const rows: RunListRow[] = [];
  const placedGroups = new Set<string>();
  for (const runId of runOrder) {
    const run = runs[runId];
    if (!run) continue;
    const group = run.groupId === null ? undefined : groups[run.groupId];
    if (run.groupId === null || !group) {
      rows.push({ kind: 'run', runId, inGroup: false });
      continue;
    }
    if (placedGroups.has(run.groupId)) continue;
    placedGroups.add(run.groupId);
    rows.push({ kind: 'group', groupId: run.groupId });
    const order = new Map(runOrder.map((id, index) => [id, index]));
    const members = group.memberIds.filter((id) => runs[id] !== undefined).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (const memberId of members) rows.push({ kind: 'run', runId: memberId, inGroup: true });
  }
  return rows;
}

/** A string form of the rows, so React re-renders the list only when its shape changes. */
export function rowsKey(rows: readonly RunListRow[]): string {
  return rows.map((row) => (row.kind === 'group' ? `g:${row.groupId}` : `${row.inGroup ? 'm' : 'r'}:${row.runId}`)).join('|');
}
