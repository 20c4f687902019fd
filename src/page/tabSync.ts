/**
 * Tells the page's other open tabs (same origin) which runs and groups were added, changed or deleted,
 * over a BroadcastChannel, so their lists stay in step; each tab reads the changed records from
 * IndexedDB itself. Without BroadcastChannel (old browsers, Node) it does nothing.
 */
import type { RunId } from '../worker/protocol';

export type TabSyncMessage =
  | { type: 'runSaved'; runId: RunId }
  | { type: 'runDeleted'; runId: RunId }
  | { type: 'groupSaved'; groupId: string }
  | { type: 'groupDeleted'; groupId: string };

export const TAB_SYNC_CHANNEL = 'sac-playground-runs';

/** The part of BroadcastChannel used here, injectable for tests. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

function isTabSyncMessage(value: unknown): value is TabSyncMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  const { type } = value;
  if (type === 'runSaved' || type === 'runDeleted') return 'runId' in value && typeof value.runId === 'string';
  if (type === 'groupSaved' || type === 'groupDeleted') return 'groupId' in value && typeof value.groupId === 'string';
  return false;
}

export class TabSync {
  constructor(
    private readonly channel: ChannelLike | null,
    onMessage: (message: TabSyncMessage) => void,
  ) {
    if (channel) {
      channel.onmessage = (event) => {
        if (isTabSyncMessage(event.data)) onMessage(event.data);
      };
    }
  }

  tell(message: TabSyncMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }
}
