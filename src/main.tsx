/** Page entry: reads settings from the URL, starts the page side (workers, storage), renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { syncUrlWithStore } from './ui/urlSync';
import { startPlayground } from './page/startPlayground';
import type { PlaygroundCommands } from './page/commands';
import { playgroundStore, type PlaygroundStore } from './store/index';
import './ui/styles.css';

declare global {
  interface Window {
    sacPlayground?: {
      store: PlaygroundStore;
      commands: PlaygroundCommands;
      ready: Promise<void>;
      /** Test hook: the run's worker loses its WebGL context for real (false when the run is not loaded). */
      loseWebglContext: (runId: string) => boolean;
    };
  }
}

syncUrlWithStore();
const { client, ready } = startPlayground(playgroundStore);

// `?debug` exposes the store and the commands for inspection in the console (and for the browser tests).
if (new URLSearchParams(window.location.search).has('debug')) {
  window.sacPlayground = { store: playgroundStore, commands: client, ready, loseWebglContext: (runId) => client.debugLoseWebglContext(runId) };
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App commands={client} />
    </ErrorBoundary>
  </StrictMode>,
);
