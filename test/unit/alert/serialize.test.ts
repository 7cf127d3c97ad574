import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert, thawAlert } from '../../../src/alert/serialize.ts';
import { falcoAlertJson } from '../../support/alerts.ts';

const fresh = () => toAlert(parseJson(falcoAlertJson(7)) as AlertInput);

describe('serializeAlert', () => {
  it("gives the alert's JSON, the same on every call, big integers exact", () => {
    const alert = freezeAlert(fresh());
    const json = serializeAlert(alert);
    expect(json).toBe(JSON.stringify(alert));
    expect(json).toContain('"evt.time":1700000000167531882');
    expect(serializeAlert(alert)).toBe(json);
  });

  it('sends what falcosidekick sends: no empty tags or hostname, no message, tags sorted; thawed back with tags []', () => {
    const input = { rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: { a: 1, tags: [] }, hostname: '', message: 'm' } as AlertInput;
    const bare = freezeAlert(toAlert({ ...input, tags: [] }, () => 'u1'));
    expect(serializeAlert(bare)).toBe('{"uuid":"u1","output":"","priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"a":1,"tags":[]},"source":"syscalls"}');
    expect(thawAlert(serializeAlert(bare)).tags).toEqual([]);
    const tagged = freezeAlert(toAlert({ ...input, tags: ['shell', 'T1059', 'container'], hostname: 'node-1' }, () => 'u2'));
    expect(serializeAlert(tagged)).toBe(
      '{"uuid":"u2","output":"","priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"a":1,"tags":[]},"source":"syscalls","tags":["T1059","container","shell"],"hostname":"node-1"}',
    );
  });

  it('thawAlert gives back a frozen alert that sends the same bytes it came from', () => {
    const json = serializeAlert(freezeAlert(fresh()));
    const thawed = thawAlert(json);
    expect(Object.isFrozen(thawed)).toBe(true);
    expect(serializeAlert(thawed)).toBe(json);
  });
});
