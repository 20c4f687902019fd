/** Page layout only: what goes where. Behaviour lives in the components and the worker client. */
import type { TrainingClient } from '../worker/client';
import { ChartsPanel } from './ChartsPanel';
import { Controls } from './Controls';
import { ErrorBanner } from './ErrorBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { HyperparameterPanel } from './HyperparameterPanel';
import { PendulumCanvas } from './PendulumCanvas';
import { StatusBar } from './StatusBar';
import { useSpaceToggle } from './useSpaceToggle';

export function App({ client }: { client: TrainingClient }) {
  useSpaceToggle(client);
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>SAC Playground</h1>
          <p className="tagline">Soft Actor-Critic learns to swing up a pendulum, live in your browser. Training runs in a Web Worker.</p>
        </div>
        <p className="shortcut-hint">
          <kbd>Space</kbd> pauses and resumes
        </p>
      </header>
      <ErrorBanner />
      <main className="layout">
        <div className="column-left">
          <ErrorBoundary>
            <section className="card pendulum" aria-label="Pendulum">
              <PendulumCanvas />
            </section>
          </ErrorBoundary>
          <ErrorBoundary>
            <Controls client={client} />
          </ErrorBoundary>
        </div>
        <div className="column-right">
          <ErrorBoundary>
            <StatusBar />
          </ErrorBoundary>
          <ErrorBoundary>
            <ChartsPanel />
          </ErrorBoundary>
        </div>
        <div className="column-full">
          <ErrorBoundary>
            <HyperparameterPanel client={client} />
          </ErrorBoundary>
        </div>
      </main>
      <footer className="app-footer">
        Pendulum-v1 (g = 10, dt = 0.05 s, torque ±2 N·m, 200 steps per episode). Defaults follow the lecture&apos;s SAC with its two bugs fixed.
      </footer>
    </div>
  );
}
