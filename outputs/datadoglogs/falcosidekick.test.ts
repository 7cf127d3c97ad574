// What the datadoglogs output sends for one alert per request against what falcosidekick 2.34.1
// sent for the same alerts and keys (test/fixtures/falcosidekick-http/recorded.json).
import { describe, expect, it } from 'vitest';
import { asGoAlertJson, comparableHeaders, falcosidekickRequest, goJsonText, sentPerPriority } from '../../test/support/falcosidekick-http.ts';
import datadoglogs from './index.ts';

describe('datadoglogs against falcosidekick', () => {
  it('the same entry, headers and path for each of the 8 alerts (an array of one; no "//" in the path)', async () => {
    const sent = await sentPerPriority(datadoglogs, (base) => ({ apikey: 'ddlogkey456', host: `${base}/ddlogs/`, service: 'falco-svc' }));
    expect(sent).toHaveLength(8);
    for (const { priority, req } of sent) {
      const theirs = falcosidekickRequest('datadoglogs', priority);
      const { 'user-agent': _, ...headers } = theirs.headers;
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path.replace('//api', '/api')]);
      expect(comparableHeaders(req.headers, Object.keys(headers))).toEqual(headers);
      const entries = JSON.parse(req.body) as { message: string }[];
      expect(entries).toHaveLength(1);
      const ours = entries[0]!;
      ours.message = asGoAlertJson(ours.message);
      const recorded = JSON.parse(theirs.body as string) as { message: string };
      recorded.message = goJsonText(recorded.message);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(recorded));
    }
  });
});
