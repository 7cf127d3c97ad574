// What the sumologic output sends against what falcosidekick 2.34.1 sent for the same alerts and
// keys (test/fixtures/falcosidekick-http/recorded.json): path, X-Sumo-* headers, body.
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import sumologic from './index.ts';

describe('sumologic against falcosidekick', () => {
  it('the same request for each of the 8 alerts (the alert JSON as every output sends it)', async () => {
    const sent = await sentPerPriority(sumologic, (base) => ({ receiverurl: `${base}/receiver/v1/http/SUMOTOKEN`, sourcecategory: 'cat1', sourcehost: 'host1', name: 'name1' }));
    expect(sent).toHaveLength(8);
    for (const { priority, req } of sent) {
      const theirs = falcosidekickRequest('sumologic', priority);
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      expect(Object.keys(headers).sort()).toEqual(['content-type', 'x-sumo-category', 'x-sumo-host', 'x-sumo-name']);
      expect(asGoAlertJson(req.body)).toBe(goJsonText(theirs.body as string));
    }
  });
});
