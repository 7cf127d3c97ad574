import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/ingest/alert.ts';
import { parseJson } from '../../../src/ingest/json.ts';
import { serializeAlert, thawAlert } from '../../../src/ingest/serialize.ts';
import { falcoAlertJson } from '../../support/alerts.ts';

const fresh = () => toAlert(parseJson(falcoAlertJson(7)) as AlertInput);

describe('serializeAlert', () => {
  it('returns the JSON stored when the alert was frozen, byte for byte, big integers exact', () => {
    const alert = freezeAlert(fresh());
    const json = serializeAlert(alert);
    expect(json).toBe(JSON.stringify(alert));
    expect(json).toContain('"evt.time":1700000000167531882');
    // The same string object each time, not a new serialization.
    expect(Object.is(serializeAlert(alert), json)).toBe(true);
  });

  it('keeps the stored JSON out of sight: not in the JSON, the keys or a copy', () => {
    const alert = freezeAlert(fresh());
    expect(Object.keys(alert)).toEqual(['uuid', 'output', 'priority', 'rule', 'time', 'output_fields', 'source', 'tags', 'hostname']);
    expect(JSON.stringify(alert)).not.toContain('peregrine');
    const copy = { ...alert, rule: 'changed' };
    expect(serializeAlert(copy)).toContain('"rule":"changed"');
  });

  it('serializes an alert that was never frozen each time, so it follows changes', () => {
    const alert = fresh() as { rule: string };
    expect(serializeAlert(alert as never)).toContain('"rule":"Terminal shell in container"');
    alert.rule = 'other';
    expect(serializeAlert(alert as never)).toContain('"rule":"other"');
  });

  it('freezes once: freezing a frozen alert keeps it and its JSON', () => {
    const alert = freezeAlert(fresh());
    const json = serializeAlert(alert);
    expect(freezeAlert(alert)).toBe(alert);
    expect(Object.is(serializeAlert(alert), json)).toBe(true);
    expect(Object.isFrozen(alert) && Object.isFrozen(alert.output_fields)).toBe(true);
  });

  it('thawAlert gives back a frozen alert that sends the very string it came from', () => {
    const json = serializeAlert(freezeAlert(fresh()));
    const thawed = thawAlert(json);
    expect(Object.isFrozen(thawed)).toBe(true);
    expect(Object.is(serializeAlert(thawed), json)).toBe(true);
  });
});
