/** Keeps the page from going blank: a render error shows a message and a way back instead. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
}
interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for the developer console; the user sees the fallback below.
    console.warn('SAC Playground: a component failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="banner banner-error fatal" role="alert">
          <h2>Something in the page broke</h2>
          <p>{this.state.error.message}</p>
          <p>Training runs in a separate worker and is not lost by this. Try to show the page again, or reload it.</p>
          <div className="button-row">
            <button type="button" onClick={() => this.setState({ error: null })}>
              Show the page again
            </button>
            <button type="button" onClick={() => window.location.reload()}>
              Reload
            </button>
          </div>
        </div>
      );
    }
    return this.props.children;
  }
}
