// Indexer acknowledgement: HEC answers an event POST on a channel with an ackId; the events are
// safely indexed only once POST /services/collector/ack says {"acks":{"<id>":true}}. The poll runs
// inside the same sendBatch call, bounded by acktimeoutms and the request deadline (ctx.signal),
// on the send context's clock (a fake clock in tests).
import { excerpt, ok, retry, type Clock, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';
import { parseHecReply } from './classify.ts';

export interface AckPolicy {
  acktimeoutms: number;
  ackpollms: number;
}

/** Polls until `ackId` is acknowledged: ok(), or retry() so the worker re-sends the batch. Throws when `signal` aborts. */
export async function awaitAck(poll: (body: string) => Promise<HttpResponse>, ackId: number, policy: AckPolicy, signal: AbortSignal, clock: Clock): Promise<Outcome> {
  const deadline = clock.now() + policy.acktimeoutms;
  const body = JSON.stringify({ acks: [ackId] });
  let last: string;
  for (;;) {
    const wait = Math.min(policy.ackpollms, Math.max(0, deadline - clock.now()));
    await sleep(clock, wait, signal);
    const res = await poll(body);
    if (res.status >= 200 && res.status < 300) {
      const acks = (parseHecReply(res.text) as { acks?: Record<string, unknown> } | undefined)?.acks;
      if (acks?.[String(ackId)] === true) return ok();
      last = 'not acknowledged yet';
    } else {
      const reply = parseHecReply(res.text);
      const detail = reply?.code !== undefined ? `HEC code ${reply.code} (HTTP ${res.status}): ${reply.text ?? ''}` : `HTTP ${res.status}: ${excerpt(res.text)}`;
      if (res.status === 401 || res.status === 403) return retry(`ack poll refused: ${detail} (check splunk.token)`, { auth: true });
      if (reply?.code === 14) return retry(`ack poll: ${detail} (the token has indexer acknowledgement off: set splunk.useack: false or enable it on the token)`, { auth: true });
      if (res.status < 500 && res.status !== 429 && res.status !== 408) return retry(`ack poll failed, batch re-sent: ${detail}`);
      last = detail; // busy: keep polling until the deadline
    }
    if (clock.now() >= deadline) {
      return retry(`no indexer acknowledgement for ackId ${ackId} within ${policy.acktimeoutms} ms (${last}); the batch is re-sent and may be indexed twice`);
    }
  }
}

/** Waits `ms` on `clock`; rejects with the signal's reason when it aborts first. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
