/**
 * An inline name editor for a run or a group: a text input that commits on Enter or when it loses
 * focus, and goes back to the stored name on Escape. An empty name is refused (the old one stays).
 */
import { useEffect, useState } from 'react';

export interface RunNameInputProps {
  name: string;
  /** Accessible name, e.g. "Name of run SAC · seed 500". */
  label: string;
  onRename: (name: string) => void;
  /** E.g. select the run when its name is clicked. */
  onFocus?: () => void;
}

export function RunNameInput({ name, label, onRename, onFocus }: RunNameInputProps) {
  const [draft, setDraft] = useState(name);
  useEffect(() => setDraft(name), [name]);
  const commit = (): void => {
    const trimmed = draft.trim();
    if (trimmed === '' || trimmed === name) {
      setDraft(name);
      return;
    }
    onRename(trimmed);
  };
  return (
    <input
      type="text"
      className="run-name"
      aria-label={label}
      value={draft}
      maxLength={120}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onFocus={onFocus}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
        if (event.key === 'Escape') {
          setDraft(name);
          // Blur after the reset so the commit sees the old name and does nothing.
          requestAnimationFrame(() => (event.target as HTMLInputElement).blur());
        }
      }}
    />
  );
}
