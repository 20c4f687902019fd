/** Space toggles pause, unless the focus is on something that uses Space itself (buttons, fields). */
import { useEffect } from 'react';
import type { PlaygroundCommands } from '../page/commands';

const OWN_SPACE = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY']);

/** Space pauses or resumes the selected run. */
export function useSpaceToggle(commands: PlaygroundCommands): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.code !== 'Space' && event.key !== ' ') return;
      if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (OWN_SPACE.has(target.tagName) || target.isContentEditable)) return;
      event.preventDefault();
      commands.togglePauseSelected();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [commands]);
}
