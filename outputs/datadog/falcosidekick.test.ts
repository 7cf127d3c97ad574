// What the datadog output sends, request by request, against what falcosidekick 2.34.1 sent for the
// same alerts and the same keys (test/fixtures/falcosidekick-http/recorded.json): method, path with
// the key in the query, headers and body.
import { describe, expect, it } from 'vitest';
import { comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import datadog from './index.ts';

describe('datadog against falcosidekick', () => {
  it('the same request for each of the 8 alerts (the empty output: "text":"" added)', async () => {
    const sent = await sentPerPriority(datadog, (base) => ({ apikey: 'ddkey123', host: `${base}/dd` }));
    expect(sent).toHaveLength(8);
    for (const { priority, req } of sent) {
      const theirs = falcosidekickRequest('datadog', priority);
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect(comparableHeaders(req.headers, [...Object.keys(headers), 'dd-api-key'])).toEqual(headers);
      const body = goJsonText(theirs.body as string);
      expect(req.body).toBe(priority === 'Debug' ? body.replace(',"alert_type"', ',"text":"","alert_type"') : body);
    }
  });
});
