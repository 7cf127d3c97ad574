// A small body must not buy a large amount of work or reply: 2 MB of bad NDJSON lines used to stall
// the daemon for seconds and answer with a reply seventy times the body. Now a batch stops at
// MAX_BATCH_ERRORS errors (listed) plus a count of what was skipped, at most MAX_BATCH_ITEMS alerts
// per request, and the event loop keeps answering other clients meanwhile.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_ERRORS, MAX_BATCH_ITEMS } from '../../../src/ingest/body.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
});

describe('ingest amplification', () => {
  it('bounds the work and the reply for a body full of bad lines', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    const badLines = 'x'.repeat(20).concat('\n').repeat(95_000); // 2 MB, 95k bad lines
    let started = performance.now();
    const tooMany = await app.post(badLines, { 'content-type': 'application/x-ndjson' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(tooMany.status).toBe(413);
    expect(JSON.parse(tooMany.body)).toEqual({ error: { code: 'ERR_BODY_TOO_LARGE', message: `95000 alerts in one request: send at most ${MAX_BATCH_ITEMS} per request (none of these was accepted)` } });

    // Within the item cap: parsing stops at the error cap; the reply lists those and counts the rest.
    const mixed = [falcoAlertJson(1), ...Array.from({ length: MAX_BATCH_ITEMS - 1 }, (_, i) => `{"bad":${i}`)].join('\n');
    const ping = (async () => {
      const t = performance.now();
      await (await request(`${(app as RunningApp).url}/ping`)).body.text();
      return performance.now() - t;
    })();
    started = performance.now();
    const res = await app.post(mixed, { 'content-type': 'application/x-ndjson' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await ping).toBeLessThan(1000);
    expect(res.status).toBe(207);
    expect(res.body.length).toBeLessThan(40_000);
    const body = JSON.parse(res.body) as { accepted: number; rejected: { index: number; code: string }[]; skipped: number; error: { message: string } };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(MAX_BATCH_ERRORS);
    expect(body.rejected.map((r) => r.index)).toEqual(Array.from({ length: MAX_BATCH_ERRORS }, (_, i) => i + 1));
    expect(body.skipped).toBe(MAX_BATCH_ITEMS - 1 - MAX_BATCH_ERRORS);
    expect(body.error.message).toBe(`${MAX_BATCH_ITEMS - 1} of ${MAX_BATCH_ITEMS} alerts were not accepted; see "rejected"; stopped after ${MAX_BATCH_ERRORS} errors: ${MAX_BATCH_ITEMS - 1 - MAX_BATCH_ERRORS} more were not processed (not accepted; fix the sender)`);
    expect(await metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { status: 'rejected' })).toBe(MAX_BATCH_ITEMS - 1 + 1); // + the 413
  });

  it('stops validating a JSON array after the error cap', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`webhook:\n  address: ${receiver.url()}\n`);
    const items = [...Array.from({ length: 5000 }, () => ({})), JSON.parse(falcoAlertJson(7)) as object];
    const res = await app.post(JSON.stringify(items));
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { accepted: number; rejected: unknown[]; skipped: number };
    expect(body).toMatchObject({ accepted: 0, skipped: 5001 - MAX_BATCH_ERRORS });
    expect(body.rejected).toHaveLength(MAX_BATCH_ERRORS);
    expect((await app.post(falcoAlertJson(8))).status).toBe(200);
    await waitFor(() => (receiver as Receiver).received.length === 1);
    expect(receiver.received[0]?.body).toContain('"uuid":"alert-8"'); // the skipped alert 7 was not sent
  });
});
