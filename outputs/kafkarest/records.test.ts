// The produce request against what falcosidekick 2.34.1 sent for the same alerts
// (test/fixtures/falcosidekick-http/recorded.json): the same JSON around base64 values whose decoded
// text is the alert JSON (which differs from Go's only as every output's does).
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { asGoAlertJson, falcosidekickRequest, goJsonText } from '../../test/support/falcosidekick-http.ts';
import { serializeAlert } from '../../src/plugin/index.ts';
import { apiVersion, contentType, recordsBody } from './records.ts';

describe('kafkarest records', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))("%s: falcosidekick's request shape, the alert JSON in base64", (priority, alert) => {
    const theirs = falcosidekickRequest('kafkarest', priority).body as { records: { value_decoded: string }[]; raw_shape: string };
    const body = recordsBody([alert]);
    const value = (JSON.parse(body) as { records: { value: string }[] }).records[0]!.value;
    expect(body.replace(value, '<base64 of value_decoded>')).toBe(goJsonText(theirs.raw_shape));
    expect(asGoAlertJson(Buffer.from(value, 'base64').toString('utf8'))).toBe(goJsonText(theirs.records[0]!.value_decoded));
  });

  it('a batch: one record per alert, in order', () => {
    const alerts = priorityAlerts().slice(0, 2);
    const b64 = (i: number) => Buffer.from(serializeAlert(alerts[i]!)).toString('base64');
    expect(recordsBody(alerts)).toBe(`{"records":[{"value":"${b64(0)}"},{"value":"${b64(1)}"}]}`);
  });

  it.each([
    [2, 'application/vnd.kafka.binary.v2+json'],
    [1, 'application/vnd.kafka.binary.v1+json'],
    [3, 'application/vnd.kafka.binary.v2+json'],
    [0, 'application/vnd.kafka.binary.v2+json'],
  ])('version %i: Content-Type %s (falcosidekick: 1 or 2, anything else 2)', (version, type) => {
    expect(contentType(version)).toBe(type);
    expect(apiVersion(version)).toBe(type.includes('v1') ? 1 : 2);
  });
});
