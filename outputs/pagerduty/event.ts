// Alert → PagerDuty Events API v2 trigger event (https://developer.pagerduty.com, "Send an Alert
// Event"): summary ≤ 1024 characters, dedup_key ≤ 255, severity critical|error|warning|info, the
// whole event ≤ 512 KB. falcosidekick sent severity "critical" for everything and no dedup_key
// (every Falco alert paged as a new incident); this maps the priority and sets a stable key.
import { epochMillis, scalarText, stableKey, truncate, type Alert, type Priority } from '../../src/plugin/index.ts';
import type { PagerDutyOptions } from './options.ts';

const LIMITS = { summary: 1024, dedupKey: 255, eventBytes: 512 * 1024 } as const;

const SEVERITY: Record<Priority, 'critical' | 'error' | 'warning' | 'info'> = {
  Emergency: 'critical',
  Alert: 'critical',
  Critical: 'critical',
  Error: 'error',
  Warning: 'warning',
  Notice: 'info',
  Informational: 'info',
  Debug: 'info',
};

export interface TriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key?: string;
  client: string;
  payload: {
    summary: string;
    source: string;
    severity: (typeof SEVERITY)[Priority];
    timestamp: string;
    class: string;
    component?: string;
    group?: string;
    custom_details: Record<string, unknown>;
  };
}

export function toEvent(alert: Alert, options: Pick<PagerDutyOptions, 'routingkey' | 'dedupfields'>): TriggerEvent {
  const fields = alert.output_fields;
  const pod = scalarText(fields['k8s.pod.name']);
  const container = scalarText(fields['container.name']);
  const namespace = scalarText(fields['k8s.ns.name']);
  const event: TriggerEvent = {
    routing_key: options.routingkey,
    event_action: 'trigger',
    client: 'Falco (Peregrine)',
    payload: {
      summary: truncate(alert.output.trim() || `${alert.priority}: ${alert.rule}`, LIMITS.summary),
      source: alert.hostname || 'falco',
      severity: SEVERITY[alert.priority],
      timestamp: new Date(epochMillis(alert.time)).toISOString(),
      class: alert.rule,
      // The part of the host that is affected: the pod, else the container (not the host itself).
      ...(pod ? { component: pod } : container && container !== 'host' ? { component: container } : {}),
      ...(namespace ? { group: namespace } : {}),
      // falcosidekick's custom_details are the output fields plus hostname; the alert's own keys follow.
      custom_details: { ...fields, hostname: alert.hostname, rule: alert.rule, priority: alert.priority, source: alert.source, tags: alert.tags, uuid: alert.uuid },
    },
  };
  const key = stableKey(alert, options.dedupfields);
  if (key) event.dedup_key = key; // 64 hex characters, within the 255 allowed
  return event;
}

/**
 * The request body. An event over PagerDuty's 512 KB (huge output fields) would be refused as a
 * whole: it keeps the alert's own keys and says which output fields it left out.
 */
export function eventBody(event: TriggerEvent, alert: Alert): string {
  const body = JSON.stringify(event);
  if (Buffer.byteLength(body) <= LIMITS.eventBytes - 1024) return body;
  const { hostname, rule, priority, source, tags, uuid } = event.payload.custom_details;
  const omitted = Object.keys(alert.output_fields).join(', ');
  const details = { hostname, rule, priority, source, tags, uuid, output_fields_omitted: truncate(`event over 512 KB; left out: ${omitted}`, 4096) };
  return JSON.stringify({ ...event, payload: { ...event.payload, custom_details: details } });
}
