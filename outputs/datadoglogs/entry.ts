// One Datadog log entry per alert, as falcosidekick writes it: ddsource "falco", the alert's host,
// the configured service, the alert's JSON as the message, the rule's tags joined by "," as ddtags
// (each left out when empty, as falcosidekick's omitempty does).
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

export function logEntry(alert: Alert, service: string): string {
  const entry: Record<string, string> = { ddsource: 'falco' };
  if (alert.hostname) entry.hostname = alert.hostname;
  if (service !== '') entry.service = service;
  entry.message = serializeAlert(alert);
  if (alert.tags.length > 0) entry.ddtags = alert.tags.join(','); // sorted when the alert was read
  return JSON.stringify(entry);
}

/** The request body: the entries as one JSON array (the intake takes up to 1,000 per request). */
export function logsBody(alerts: readonly Alert[], service: string): string {
  return `[${alerts.map((alert) => logEntry(alert, service)).join(',')}]`;
}
