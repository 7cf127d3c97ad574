// The Confluent REST Proxy v2 produce request falcosidekick sends (POST /topics/<topic>, the binary
// embedded format): {"records":[{"value":"<base64 of the alert JSON>"}]}, one record per alert.
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

/** falcosidekick's rule: version 1 or 2; any other value is 2. */
export function apiVersion(version: number): 1 | 2 {
  return version === 1 ? 1 : 2;
}

/** The binary embedded format's Content-Type for that API version. */
export function contentType(version: number): string {
  return `application/vnd.kafka.binary.v${apiVersion(version)}+json`;
}

export function recordsBody(alerts: readonly Alert[]): string {
  return `{"records":[${alerts.map((alert) => `{"value":"${Buffer.from(serializeAlert(alert), 'utf8').toString('base64')}"}`).join(',')}]}`;
}
