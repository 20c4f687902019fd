/** Page entry: reads settings from the URL, spawns the training worker, renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { syncUrlWithStore } from './ui/urlSync';
import { startTrainingClient } from './worker/client';
import './ui/styles.css';

syncUrlWithStore();
const client = startTrainingClient();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App client={client} />
    </ErrorBoundary>
  </StrictMode>,
);
