import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { fixtureAlerts } from '../../test/support/alerts.ts';
import { opsgenieSpec } from '../../test/support/opsgenie-receiver.ts';
import type { Received } from '../../test/support/receiver.ts';
import { toEvent } from '../pagerduty/event.ts';
import { pagerdutySchema } from '../pagerduty/options.ts';
import { toCreateAlert, type CreateAlert } from './alert.ts';
import { classifyCreate } from './classify.ts';
import { opsgenieSchema } from './options.ts';

const options = opsgenieSchema.parse({ apikey: 'k' });
const byPriority = fixtureAlerts('alerts/by-priority.json');
const at = (i: number) => byPriority[i] as Alert;
const variant = (base: Alert, change: Partial<AlertInput>): Alert => freezeAlert(toAlert({ ...(base as AlertInput), ...change }));
const spec = opsgenieSpec('k');
const valid = (request: CreateAlert) => spec.validate({ method: 'POST', url: '/v2/alerts', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), at: 0 } as Received);

describe('opsgenie create-alert request', () => {
  it('the Notice shell alert: the exact request', () => {
    expect(toCreateAlert(at(2), options)).toEqual({
      message: '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
      description: '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
      tags: ['T1059', 'container', 'mitre_execution', 'shell'],
      details: {
        rule: 'Terminal shell in container',
        priority: 'Notice',
        source: 'syscall',
        hostname: 'node-1',
        tags: 'T1059, container, mitre_execution, shell',
        uuid: 'prio-notice',
        container_id: '1f0a2e5c8d3b',
        evt_time: '1700000000167531875',
        proc_cmdline: 'sh -c id',
        k8s_ns_name: 'default',
        k8s_pod_name: 'web-7d9',
        user_name: 'root',
      },
      entity: 'Falcosidekick',
      source: 'node-1',
      priority: 'P5',
      alias: 'de9536953ce931ea47b5b1a4ec9099234d2dafe3925d6e0722879bd9ed79cfa1',
    });
  });

  it.each([
    [0, 'Debug', 'P5'],
    [1, 'Informational', 'P5'],
    [2, 'Notice', 'P5'],
    [3, 'Warning', 'P4'],
    [4, 'Error', 'P3'],
    [5, 'Critical', 'P2'],
    [6, 'Alert', 'P1'],
    [7, 'Emergency', 'P1'],
  ])('fixture %i (%s) → %s (falcosidekick\'s mapping), a valid Create Alert request', (i, priority, p) => {
    const alert = at(i);
    expect(alert.priority).toBe(priority);
    const request = toCreateAlert(alert, options);
    expect(request.priority).toBe(p);
    expect(request.details).toMatchObject({ priority, rule: alert.rule });
    expect(valid(request)).toEqual([]);
  });

  it('the alias is the PagerDuty dedup_key for the same fields: one definition of "the same alert"', () => {
    const pd = pagerdutySchema.parse({ routingkey: '0123456789abcdef0123456789abcdef' });
    for (const alert of byPriority) expect(toCreateAlert(alert, options).alias).toBe(toEvent(alert, pd).dedup_key);
    expect(toCreateAlert(at(3), { ...options, dedupfields: [] })).not.toHaveProperty('alias');
  });

  it('long texts are cut to Opsgenie\'s limits and still valid: message 130, description 15000, tags 20 × 50', () => {
    const alert = variant(at(3), { output: 'o'.repeat(20_000), tags: Array.from({ length: 30 }, (_, i) => `${i}-${'t'.repeat(60)}`) });
    const request = toCreateAlert(alert, options);
    expect(request.message).toHaveLength(130);
    expect(request.description).toHaveLength(15_000);
    expect(request.tags).toHaveLength(20);
    expect(request.tags.every((t) => t.length === 50)).toBe(true);
    expect(valid(request)).toEqual([]);
  });

  it('details stay within 8000 characters: own keys first, a long field cut, the rest named in "omitted"', () => {
    const fields = { 'proc.cmdline': 'c'.repeat(7000), 'k8s.ns.name': 'payments', ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f.${i}`, 'v'.repeat(100)])) };
    const request = toCreateAlert(variant(at(3), { output_fields: fields }), options);
    expect(valid(request)).toEqual([]);
    expect(request.details.rule).toBe('Read sensitive file untrusted');
    expect(request.details.proc_cmdline).toHaveLength(7000);
    expect(request.details.k8s_ns_name).toBe('payments');
    expect(request.details.omitted).toMatch(/^over Opsgenie's 8000 characters: f_\d+/);
    const size = Object.entries(request.details).reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(size).toBeLessThanOrEqual(8000);
  });

  it("fields named after Object.prototype's members are details like any other", () => {
    const fields = JSON.parse('{"constructor":"a","hasOwnProperty":"b","__proto__":"c","proc.name":"bash"}') as AlertInput['output_fields'];
    const request = toCreateAlert(variant(at(3), { output_fields: fields }), options);
    expect(request.details).toMatchObject({ constructor: 'a', hasOwnProperty: 'b', proc_name: 'bash' });
    expect(Object.getOwnPropertyDescriptor(request.details, '__proto__')?.value).toBe('c');
    expect(request.details).not.toHaveProperty('omitted');
    expect(JSON.parse(JSON.stringify(request.details))).toMatchObject({ constructor: 'a', hasOwnProperty: 'b' });
  });

  it('an alert without output or hostname: "<priority>: <rule>" as message, source "falco"; null fields left out', () => {
    const request = toCreateAlert(variant(at(2), { output: '', hostname: undefined }), options);
    expect(request).toMatchObject({ message: 'Notice: Terminal shell in container', source: 'falco' });
    expect(request.details).not.toHaveProperty('proc_aname[2]');
    expect(request.details).not.toHaveProperty('hostname');
  });

  it('an output field that is "" is a detail "", as falcosidekick sends it (a filter may test for it)', () => {
    const request = toCreateAlert(variant(at(2), { output_fields: { 'k8s.ns.labels.owner': '', 'proc.name': 'bash' } }), options);
    expect(request.details).toMatchObject({ k8s_ns_labels_owner: '', proc_name: 'bash' });
    expect(valid(request)).toEqual([]);
  });
});

describe('opsgenie answers', () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });

  it('400 (invalid JSON, per Opsgenie\'s Response page) is final with its message; 429 waits for Retry-After', () => {
    expect(classifyCreate(res(400, { message: 'Could not parse the request body', took: 0, requestId: 'r-1' }))).toEqual({ kind: 'fail', reason: 'HTTP 400: Could not parse the request body [requestId r-1]' });
    expect(classifyCreate(res(429, { message: 'too many' }, { 'retry-after': '7' }))).toMatchObject({ kind: 'retry', afterMs: 7000 });
    expect(classifyCreate(res(202, { result: 'Request will be processed' }))).toEqual({ kind: 'ok' });
  });
});
