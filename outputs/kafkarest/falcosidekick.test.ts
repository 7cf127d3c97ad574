// What the kafkarest output sends for one alert per request against what falcosidekick 2.34.1 sent
// (test/fixtures/falcosidekick-http/recorded.json): path, Content-Type, the request around the
// record, the record's decoded value.
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import kafkarest from './index.ts';

describe('kafkarest against falcosidekick', () => {
  it('the same request for each of the 8 alerts', async () => {
    const sent = await sentPerPriority(kafkarest, (base) => ({ address: `${base}/topics/falco` }));
    expect(sent).toHaveLength(8);
    for (const { priority, req } of sent) {
      const theirs = falcosidekickRequest('kafkarest', priority);
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect(headers).toEqual({ 'content-type': 'application/vnd.kafka.binary.v2+json' });
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      const recorded = theirs.body as { records: { value_decoded: string }[]; raw_shape: string };
      const value = (JSON.parse(req.body) as { records: { value: string }[] }).records[0]!.value;
      expect(req.body.replace(value, '<base64 of value_decoded>')).toBe(goJsonText(recorded.raw_shape));
      expect(asGoAlertJson(Buffer.from(value, 'base64').toString('utf8'))).toBe(goJsonText(recorded.records[0]!.value_decoded));
    }
  });
});
