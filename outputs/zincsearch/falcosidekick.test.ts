// What the zincsearch output sends against what falcosidekick 2.34.1 sent for the same alerts and
// keys (test/fixtures/falcosidekick-logstores/recorded.json): path, Authorization, Content-Type, body.
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, goJsonText, sentPerPriority, type RecordedRequest } from '../../test/support/falcosidekick-http.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import zincsearch from './index.ts';

const recorded = fixtureJson<{ zincsearch: RecordedRequest[] }>('falcosidekick-logstores/recorded.json').zincsearch;

describe('zincsearch against falcosidekick', () => {
  it('the same request for each of the 8 alerts', async () => {
    const sent = await sentPerPriority(zincsearch, (base) => ({ hostport: `${base}/zs`, username: 'admin', password: 'pw' }));
    expect([sent.length, recorded.length]).toEqual([8, 8]);
    sent.forEach(({ req }, i) => {
      const theirs = recorded[i] as RecordedRequest;
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect(Object.keys(headers).sort()).toEqual(['authorization', 'content-type']);
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      expect(asGoAlertJson(req.body)).toBe(goJsonText(theirs.body as string));
    });
  });
});
