import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { packAlert } from '../../../src/alert/packed.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { falcoAlertJson } from '../../support/alerts.ts';

const alertOf = (json: string) => freezeAlert(toAlert(parseJson(json) as AlertInput));

describe('packAlert', () => {
  it('gives back the JSON character for character, non-ASCII and escapes included, across dictionary changes', () => {
    const alerts = Array.from({ length: 600 }, (_, i) =>
      alertOf(falcoAlertJson(i).replace('"user.name":"root"', `"user.name":"röot-${i}-✓-\\u0000-\\"q\\"-\\ud83d\\ude00"`)),
    );
    const packed = alerts.map(packAlert);
    for (const [i, p] of packed.entries()) expect(p.unpack()).toBe(serializeAlert(alerts[i] as never));
  });

  it('is much smaller than the JSON for a stream of similar alerts', () => {
    const alerts = Array.from({ length: 300 }, (_, i) => alertOf(falcoAlertJson(i)));
    const json = alerts.reduce((n, a) => n + serializeAlert(a).length, 0);
    const packed = alerts.reduce((n, a) => n + packAlert(a).size, 0);
    expect(packed * 5).toBeLessThan(json);
  });

  it('packs an alert once: every output holding it shares one PackedJson', () => {
    const alert = alertOf(falcoAlertJson(1));
    expect(packAlert(alert)).toBe(packAlert(alert));
  });
});
