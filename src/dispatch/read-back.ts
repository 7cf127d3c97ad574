// The alerts of entries taken from the queue, ready to send. An entry held compact (queue.ts) is
// parsed back here, or read back from the spool first; one that cannot be is handed to `unreadable`
// (endings.ts drops, counts and logs it) and left out of the batch.
import type { Alert } from '../alert/alert.ts';
import type { QueueEntry } from './queue-entry.ts';

export interface Loaded {
  entry: QueueEntry;
  alert: Alert;
}

export function readBack(entries: readonly QueueEntry[], unreadable: (entry: QueueEntry, err: unknown) => void): Loaded[] {
  const out: Loaded[] = [];
  for (const entry of entries) {
    try {
      out.push({ entry, alert: entry.load() });
    } catch (err) {
      unreadable(entry, err);
    }
  }
  return out;
}
