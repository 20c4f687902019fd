/** Page entry: reads settings from the URL, spawns the training worker, renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { syncUrlWithStore } from './ui/urlSync';
import { startTrainingClient } from './worker/client';
import { playgroundStore, type PlaygroundStore } from './store/index';
import './ui/styles.css';

declare global {
  interface Window {
    sacPlayground?: { store: PlaygroundStore };
  }
}

syncUrlWithStore();
const client = startTrainingClient();

// `?debug` exposes the store for inspection in the console (and for the browser tests).
if (new URLSearchParams(window.location.search).has('debug')) window.sacPlayground = { store: playgroundStore };

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App client={client} />
    </ErrorBoundary>
  </StrictMode>,
);
