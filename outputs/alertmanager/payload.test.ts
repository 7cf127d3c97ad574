import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { fixtureAlerts } from '../../test/support/alerts.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { alertmanagerSchema } from './options.ts';
import { toPostableAlert, type PayloadOptions } from './payload.ts';

const defaults: PayloadOptions = alertmanagerSchema.parse({ hostport: 'http://am:9093' });
const byPriority = fixtureAlerts('alerts/by-priority.json');
const [, , notice] = byPriority;

describe('alertmanager payload', () => {
  it('the Notice shell alert: every label and annotation as falcosidekick builds them, startsAt = alert time, no endsAt', () => {
    // The expected alert is a shared fixture (the integration test reads it back from Alertmanager).
    // evt.time keeps its exact digits; proc.aname[2] is null and skipped, as falcosidekick skips
    // values that are neither strings nor numbers.
    expect(toPostableAlert(notice as (typeof byPriority)[number], defaults)).toEqual(fixtureJson('alertmanager/notice-postable.json'));
  });

  it.each([
    ['Debug', 'information', '2026-11-20T10:00:00.000000001Z'],
    ['Informational', 'information', '2026-11-20T10:00:01.000000002Z'],
    ['Notice', 'information', '2026-11-20T10:21:36.167531875Z'],
    ['Warning', 'warning', '2026-11-20T10:00:03.000000004Z'],
    ['Error', 'warning', '2026-11-20T10:00:04.000000005Z'],
    ['Critical', 'critical', '2026-11-20T10:00:05.000000006Z'],
    ['Alert', 'critical', '2026-11-20T10:00:06.000000007Z'], // +02:00 in the fixture: sent in UTC
    ['Emergency', 'critical', '2026-11-20T10:00:07.000000008Z'],
  ])('%s → severity %s, startsAt %s', (priority, severity, startsAt) => {
    const alert = byPriority.find((a) => a.priority === priority);
    const p = toPostableAlert(alert as (typeof byPriority)[number], defaults);
    expect(p.labels).toMatchObject({ priority, severity, alertname: alert?.rule, rule: alert?.rule, source: 'falco', eventsource: alert?.source, hostname: alert?.hostname });
    expect(p.startsAt).toBe(startsAt);
    expect(p.annotations).toEqual({ info: alert?.output, description: alert?.output, summary: alert?.rule });
  });

  it('the Warning alert: a number field becomes its text, a boolean is skipped (Error fixture)', () => {
    const warning = toPostableAlert(byPriority[3] as (typeof byPriority)[number], defaults);
    expect(warning.labels.proc_pid).toBe('4242');
    const error = toPostableAlert(byPriority[4] as (typeof byPriority)[number], defaults);
    expect(error.labels).not.toHaveProperty('container_privileged');
  });

  it('the Debug alert has no tags: no tags label', () => {
    expect(toPostableAlert(byPriority[0] as (typeof byPriority)[number], defaults).labels).not.toHaveProperty('tags');
  });

  it('expiresafter sets endsAt that many seconds after the alert time, nanoseconds kept', () => {
    const p = toPostableAlert(notice as (typeof byPriority)[number], { ...defaults, expiresafter: 3600 });
    expect(p.endsAt).toBe('2026-11-20T11:21:36.167531875Z');
  });

  it('extralabels and extraannotations win; customseveritymap overrides the severity of its priorities only', () => {
    const options = alertmanagerSchema.parse({
      hostport: 'http://am:9093',
      extralabels: 'team:sec,source:peregrine',
      extraannotations: { runbook: 'https://wiki/falco', summary: 'custom' },
      customseveritymap: 'notice:minor, CRITICAL:page',
    });
    const p = toPostableAlert(notice as (typeof byPriority)[number], options);
    expect(p.labels).toMatchObject({ team: 'sec', source: 'peregrine', severity: 'minor' });
    expect(p.annotations).toMatchObject({ runbook: 'https://wiki/falco', summary: 'custom' });
    expect(toPostableAlert(byPriority[5] as (typeof byPriority)[number], options).labels.severity).toBe('page');
    expect(toPostableAlert(byPriority[4] as (typeof byPriority)[number], options).labels.severity).toBe('warning');
  });

  it('label values Alertmanager would not take as they are: empty values are left out, lone surrogates become U+FFFD', () => {
    const alert = freezeAlert(
      toAlert({ rule: 'r', priority: 'Notice', time: '2026-01-01T00:00:00Z', hostname: '', output_fields: { 'a.b': '', 'c.d': 'x\ud800y' } } as AlertInput),
    );
    const p = toPostableAlert(alert, defaults);
    expect(p.labels).not.toHaveProperty('a_b');
    expect(p.labels).not.toHaveProperty('hostname');
    expect(p.labels.c_d).toBe('x\ufffdy');
    expect(p.annotations.info).toBe(''); // an empty annotation is valid: kept, as falcosidekick sends it
  });
});

describe('alertmanager: syscall drop alerts (falcosidekick dropeventthresholds)', () => {
  const [drop] = fixtureAlerts('alerts/syscall-drop.json');
  const build = (options: Partial<PayloadOptions> = {}) => toPostableAlert(drop as NonNullable<typeof drop>, { ...defaults, ...options });

  it('default thresholds: counts above a threshold become ">threshold", 0 stays "0", n_evts is left out, the priority is raised', () => {
    const p = build();
    expect(p.labels).toMatchObject({
      n_drops: '>1000',
      n_drops_buffer_total: '>1000',
      n_drops_buffer_clone_fork_enter: '0',
      n_drops_bug: '0',
      n_drops_page_fault: '>1', // 3 > 1:warning
      n_drops_scratch_map: '0',
      ebpf_enabled: '1',
      priority: 'Critical', // the highest raise wins: 1503 > 1000:critical
      severity: 'critical',
    });
    expect(p.labels).not.toHaveProperty('n_evts');
    expect(p.labels).not.toHaveProperty('n_drops_pct'); // 0.149 is not an integer: left out, as falcosidekick does
  });

  it('a count matching no threshold keeps its value and raises the priority to dropeventdefaultpriority', () => {
    const options = alertmanagerSchema.parse({ hostport: 'http://am:9093', dropeventthresholds: '5000:alert', dropeventdefaultpriority: 'error' });
    const p = build(options);
    expect(p.labels).toMatchObject({ n_drops: '1503', n_drops_page_fault: '3', n_drops_bug: '0', priority: 'Error', severity: 'warning' });
  });

  it('counts given as strings (older Falco) are read the same way', () => {
    const alert = freezeAlert(toAlert({ rule: 'Falco internal: syscall event drop', priority: 'Debug', time: '2026-01-01T00:00:00Z', output_fields: { n_drops: '20000' } }));
    expect(toPostableAlert(alert, defaults).labels).toMatchObject({ n_drops: '>10000', priority: 'Critical' });
  });

  it('only zero drops: raised to Warning, never lowered', () => {
    const zero = freezeAlert(toAlert({ rule: 'd', priority: 'Debug', time: '2026-01-01T00:00:00Z', output_fields: { n_drops: 0 } }));
    expect(toPostableAlert(zero, defaults).labels.priority).toBe('Warning');
    const high = freezeAlert(toAlert({ rule: 'd', priority: 'Emergency', time: '2026-01-01T00:00:00Z', output_fields: { n_drops: 0 } }));
    expect(toPostableAlert(high, defaults).labels.priority).toBe('Emergency');
  });
});
