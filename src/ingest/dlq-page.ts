// One page of GET /dlq: the newest `limit` matching dead letters (at most DLQ_MAX_LIMIT) and at most
// DLQ_MAX_PAGE_BYTES of alerts, oldest first, with `next` — the `before` cursor of the older page —
// when there is more. A 420 MB reply (400 dead letters of 1 MiB) is now pages of at most 8 MiB.
import type { DeadLetter, DeadLetterFilter, DeadLetterStore } from '../dispatch/dead-letter.ts';
import { serializeAlert } from '../alert/serialize.ts';

export const DLQ_MAX_LIMIT = 1000;
const DLQ_MAX_PAGE_BYTES = 8 * 1024 * 1024;

export interface DlqPage {
  entries: (Omit<DeadLetter, 'at'> & { at: string })[];
  next?: number;
}

export function deadLetterPage(store: DeadLetterStore, filter: DeadLetterFilter & { limit: number }): DlqPage {
  const found = store.list({ ...filter, limit: filter.limit + 1 });
  let more = found.length > filter.limit;
  const newest = more ? found.slice(1) : found;
  // Newest first until the byte budget is spent (one entry at least, whatever its size).
  const kept: DeadLetter[] = [];
  let bytes = 0;
  for (let i = newest.length - 1; i >= 0; i--) {
    const entry = newest[i] as DeadLetter;
    bytes += serializeAlert(entry.alert).length + entry.detail.length;
    if (kept.length > 0 && bytes > DLQ_MAX_PAGE_BYTES) {
      more = true;
      break;
    }
    kept.push(entry);
  }
  kept.reverse();
  const oldest = kept[0];
  return {
    entries: kept.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    ...(more && oldest ? { next: oldest.id } : {}),
  };
}
