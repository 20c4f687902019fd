/** Page layout only: what goes where. Behaviour lives in the components and the page's commands. */
import { lazy, Suspense } from 'react';
import type { PlaygroundCommands } from '../page/commands';
import { ChartsPanel } from './charts/ChartsPanel';
import { CommandsContext } from './commandsContext';
import { CompareTable } from './compare/CompareTable';
import { LectureComparisonSection } from './compare/LectureComparisonSection';
import { Controls } from './Controls';
import { ErrorBanner } from './ErrorBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { HyperparameterPanel } from './HyperparameterPanel';
import { InsightPanel } from './insight/InsightPanel';
import { PendulumTools } from './insight/PendulumTools';
import { PhysicsPanel } from './insight/PhysicsPanel';
import { PendulumCanvas } from './PendulumCanvas';
import { RunsPanel } from './runList/RunsPanel';
import { StatusBar } from './StatusBar';
import { useSpaceToggle } from './useSpaceToggle';

/**
 * The equations panel brings KaTeX (~100 KiB gzip of the page's first-paint script): loaded after the
 * first paint, in its own chunk, so the pendulum, Start and the charts come up without waiting for it.
 */
const EquationsPanel = lazy(async () => ({ default: (await import('./equations/EquationsPanel')).EquationsPanel }));

export function App({ commands }: { commands: PlaygroundCommands }) {
  useSpaceToggle(commands);
  return (
    <CommandsContext.Provider value={commands}>
      <div className="app">
        <header className="app-header">
          <div>
            <h1>SAC Playground</h1>
            <p className="tagline">
              Soft Actor-Critic learns to swing up a pendulum, live in your browser, beside DDPG, TD3, PPO and TRPO. Run experiments side by side; they are kept across reloads.
            </p>
          </div>
          <p className="shortcut-hint">
            <kbd>Space</kbd> pauses and resumes the selected run
          </p>
        </header>
        <ErrorBanner />
        <main className="layout">
          <div className="column-left">
            <ErrorBoundary>
              <section className="card pendulum" aria-label="Pendulum">
                <PendulumCanvas />
                <PendulumTools />
              </section>
            </ErrorBoundary>
            <ErrorBoundary>
              <Controls />
            </ErrorBoundary>
            <ErrorBoundary><PhysicsPanel /></ErrorBoundary>
            <ErrorBoundary>
              <RunsPanel />
            </ErrorBoundary>
          </div>
          <div className="column-right">
            <ErrorBoundary>
              <StatusBar />
            </ErrorBoundary>
            <ErrorBoundary>
              <ChartsPanel />
            </ErrorBoundary>
            <ErrorBoundary><InsightPanel /></ErrorBoundary>
            <ErrorBoundary>
              <Suspense fallback={<p className="panel-note">Loading the equations…</p>}>
                <EquationsPanel />
              </Suspense>
            </ErrorBoundary>
            <ErrorBoundary>
              <CompareTable />
            </ErrorBoundary>
            <ErrorBoundary>
              <LectureComparisonSection />
            </ErrorBoundary>
          </div>
          <div className="column-full">
            <ErrorBoundary>
              <HyperparameterPanel />
            </ErrorBoundary>
          </div>
        </main>
        <footer className="app-footer">
          Pendulum-v1 (g = 10, dt = 0.05 s, torque ±2 N·m, 200 steps per episode). SAC&apos;s defaults follow the lecture with its two bugs fixed; the others use the RL Baselines3 Zoo&apos;s tuned Pendulum settings on the lecture&apos;s 64-64 network.
        </footer>
      </div>
    </CommandsContext.Provider>
  );
}
