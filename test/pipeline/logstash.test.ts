// The logstash output through the real app against an in-process receiver that reads the stream as
// Logstash's tcp input with the json_lines codec does (test/support/logstash-receiver.ts): the exact
// lines, a restart of Logstash between batches, and a refused connection retried until it listens.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { LogstashReceiver } from '../support/logstash-receiver.ts';
import { waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let logstash: LogstashReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await logstash?.stop();
  app = logstash = undefined;
});

/** What falcosidekick writes for falcoAlertJson(i) with tags [extra]: its JSON (proc.aname[2] dotted), the tag appended, CRLF. */
const line = (i: number) => `${falcosidekickBody(i).replace('"proc.aname[2]"', '"proc.aname.2"').replace('"shell"]', '"shell","extra"]')}\r\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join('');

async function post(a: RunningApp, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) expect((await a.post(falcoAlertJson(i))).status).toBe(200);
}

const start = (port: number) => startApp(`logstash:\n  address: 127.0.0.1\n  port: ${port}\n  tags: [extra]\n${FAST_RETRY}`);

describe('logstash pipeline', () => {
  it("writes falcosidekick's lines, one per alert, on one connection; delivered and falcosidekick's metric counted", async () => {
    logstash = await new LogstashReceiver().start();
    app = await start(logstash.port);
    await post(app, 0, 3);
    await settled(app, 'logstash', 3);
    await waitFor(() => logstash!.events.length === 3, 5000, '3 events read');
    expect(logstash.streams).toEqual([lines(0, 3)]);
    expect([logstash.parseFailures, logstash.cutLines]).toEqual([[], []]);
    expect(await metricValue(app, 'peregrine_delivered_total', { output: 'logstash' })).toBe(3);
    expect(await metricValue(app, 'falcosecurity_falcosidekick_outputs_total', { destination: 'logstash', status: 'ok' })).toBe(3);
  });

  it('Logstash restarted between batches: the next batch reconnects, nothing lost or repeated', async () => {
    logstash = await new LogstashReceiver().start();
    app = await start(logstash.port);
    await post(app, 0, 2);
    await settled(app, 'logstash', 2);
    await waitFor(() => logstash!.events.length === 2, 5000, 'first batch read');
    await logstash.stop();
    await logstash.start();
    await post(app, 2, 5);
    await settled(app, 'logstash', 5);
    await waitFor(() => logstash!.events.length === 5, 5000, 'second batch read');
    expect(logstash.streams).toEqual([lines(0, 2), lines(2, 5)]);
    expect([logstash.parseFailures, logstash.cutLines]).toEqual([[], []]);
  });

  it('connection refused: the alerts wait and are retried, then delivered once Logstash listens', async () => {
    const probe = await new LogstashReceiver().start();
    const port = probe.port;
    await probe.stop();
    app = await start(port);
    await post(app, 0, 2);
    const worker = app.workers.find((w) => w.name === 'logstash');
    await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 10_000, 'refused sends');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringMatching(/^127\.0\.0\.1:\d+: .*ECONNREFUSED/) });
    logstash = await new LogstashReceiver().start(port);
    await settled(app, 'logstash', 2);
    await waitFor(() => logstash!.events.length === 2, 5000, 'events read');
    // Each once, whole; the core may send them in another order after retries (one probe alert first).
    const got = logstash.streams.join('').split(/(?<=\r\n)/);
    expect(got.sort()).toEqual([line(0), line(1)].sort());
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 2, deadLettered: 0 });
  });
});
