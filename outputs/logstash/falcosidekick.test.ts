// What the logstash output writes against what falcosidekick 2.34.1 wrote for the same 8 alerts and
// keys (test/fixtures/falcosidekick-logstores/recorded.json): the stream, line by line, CRLF framing.
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { asGoAlertJson, goJsonText } from '../../test/support/falcosidekick-http.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { LogstashReceiver } from '../../test/support/logstash-receiver.ts';
import { connectPlugin } from '../../test/support/plugin-harness.ts';
import { waitFor } from '../../test/support/receiver.ts';
import logstash from './index.ts';

const recorded = fixtureJson<{ logstash: string }>('falcosidekick-logstores/recorded.json').logstash;

describe('logstash against falcosidekick', () => {
  it('the same lines for each of the 8 alerts (tags extra1,extra2), each ended by CRLF, on one connection', async () => {
    const receiver = await new LogstashReceiver().start();
    const harness = await connectPlugin(logstash, { address: '127.0.0.1', port: receiver.port, tags: 'extra1,extra2' });
    try {
      for (const alert of priorityAlerts()) expect((await harness.send([alert])).kind).toBe('ok');
      await waitFor(() => receiver.events.length === 8, 5000, '8 events');
      expect(receiver.streams).toHaveLength(1);
      const ours = (receiver.streams[0] as string).split('\r\n');
      const theirs = recorded.split('\r\n');
      expect([ours.length, ours.at(-1), theirs.length, theirs.at(-1)]).toEqual([9, '', 9, '']);
      for (let i = 0; i < 8; i++) expect(asGoAlertJson(ours[i] as string)).toBe(goJsonText(theirs[i] as string));
      expect([receiver.parseFailures, receiver.cutLines]).toEqual([[], []]);
    } finally {
      await harness.close();
      await receiver.stop();
    }
  });
});
