/**
 * The page's commands (src/page/commands.ts) for any component below App, without threading a prop
 * through every list item. App provides it; a component used outside App fails loudly rather than
 * silently doing nothing.
 */
import { createContext, useContext } from 'react';
import type { PlaygroundCommands } from '../page/commands';

export const CommandsContext = createContext<PlaygroundCommands | null>(null);

export function useCommands(): PlaygroundCommands {
  const commands = useContext(CommandsContext);
  if (!commands) throw new Error('useCommands() outside <App>: no PlaygroundCommands provided');
  return commands;
}
