// What the cloudevents output sends against what falcosidekick 2.34.1 sent for the same alerts and
// extensions (test/fixtures/falcosidekick-http/recorded.json): every ce-* header but ce-id (a random
// uuid in falcosidekick, the alert's uuid here), Content-Type, and the data.
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import cloudevents from './index.ts';

describe('cloudevents against falcosidekick', () => {
  it('the same headers and data for each of the 8 alerts', async () => {
    const sent = await sentPerPriority(cloudevents, (base) => ({ address: `${base}/ce`, extensions: { env: 'prod', team: 'sec' } }));
    expect(sent).toHaveLength(8);
    for (const [i, { priority, req }] of sent.entries()) {
      const theirs = falcosidekickRequest('cloudevents', priority);
      const { 'user-agent': _, 'ce-id': id, ...headers } = theirs.headers;
      expect(id).toBe('<uuid>');
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      const names = Object.keys(req.headers).filter((h) => h.startsWith('ce-') && h !== 'ce-id');
      expect(names.sort()).toEqual(Object.keys(headers).filter((h) => h.startsWith('ce-')).sort());
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      expect(req.headers['ce-id']).toBe(`priority-${i}`);
      expect(asGoAlertJson(req.body)).toBe(goJsonText(theirs.body as string));
    }
  });
});
