/**
 * "Deleted <name> · Undo" for every run still within its undo window (UNDO_DELETE_MS). The page side
 * frees the storage when the window passes; this only hides the offer at that moment.
 */
import { useEffect, useState } from 'react';
import { usePlayground } from '../../store/index';
import { useCommands } from '../commandsContext';

export function UndoDeletes() {
  const commands = useCommands();
  const pending = usePlayground((state) => state.pendingDeletes);
  const [now, setNow] = useState(() => Date.now());
  const nextExpiry = pending.reduce((soonest, entry) => Math.min(soonest, entry.expiresAt), Number.POSITIVE_INFINITY);
  useEffect(() => {
    if (!Number.isFinite(nextExpiry)) return undefined;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.max(0, nextExpiry - Date.now()) + 50);
    return () => window.clearTimeout(timer);
  }, [nextExpiry, now]);
  const live = pending.filter((entry) => entry.expiresAt > now);
  if (live.length === 0) return null;
  return (
    <div className="undo-list">
      {live.map((entry) => (
        <div key={entry.runId} role="status" className="banner banner-notice undo">
          <span>Deleted {entry.name}.</span>
          <button type="button" onClick={() => commands.undoDelete(entry.runId)} aria-label={`Undo delete of ${entry.name}`}>
            Undo
          </button>
        </div>
      ))}
    </div>
  );
}
