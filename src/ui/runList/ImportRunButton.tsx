/** "Import run": a run file (.zip, from "Export") into this page as new runs. Bad files get a message from the page side. */
import { useRef } from 'react';
import { useCommands } from '../commandsContext';

export function ImportRunButton() {
  const commands = useCommands();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} title="Load a run file (.zip) that Export made, here or on another machine">
        Import run
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        className="visually-hidden"
        aria-label="Run file to import"
        data-testid="import-run-input"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void commands.importRuns(file);
        }}
      />
    </>
  );
}
