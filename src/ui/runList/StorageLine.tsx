/**
 * What the kept runs take in the browser's storage, and what went wrong with it: a failed write (e.g.
 * the quota is full) says what to delete (role="alert"); no IndexedDB at all (private mode) says that
 * runs won't be kept after this tab closes.
 */
import { usePlayground } from '../../store/index';
import { formatBytes } from '../../page/byteSize';

export function StorageLine() {
  const storage = usePlayground((state) => state.storage);
  return (
    <div className="storage">
      {storage.available ? (
        <p className="hint" data-testid="storage-used" data-bytes={storage.usedBytes ?? ''}>
          Runs stored: {storage.usedBytes === null ? '—' : formatBytes(storage.usedBytes)}
          {storage.quotaBytes !== null && ` of ${formatBytes(storage.quotaBytes)} available to this page`}
        </p>
      ) : (
        <p className="banner banner-notice" role="status" data-testid="storage-unavailable">
          This browser gives the page no storage (private mode?): runs work but are not kept after this tab closes. Export a run to keep it.
        </p>
      )}
      {storage.problem && (
        <p className="banner banner-error" role="alert" data-testid="storage-problem">
          {storage.problem}
        </p>
      )}
    </div>
  );
}
