import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { fixtureAlerts } from '../../test/support/alerts.ts';
import { pagerDutySpec } from '../../test/support/pagerduty-receiver.ts';
import type { Received } from '../../test/support/receiver.ts';
import { eventBody, toEvent } from './event.ts';
import { pagerdutySchema } from './options.ts';

const KEY = '0123456789abcdef0123456789abcdef';
const options = pagerdutySchema.parse({ routingkey: KEY });
const byPriority = fixtureAlerts('alerts/by-priority.json');
const at = (i: number) => byPriority[i] as Alert;
const asRequest = (body: string): Received => ({ method: 'POST', url: '/v2/enqueue', headers: {}, body, at: 0 });
const variant = (base: Alert, change: Partial<AlertInput>): Alert => freezeAlert(toAlert({ ...(base as AlertInput), ...change }));

describe('pagerduty trigger event', () => {
  it('the Notice shell alert: the exact event', () => {
    expect(JSON.parse(eventBody(toEvent(at(2), options), at(2)))).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      client: 'Falco (Peregrine)',
      payload: {
        summary: '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
        source: 'node-1',
        severity: 'info',
        timestamp: '2026-11-20T10:21:36.167Z',
        class: 'Terminal shell in container',
        component: 'web-7d9',
        group: 'default',
        custom_details: {
          'container.id': '1f0a2e5c8d3b',
          'evt.time': expect.any(Number), // exact digits checked below
          'proc.cmdline': 'sh -c id',
          'k8s.ns.name': 'default',
          'k8s.pod.name': 'web-7d9',
          'user.name': 'root',
          'proc.aname[2]': null,
          hostname: 'node-1',
          rule: 'Terminal shell in container',
          priority: 'Notice',
          source: 'syscall',
          tags: ['T1059', 'container', 'mitre_execution', 'shell'],
          uuid: 'prio-notice',
        },
      },
      // sha256('[["rule","Terminal shell in container"],["hostname","node-1"],["k8s.ns.name","default"],["k8s.pod.name","web-7d9"]]')
      dedup_key: 'de9536953ce931ea47b5b1a4ec9099234d2dafe3925d6e0722879bd9ed79cfa1',
    });
    // evt.time above 2^53 is written with its exact digits
    expect(eventBody(toEvent(at(2), options), at(2))).toContain('"evt.time":1700000000167531875');
  });

  it.each([
    [0, 'Debug', 'info'],
    [1, 'Informational', 'info'],
    [2, 'Notice', 'info'],
    [3, 'Warning', 'warning'],
    [4, 'Error', 'error'],
    [5, 'Critical', 'critical'],
    [6, 'Alert', 'critical'],
    [7, 'Emergency', 'critical'],
  ])('fixture %i (%s) → severity %s, a valid Events API v2 event', (i, priority, severity) => {
    const alert = at(i);
    expect(alert.priority).toBe(priority);
    const body = eventBody(toEvent(alert, options), alert);
    expect(pagerDutySpec.validate(asRequest(body))).toEqual([]);
    const event = JSON.parse(body) as ReturnType<typeof toEvent>;
    expect(event.payload).toMatchObject({ severity, source: alert.hostname, class: alert.rule, custom_details: { priority, rule: alert.rule, uuid: alert.uuid } });
    expect(event.payload.timestamp).toBe(new Date(Date.parse(alert.time)).toISOString());
  });

  it('no pod, no namespace: no component or group; a host alert without output gets "<priority>: <rule>" as summary', () => {
    const event = toEvent(variant(at(7), { output: '', hostname: undefined }), options);
    expect(event.payload).not.toHaveProperty('component');
    expect(event.payload).not.toHaveProperty('group');
    expect(event.payload.summary).toBe('Emergency: Linux Kernel Module Injection Detected');
    expect(event.payload.source).toBe('falco');
  });

  it('a 5,000-character output: summary cut to 1024 characters, still valid', () => {
    const alert = variant(at(3), { output: 'x'.repeat(5000) });
    const event = toEvent(alert, options);
    expect(event.payload.summary).toHaveLength(1024);
    expect(event.payload.summary.endsWith('…')).toBe(true);
    expect(pagerDutySpec.validate(asRequest(eventBody(event, alert)))).toEqual([]);
  });

  it('an event over 512 KB keeps the alert\'s own details and names the output fields it left out', () => {
    const alert = variant(at(3), { output_fields: { 'proc.cmdline': 'y'.repeat(600_000), 'k8s.ns.name': 'payments' } });
    const body = eventBody(toEvent(alert, options), alert);
    expect(Buffer.byteLength(body)).toBeLessThan(512 * 1024);
    expect(pagerDutySpec.validate(asRequest(body))).toEqual([]);
    expect((JSON.parse(body) as ReturnType<typeof toEvent>).payload.custom_details).toEqual({
      hostname: 'node-3',
      rule: 'Read sensitive file untrusted',
      priority: 'Warning',
      source: 'syscall',
      tags: ['T1555', 'filesystem', 'mitre_credential_access'],
      uuid: 'prio-warning',
      output_fields_omitted: 'event over 512 KB; left out: proc.cmdline, k8s.ns.name',
    });
  });
});

describe('pagerduty dedup_key', () => {
  const key = (alert: Alert, fields = options.dedupfields) => toEvent(alert, { ...options, dedupfields: fields }).dedup_key;
  const base = at(3);

  it('the same rule, host, namespace and pod: the same key, whatever the time, uuid, priority or other fields', () => {
    const again = variant(base, { uuid: 'other', time: '2027-01-01T00:00:00Z', priority: 'Critical', output: 'different', output_fields: { ...base.output_fields, 'proc.pid': 1 } });
    expect(key(again)).toBe(key(base));
    expect(key(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['rule', { rule: 'Another rule' }],
    ['hostname', { hostname: 'node-9' }],
    ['k8s.ns.name', { output_fields: { ...base.output_fields, 'k8s.ns.name': 'other' } }],
    ['k8s.pod.name', { output_fields: { ...base.output_fields, 'k8s.pod.name': 'api-9' } }],
  ])('a different %s: a different key', (_field, change) => {
    expect(key(variant(base, change as Partial<AlertInput>))).not.toBe(key(base));
  });

  it('an absent field and an empty one are different keys', () => {
    const { 'k8s.pod.name': _pod, ...withoutPod } = base.output_fields;
    expect(key(variant(base, { output_fields: withoutPod }))).not.toBe(key(variant(base, { output_fields: { ...withoutPod, 'k8s.pod.name': '' } })));
  });

  it('dedupfields: [uuid] is one key per alert; [] sends no dedup_key (falcosidekick\'s behaviour)', () => {
    expect(key(base, ['uuid'])).not.toBe(key(variant(base, { uuid: 'x' }), ['uuid']));
    expect(toEvent(base, { ...options, dedupfields: [] })).not.toHaveProperty('dedup_key');
    expect(pagerdutySchema.parse({ routingkey: KEY, dedupfields: 'rule, k8s.ns.name' }).dedupfields).toEqual(['rule', 'k8s.ns.name']);
  });
});
