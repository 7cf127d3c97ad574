// What the quickwit output sends against what falcosidekick 2.34.1 sent for the same alerts with
// autocreateindex (test/fixtures/falcosidekick-logstores/recorded.json): the describe check, the
// index config it creates, then each alert's ingest: paths, Content-Type, bodies.
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { asGoAlertJson, goJsonText, type RecordedRequest } from '../../test/support/falcosidekick-http.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { connectPlugin } from '../../test/support/plugin-harness.ts';
import { Receiver } from '../../test/support/receiver.ts';
import quickwit from './index.ts';

const recorded = fixtureJson<{ quickwit: RecordedRequest[] }>('falcosidekick-logstores/recorded.json').quickwit;

describe('quickwit against falcosidekick', () => {
  it('the same describe, create and 8 ingest requests', async () => {
    const receiver = await new Receiver().start();
    const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
    receiver.setBehaviour((req) => {
      seen.push(req);
      return req.method === 'GET' ? { kind: 'status', status: 404, body: '{"message":"index `falco` not found"}' } : { kind: 'ok', body: '{"num_docs_for_processing":1}' };
    });
    try {
      const harness = await connectPlugin(quickwit, { hostport: receiver.url('/qw'), autocreateindex: true });
      for (const alert of priorityAlerts()) {
        const result = await harness.send([alert]);
        expect(result.kind === 'partial' ? result.items.map((o) => o.kind) : [result.kind]).toEqual(['ok']);
      }
      await harness.close();
      expect([seen.length, recorded.length]).toEqual([10, 10]);
      seen.forEach((req, i) => {
        const theirs = recorded[i] as RecordedRequest;
        expect([req.method, req.url, req.headers['content-type']]).toEqual([theirs.method, theirs.path, theirs.headers['content-type']]);
        const body = theirs.body as string;
        if (i === 0) expect([req.body, body]).toEqual(['', '']);
        else if (i === 1) expect(req.body).toBe(`${goJsonText(body)}\n`); // the index config: no map, no time, Go's escaping aside the same bytes
        else {
          expect(req.body.endsWith('}\n')).toBe(true);
          expect(asGoAlertJson(req.body)).toBe(goJsonText(body));
        }
      });
    } finally {
      await receiver.stop();
    }
  });
});
