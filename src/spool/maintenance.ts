// The spool's periodic upkeep (WAL checkpoint, incremental vacuum) on a timer that backs off while
// it fails — a full disk — instead of throwing out of a setInterval and taking the process down.
import type { Spool } from './spool.ts';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 300_000;

/** Starts the loop; returns the function that stops it. */
export function scheduleMaintenance(spool: Pick<Spool, 'maintain'>, intervalMs = 30_000): () => void {
  let timer: NodeJS.Timeout | undefined;
  let retryMs = 0;
  let stopped = false;
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    if (spool.maintain()) {
      retryMs = 0;
      return next(intervalMs);
    }
    retryMs = Math.min(MAX_RETRY_MS, retryMs === 0 ? FIRST_RETRY_MS : retryMs * 2);
    next(retryMs);
  };
  next(intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
