/** The error banner (role="alert") and the notice line, both dismissible. */
import { playgroundStore, usePlayground } from '../store/index';

export function ErrorBanner() {
  const error = usePlayground((state) => state.error);
  const notice = usePlayground((state) => state.notice);
  return (
    <div className="messages">
      {error && (
        <div className="banner banner-error" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={() => playgroundStore.getState().setError(null)} aria-label="Dismiss error">
            ✕
          </button>
        </div>
      )}
      {notice && (
        <div className="banner banner-notice" aria-live="polite" data-testid="notice">
          <span>{notice}</span>
          <button type="button" className="link" onClick={() => playgroundStore.getState().setNotice(null)} aria-label="Dismiss notice">
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
