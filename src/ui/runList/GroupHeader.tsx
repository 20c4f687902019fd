/**
 * The header row of a group of seeds in the runs list: its name (editable), show/hide for all its
 * members, and Export (one file for the group). A presentational row (role "none") inside the list,
 * so the list keeps exactly one list item per run.
 */
import { useEffect, useRef } from 'react';
import { usePlayground } from '../../store/index';
import { useCommands } from '../commandsContext';
import { RunNameInput } from './RunNameInput';

export function GroupHeader({ groupId }: { groupId: string }) {
  const commands = useCommands();
  const group = usePlayground((state) => state.groups[groupId]);
  const visibleCount = usePlayground((state) => (state.groups[groupId]?.memberIds ?? []).filter((id) => state.runs[id]?.visible).length);
  const memberCount = usePlayground((state) => (state.groups[groupId]?.memberIds ?? []).filter((id) => state.runs[id] !== undefined).length);
  const checkbox = useRef<HTMLInputElement>(null);
  const some = visibleCount > 0 && visibleCount < memberCount;
  useEffect(() => {
    if (checkbox.current) checkbox.current.indeterminate = some;
  }, [some]);
  if (!group) return null;
  const { name } = group;
  return (
    <li role="none" className="group-header" data-group-id={groupId}>
      <div role="group" aria-label={`Group ${name}`} className="run-line">
        <span className="swatch group-swatch" style={{ background: group.color }} aria-hidden="true" />
        <RunNameInput name={name} label={`Name of group ${name}`} onRename={(next) => commands.renameGroup(groupId, next)} />
        <span className="group-size">
          {memberCount} seed{memberCount === 1 ? '' : 's'}
        </span>
        <label className="show-toggle">
          <input
            ref={checkbox}
            type="checkbox"
            checked={visibleCount === memberCount && memberCount > 0}
            onChange={(event) => commands.setGroupVisible(groupId, event.target.checked)}
            aria-label={`Show group ${name} on charts`}
          />
          <span aria-hidden="true">show</span>
        </label>
        <button type="button" aria-label={`Export group ${name}`} onClick={() => void commands.exportGroup(groupId)}>
          Export
        </button>
      </div>
    </li>
  );
}
