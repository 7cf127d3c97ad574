// What the spyderbat output sends against what falcosidekick 2.34.1 sent for the same alerts and keys
// (test/fixtures/falcosidekick-spyderbat/: its requests to a capture server): the source lookup and
// creation, then each event, byte for byte but for the values that are random or the clock's (id,
// monotonic_time, orc_time: placeholders in the recording).
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { fixtureJson, fixtureText } from '../../test/support/fixtures.ts';
import { connectPlugin } from '../../test/support/plugin-harness.ts';
import { eventProblems, startSpyderbatApi } from '../../test/support/spyderbat-receiver.ts';
import spyderbat from './index.ts';

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
const recorded = fixtureJson<{ source: Request[]; events: Request[] }>('falcosidekick-spyderbat/recorded.json');
const alerts = (parseJson(fixtureText('falcosidekick-spyderbat/alerts.json')) as AlertInput[]).map((input, i) => freezeAlert(toAlert(input, () => `sb-${i}`)));

const placeholders = (body: string) =>
  body
    .replace(/"id":"sb-\d+"/, '"id":"<uuid>"')
    .replace(/"monotonic_time":\d+/, '"monotonic_time":"<ns of the second>"')
    .replace(/"orc_time":[0-9.]+/, '"orc_time":"<now, epoch seconds>"');

describe('spyderbat against falcosidekick', () => {
  it('the same source lookup and creation, then the same event for each of the alerts', async () => {
    const api = await startSpyderbatApi('org123', 'key-abc', [{ uid: 'other', name: 'x', description: '' }]);
    try {
      const harness = await connectPlugin(spyderbat, { orguid: 'org123', apikey: 'key-abc', apiurl: api.receiver.url(''), sourcedescription: 'Falco <alerts> & more' });
      for (const alert of alerts) expect(await harness.send([alert])).toMatchObject({ kind: 'ok' });
      await harness.close();
    } finally {
      await api.receiver.stop();
    }
    expect(api.receiver.invalid).toEqual([]);
    const [get, post, ...events] = api.receiver.requests;
    for (const [ours, theirs] of [[get, recorded.source[0]], [post, recorded.source[1]]] as const) {
      expect([ours?.method, ours?.url, ours?.body, ours?.headers.authorization]).toEqual([theirs?.method, theirs?.path, theirs?.body, theirs?.headers.authorization]);
    }
    expect(events).toHaveLength(recorded.events.length);
    events.forEach((ours, i) => {
      const theirs = recorded.events[i] as Request;
      expect([ours.method, ours.url]).toEqual([theirs.method, theirs.path]);
      for (const header of ['authorization', 'content-type', 'content-encoding']) expect(ours.headers[header]).toBe(theirs.headers[header]);
      expect(placeholders(ours.body ?? '')).toBe(theirs.body);
    });
  });

  it("the stand-in takes falcosidekick's events (the placeholders given values of their kind)", () => {
    for (const { body } of recorded.events) {
      const line = body.trim().replace('"<uuid>"', '"53c37181-abb6-4d90-8b3d-d8048d96df79"').replace('"<ns of the second>"', '26554445').replace('"<now, epoch seconds>"', '1796683130.0265493');
      expect(eventProblems(line)).toEqual([]);
    }
  });
});
