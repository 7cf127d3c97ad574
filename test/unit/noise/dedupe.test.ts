// Memory dedupe on the fake clock: leading edge, the summary at window end, keys with missing
// fields, eviction past maxkeys.
import { describe, expect, it } from 'vitest';
import { summaryUuid } from '../../../src/noise/summary.ts';
import { validateAlert } from '../../../src/ingest/validate.ts';
import { metricSum } from '../../support/metrics.ts';
import { harness, shell } from './support.ts';

const TEN_MIN = 600_000;

describe('dedupe (memory)', () => {
  it('sends the first alert of a key at once and holds back its repeats within the window', () => {
    const h = harness({ slack: { dedupe: { windowms: TEN_MIN } }, siem: {} });
    expect(h.admit(shell())).toEqual(['slack', 'siem']);
    for (let i = 0; i < 5; i++) expect(h.admit(shell())).toEqual(['siem']);
    expect(h.noise.health('slack')).toMatchObject({ suppressed: { dedupe: 5, ratelimit: 0, silence: 0 }, activeKeys: 1 });
    expect(h.noise.health('siem')).toBeUndefined();
    expect(h.summaries).toEqual([]);
  });

  it('sends one summary at window end: count, first/last seen, highest priority, what varied, a deterministic uuid', async () => {
    const h = harness({ slack: { dedupe: { windowms: TEN_MIN, keys: ['rule'] } } });
    const start = h.clock.now();
    h.admit(shell());
    await h.clock.advance(60_000);
    h.admit(shell({ priority: 'Critical', hostname: 'node-2' }, { 'k8s.pod.name': 'web-2' }));
    await h.clock.advance(60_000);
    h.admit(shell({ hostname: 'node-3' }));
    expect(h.summaries).toEqual([]);
    await h.clock.advance(TEN_MIN - 120_000 - 1);
    expect(h.summaries).toEqual([]);
    await h.clock.advance(1);
    expect(h.summaries).toHaveLength(1);
    const { output, alert } = h.summaries[0] as (typeof h.summaries)[number];
    expect(output).toBe('slack');
    expect(alert).toMatchObject({
      uuid: summaryUuid('slack', 'Terminal shell in container', start),
      rule: 'Terminal shell in container',
      priority: 'Critical',
      source: 'syscall',
      hostname: 'node-1',
      time: new Date(start + TEN_MIN).toISOString(),
      output: 'Terminal shell in container ×3 since 10:00:00 UTC (last 10:02:00; 2 held back; 3 hostname: node-1, node-2, node-3; 2 k8s.pod.name: web-7d9, web-2)',
    });
    expect(alert.output_fields).toMatchObject({
      'peregrine.summary': true,
      'peregrine.count': 3,
      'peregrine.suppressed': 2,
      'peregrine.first_seen': '2026-11-20T10:00:00.000Z',
      'peregrine.last_seen': '2026-11-20T10:02:00.000Z',
      'peregrine.window_end': '2026-11-20T10:10:00.000Z',
      'peregrine.sample.hostname': ['node-1', 'node-2', 'node-3'],
      'peregrine.sample.k8s.pod.name': ['web-7d9', 'web-2'],
      'peregrine.sample.k8s.ns.name': ['default'],
      'container.id': '1f0a2e5c8d3b',
    });
    expect(alert.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A valid Falco alert: Peregrine itself would accept it.
    expect(validateAlert(JSON.parse(JSON.stringify(alert))).ok).toBe(true);
    expect(h.noise.health('slack')).toMatchObject({ activeKeys: 0 });
    expect(await metricSum(h.metrics.registry, 'peregrine_dedupe_summaries_total', { output: 'slack' })).toBe(1);
    expect(await metricSum(h.metrics.registry, 'peregrine_suppressed_total', { output: 'slack', reason: 'dedupe' })).toBe(2);
    // The next alert of the key after the window pages again.
    expect(h.admit(shell())).toEqual(['slack']);
  });

  it('sends no summary for a window without repeats, nor when summary is off', async () => {
    const h = harness({ a: { dedupe: { windowms: 1000 } }, b: { dedupe: { windowms: 1000, summary: false } } });
    h.admit(shell({ rule: 'once' }), ['a']);
    h.admit(shell(), ['b']);
    h.admit(shell(), ['b']);
    await h.clock.advance(1000);
    expect(h.summaries).toEqual([]);
    expect(h.noise.health('b')).toMatchObject({ suppressed: { dedupe: 1 }, activeKeys: 0 });
  });

  it('keeps keys apart by every key field; a missing field is a value of its own, distinct from ""', () => {
    const h = harness({ slack: { dedupe: { windowms: TEN_MIN } } });
    const noK8s = { 'k8s.ns.name': undefined, 'k8s.pod.name': undefined };
    expect(h.admit(shell({}, noK8s))).toEqual(['slack']);
    expect(h.admit(shell({}, noK8s))).toEqual([]);
    expect(h.admit(shell({}, { 'k8s.ns.name': undefined, 'k8s.pod.name': '' }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.ns.name': undefined, 'k8s.pod.name': null }))).toEqual([]); // null = missing
    expect(h.admit(shell({ hostname: undefined }, noK8s))).toEqual(['slack']);
    expect(h.admit(shell({ hostname: 'node-2' }, noK8s))).toEqual(['slack']);
    expect(h.admit(shell({ rule: 'Other rule' }, noK8s))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.pod.name': 'web-2' }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.pod.name': 'web-2' }))).toEqual([]);
    expect(h.noise.health('slack')).toMatchObject({ activeKeys: 6, suppressed: { dedupe: 3 } });
  });

  it('keeps keys apart when values hold the key\'s own separator or missing marker (alert content may)', () => {
    const h = harness({ slack: { dedupe: { windowms: TEN_MIN } } });
    expect(h.admit(shell({}, { 'k8s.ns.name': 'a\u0000b', 'k8s.pod.name': 'c' }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.ns.name': 'a', 'k8s.pod.name': 'b\u0000c' }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.ns.name': 'x', 'k8s.pod.name': undefined }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.ns.name': 'x', 'k8s.pod.name': '\u0001' }))).toEqual(['slack']);
    expect(h.admit(shell({}, { 'k8s.ns.name': 'x', 'k8s.pod.name': '\u0001' }))).toEqual([]);
    expect(h.noise.health('slack')).toMatchObject({ activeKeys: 4, suppressed: { dedupe: 1 } });
  });

  it('keys on numbers, big integers and tags as text', () => {
    const h = harness({ out: { dedupe: { windowms: 1000, keys: ['output_fields.evt.time', 'tags'] } } });
    expect(h.admit(shell())).toEqual(['out']);
    expect(h.admit(shell())).toEqual([]);
    expect(h.admit(shell({}, { 'evt.time': 1 }))).toEqual(['out']);
    expect(h.admit(shell({ tags: ['a'] }))).toEqual(['out']);
  });

  it('evicts the oldest keys past maxkeys, counted, and sends an evicted window\'s summary early', async () => {
    const h = harness({ out: { dedupe: { windowms: TEN_MIN, keys: ['output_fields.k8s.pod.name'], maxkeys: 100 } } });
    h.admit(shell({}, { 'k8s.pod.name': 'pod-0' }));
    h.admit(shell({}, { 'k8s.pod.name': 'pod-0' }));
    for (let i = 1; i < 150; i++) expect(h.admit(shell({}, { 'k8s.pod.name': `pod-${i}` }))).toEqual(['out']);
    expect(h.noise.health('out')).toMatchObject({ activeKeys: 100, evicted: 50 });
    expect(await metricSum(h.metrics.registry, 'peregrine_dedupe_evicted_total', { output: 'out' })).toBe(50);
    expect(h.summaries.map((s) => s.alert.output_fields['k8s.pod.name'])).toEqual(['pod-0']);
    expect(h.summaries[0]?.alert.output_fields['peregrine.suppressed']).toBe(1);
    // pod-0 was evicted: it pages again; pod-149 is still held.
    expect(h.admit(shell({}, { 'k8s.pod.name': 'pod-0' }))).toEqual(['out']);
    expect(h.admit(shell({}, { 'k8s.pod.name': 'pod-149' }))).toEqual([]);
    expect(await metricSum(h.metrics.registry, 'peregrine_dedupe_active_keys', { output: 'out' })).toBe(100);
  });

  it('evicts the oldest keys past maxbytes: each window holds its first alert, and its samples cut to 256 characters', async () => {
    const h = harness({ out: { dedupe: { windowms: TEN_MIN, keys: ['output_fields.k8s.pod.name'], samplefields: ['output_fields.proc.cmdline'], maxbytes: 1_048_576 } } });
    const big = (pod: string, cmdline = 'x') => shell({}, { 'k8s.pod.name': pod, 'proc.cmdline': cmdline, padding: 'p'.repeat(200_000) });
    expect(h.admit(big('pod-0'))).toEqual(['out']);
    expect(h.admit(big('pod-0', 'y'.repeat(100_000)))).toEqual([]); // a repeat: its sample is cut
    for (let i = 1; i < 8; i++) expect(h.admit(big(`pod-${i}`))).toEqual(['out']);
    // Five ~200 KB alerts fit in 1 MiB: the three oldest windows went, pod-0's summary early.
    expect(h.noise.health('out')).toMatchObject({ activeKeys: 5, evicted: 3 });
    expect(h.summaries.map((s) => s.alert.output_fields['k8s.pod.name'])).toEqual(['pod-0']);
    const samples = h.summaries[0]?.alert.output_fields['peregrine.sample.proc.cmdline'] as string[];
    expect(samples.map((v) => v.length)).toEqual([1, 256]);
    expect(h.admit(big('pod-7'))).toEqual([]);
    expect(h.admit(big('pod-1'))).toEqual(['out']);
  });

  it('closes windows in order with one timer', async () => {
    const h = harness({ out: { dedupe: { windowms: 1000, keys: ['hostname'] } } });
    for (const host of ['a', 'b', 'c']) {
      h.admit(shell({ hostname: host }));
      h.admit(shell({ hostname: host }));
      await h.clock.advance(300);
    }
    expect(h.clock.pending()).toBe(1);
    await h.clock.advance(100);
    expect(h.summaries.map((s) => s.alert.hostname)).toEqual(['a']);
    await h.clock.advance(600);
    expect(h.summaries.map((s) => s.alert.hostname)).toEqual(['a', 'b', 'c']);
    expect(h.clock.pending()).toBe(0);
  });

  it('without a spool, shutdown sends the summaries of open windows, dated when they closed (not the planned end)', async () => {
    const h = harness({ out: { dedupe: { windowms: TEN_MIN } } });
    h.admit(shell());
    await h.clock.advance(60_000);
    h.admit(shell());
    await h.noise.close(true);
    expect(h.summaries).toHaveLength(1);
    expect(h.clock.pending()).toBe(0);
    const closedAt = new Date(h.clock.now()).toISOString();
    expect(h.summaries[0]?.alert.time).toBe(closedAt);
    expect(h.summaries[0]?.alert.output_fields['peregrine.window_end']).toBe(closedAt);
  });

  it('dates an evicted window\'s early summary at the eviction', async () => {
    const h = harness({ out: { dedupe: { windowms: TEN_MIN, keys: ['hostname'], maxkeys: 1 } } });
    h.admit(shell({ hostname: 'a' }));
    h.admit(shell({ hostname: 'a' }));
    await h.clock.advance(30_000);
    h.admit(shell({ hostname: 'b' }));
    expect(h.summaries.map((s) => [s.alert.time, s.alert.output_fields['peregrine.window_end']])).toEqual([['2026-11-20T10:00:30.000Z', '2026-11-20T10:00:30.000Z']]);
  });

  it('with bracketreplacer, keys and sample fields name a field as Falco writes it (proc.aname[2]) and find it renamed (proc.aname_2)', async () => {
    const h = harness(
      { out: { dedupe: { windowms: TEN_MIN, keys: ['rule', 'output_fields.proc.aname[2]'], samplefields: ['output_fields.proc.pname[1]'] } } },
      [],
      undefined,
      '_',
    );
    // What enrichment hands on: the bracketed names already replaced.
    const renamed = (parent: string, pname: string) => shell({}, { 'proc.aname[2]': undefined, 'proc.aname_2': parent, 'proc.pname_1': pname });
    expect(h.admit(renamed('bash', 'p1'))).toEqual(['out']);
    expect(h.admit(renamed('sshd', 'p1'))).toEqual(['out']);
    expect(h.admit(renamed('bash', 'p2'))).toEqual([]);
    await h.clock.advance(TEN_MIN);
    expect(h.summaries).toHaveLength(1);
    expect(h.summaries[0]?.alert.output_fields['peregrine.sample.proc.pname[1]']).toEqual(['p1', 'p2']);
  });
});
