// What the wavefront output sends against what falcosidekick 2.34.1 sent for the same alerts
// (test/fixtures/falcosidekick-wavefront/: its requests to a capture server in proxy mode). Byte for
// byte but for the tag order (Go's map order is random; the test compares the tags as a set) and the
// documented differences: a value longer than Wavefront takes is cut, and an alert with an empty
// field still arrives (without that tag) where falcosidekick sent nothing.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { fixtureJson, fixtureText } from '../../test/support/fixtures.ts';
import { connectPlugin } from '../../test/support/plugin-harness.ts';
import { parseBody, parsePoint, startWavefrontProxy, type Point } from '../../test/support/wavefront-receiver.ts';
import wavefront from './index.ts';

interface Recorded {
  requests: ({ method: string; path: string; headers: Record<string, string>; body: string } | null)[];
}

const alerts = (parseJson(fixtureText('falcosidekick-wavefront/alerts.json')) as AlertInput[]).map((input, i) => freezeAlert(toAlert(input, () => `wf-${i}`)));
const recorded = fixtureJson<Recorded>('falcosidekick-wavefront/recorded.json').requests;

/** A line's parts with its tags in one order. */
function canonical(line: string): { head: string; tags: string[] } {
  const first = line.indexOf(' source="falco-exporter"') + ' source="falco-exporter"'.length;
  const tags = line.slice(first, -1).match(/ "(?:[^"\\]|\\.)*"="(?:[^"\\]|\\.)*"/g) ?? [];
  expect(tags.join('')).toBe(line.slice(first, -1));
  return { head: line.slice(0, first), tags: [...tags].sort() };
}

describe('wavefront against falcosidekick', () => {
  it('the same requests: POST /report?f=wavefront, gzip, octet-stream; the same line for each alert but the documented differences', async () => {
    const proxy = await startWavefrontProxy();
    try {
      const harness = await connectPlugin(wavefront, { endpointtype: 'proxy', endpointhost: 'http://127.0.0.1', endpointmetricport: proxy.port });
      for (const alert of alerts) expect(await harness.send([alert])).toMatchObject({ kind: 'ok' });
      await harness.close();
    } finally {
      await proxy.stop();
    }
    expect(proxy.invalid).toEqual([]);
    expect(proxy.accepted).toHaveLength(alerts.length);
    proxy.accepted.forEach((req, i) => {
      const theirs = recorded[i];
      const ours = req.body as string;
      if (alerts[i]?.rule === 'Empty') {
        // falcosidekick: "tag values cannot be empty: metric=falco.alert tag=empty", nothing sent.
        expect(theirs).toBeNull();
        expect(ours).toBe('"falco.alert" 1 1795170102000000000 source="falco-exporter" "severity"="Notice" "rule"="Empty" "source"="syscall" "hostname"="node-9"\n');
        return;
      }
      if (!theirs) throw new Error(`no recorded request ${i}`);
      expect([req.method, req.url]).toEqual([theirs.method, theirs.path]);
      expect([req.headers['content-type'], req.headers['content-encoding']]).toEqual([theirs.headers['content-type'], theirs.headers['content-encoding']]);
      if (alerts[i]?.rule === 'Long') {
        // falcosidekick sends the 300 characters, which Wavefront rejects (key and value > 254).
        expect(parseBody(theirs.body).problems).toEqual(['line 1: point tag proc.cmdline: key and value longer than 254 characters']);
        const cut = (parsePoint(ours.slice(0, -1)) as Point).tags['proc.cmdline'];
        expect(cut).toBe(`${'A'.repeat(241)}…`);
        expect(canonical(ours.replace(cut as string, 'A'.repeat(300)))).toEqual(canonical(theirs.body));
        return;
      }
      expect(canonical(ours)).toEqual(canonical(theirs.body));
    });
  });

  it("the stand-in takes falcosidekick's requests (all but the over-long value, which Wavefront rejects)", () => {
    const problems = recorded.flatMap((req) => (req ? parseBody(req.body).problems : []));
    expect(problems).toEqual(['line 1: point tag proc.cmdline: key and value longer than 254 characters']);
  });
});
