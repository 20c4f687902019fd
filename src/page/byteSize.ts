/**
 * Bytes a value takes in storage, counted when writing (IndexedDB gives no per-record size): typed
 * arrays and ArrayBuffers by their byte length, everything else by the length of its JSON text. An
 * estimate of the same order as what the browser stores, and the same figure every time, so the
 * storage shown goes down by exactly what a deleted run had added.
 */
export function byteSize(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (Array.isArray(value)) {
    let total = 2;
    for (const item of value) total += byteSize(item) + 1;
    return total;
  }
  if (typeof value === 'object') {
    let total = 2;
    for (const [key, item] of Object.entries(value)) total += key.length + 4 + byteSize(item);
    return total;
  }
  return 0;
}

/** "12.3 MB", "640 kB", "900 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
