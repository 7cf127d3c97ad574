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

  it('thawAlert gives back a frozen alert that sends the same bytes it came from', () => {
    const json = serializeAlert(freezeAlert(fresh()));
    const thawed = thawAlert(json);
    expect(Object.isFrozen(thawed)).toBe(true);
    expect(serializeAlert(thawed)).toBe(json);
  });
});
