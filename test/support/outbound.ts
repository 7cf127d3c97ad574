// Counts the HTTP requests this process has in flight through undici (every HTTP output's client),
// from undici's diagnostics channels: created, then ended by its trailers (the response is
// complete) or an error. A fake-clock test steps the clock only while none is in flight
// (fake-clock.ts `advanceWhenIdle`), so fake time does not pass while a loaded machine is slow to
// answer. Two limits: the count is read between steps, so one step can start a request and fire a
// timer due later in that same step; and a request waiting in a pool's queue for a connection is
// counted only once a connection takes it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { onTestFinished } from 'vitest';

export interface OutboundRequests {
  inFlight(): number;
}

/** Call inside a test: it stops watching when the test ends, however it ends. */
export function watchOutbound(): OutboundRequests {
  const open = new Set<object>();
  const created = ({ request }: { request: object }) => void open.add(request);
  const ended = ({ request }: { request: object }) => void open.delete(request);
  const subscriptions: [string, (message: unknown) => void][] = [
    ['undici:request:create', created as (m: unknown) => void],
    ['undici:request:trailers', ended as (m: unknown) => void],
    ['undici:request:error', ended as (m: unknown) => void],
  ];
  for (const [name, fn] of subscriptions) subscribe(name, fn);
  onTestFinished(() => {
    for (const [name, fn] of subscriptions) unsubscribe(name, fn);
  });
  return { inFlight: () => open.size };
}
