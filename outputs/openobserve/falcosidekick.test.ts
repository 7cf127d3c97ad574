// What the openobserve output sends against what falcosidekick 2.34.1 sent for the same alerts and
// keys (test/fixtures/falcosidekick-http/recorded.json): path, Authorization, Content-Type, body.
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import openobserve from './index.ts';

describe('openobserve against falcosidekick', () => {
  it('the same request for each of the 8 alerts', async () => {
    const sent = await sentPerPriority(openobserve, (base) => ({ hostport: `${base}/oo`, username: 'u', password: 'p' }));
    expect(sent).toHaveLength(8);
    for (const { priority, req } of sent) {
      const theirs = falcosidekickRequest('openobserve', priority);
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect(Object.keys(headers).sort()).toEqual(['authorization', 'content-type']);
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      expect(asGoAlertJson(req.body)).toBe(goJsonText(theirs.body as string));
    }
  });
});
