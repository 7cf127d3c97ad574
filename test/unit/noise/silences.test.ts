// Silences: config and run time, per output or all, expiry checked against the clock per alert.
import { describe, expect, it } from 'vitest';
import { metricSum } from '../../support/metrics.ts';
import { z } from 'zod';
import { noiseOutputShape, SilencesSchema } from '../../../src/noise/schema.ts';
import { harness, shell } from './support.ts';

describe('silences', () => {
  it('holds back what a config silence matches, on its outputs only, until it ends', async () => {
    const h = harness({ slack: {}, siem: {} }, [
      { match: { rule: 'Terminal shell*', fields: { 'k8s.ns.name': 'default' } }, for: '2h', reason: 'maintenance', outputs: ['slack'] },
    ]);
    expect(h.admit(shell())).toEqual(['siem']);
    expect(h.admit(shell({}, { 'k8s.ns.name': 'prod' }))).toEqual(['slack', 'siem']);
    expect(h.noise.silences.active(h.clock.now())).toMatchObject([{ id: 'cfg-1', reason: 'maintenance', hits: 1, origin: 'config', until: h.clock.now() + 7_200_000 }]);
    await h.clock.advance(7_200_000 - 1);
    expect(h.admit(shell())).toEqual(['siem']);
    await h.clock.advance(1);
    expect(h.admit(shell())).toEqual(['slack', 'siem']);
    expect(h.noise.silences.active(h.clock.now())).toEqual([]);
    expect(h.noise.health('slack')).toMatchObject({ suppressed: { silence: 2, dedupe: 0, ratelimit: 0 } });
    expect(await metricSum(h.metrics.registry, 'peregrine_suppressed_total', { output: 'slack', reason: 'silence' })).toBe(2);
    expect(await metricSum(h.metrics.registry, 'peregrine_silences_active')).toBe(0);
  });

  it('adds and expires silences at run time; an until in RFC 3339 works too', () => {
    const h = harness({ a: {}, b: { dedupe: { windowms: 1000 } } }, [{ match: { priority: '>=critical' }, until: '2026-11-20T11:00:00Z', reason: 'noisy' }]);
    expect(h.admit(shell({ priority: 'Critical' }))).toEqual([]);
    const s = h.noise.silences.add({ match: { hostname: 'node-9' }, until: h.clock.now() + 60_000, reason: 'reboot', outputs: undefined, createdAt: h.clock.now(), origin: 'api' });
    expect(s.id).toMatch(/^s-[0-9a-f]{12}$/);
    expect(h.admit(shell({ hostname: 'node-9' }))).toEqual([]);
    expect(h.noise.silences.expire(s.id, h.clock.now())).toBe(true);
    expect(h.noise.silences.expire(s.id, h.clock.now())).toBe(false);
    // A silenced alert does not open a dedupe window: the first one after the silence pages.
    expect(h.admit(shell({ hostname: 'node-9' }))).toEqual(['a', 'b']);
    expect(h.noise.health('a')).toMatchObject({ suppressed: { silence: 2 } });
  });

  it('a reload keeps a config silence\'s end and hits when one is added or removed above it (matched by spec, not position)', async () => {
    const a = { match: { rule: 'Terminal shell*' }, for: '1h', reason: 'A' };
    const b = { match: { hostname: 'node-9' }, for: '1h', reason: 'B' };
    const h = harness({ slack: {} }, [a]);
    const start = h.clock.now();
    expect(h.admit(shell())).toEqual([]);
    await h.clock.advance(50 * 60_000);
    const parse = (specs: unknown[]) => SilencesSchema.parse(specs);
    const slack = [{ name: 'slack', options: z.object(noiseOutputShape).parse({}) }];
    h.noise.reconfigure(slack, parse([b, a]));
    const byReason = () => Object.fromEntries(h.noise.silences.active(h.clock.now()).map((s) => [s.reason, s]));
    expect(byReason()).toMatchObject({ A: { id: 'cfg-2', until: start + 3_600_000, hits: 1 }, B: { id: 'cfg-1', until: h.clock.now() + 3_600_000, hits: 0 } });
    h.noise.reconfigure(slack, parse([a]));
    expect(byReason()).toEqual({ A: expect.objectContaining({ id: 'cfg-1', until: start + 3_600_000, hits: 1 }) });
    await h.clock.advance(10 * 60_000);
    expect(h.admit(shell())).toEqual(['slack']); // A ended an hour after it was first loaded
    expect(h.noise.silences.active(h.clock.now())).toEqual([]);
    // Ended, it stays ended through a reload that keeps its spec (moved or not) ...
    h.noise.reconfigure(slack, parse([b, a]));
    expect(h.admit(shell())).toEqual(['slack']);
    expect(Object.keys(byReason())).toEqual(['B']);
    // ... and so does one ended through the API; a changed spec is a new silence.
    const c = { match: { rule: 'Terminal shell*' }, for: '2h', reason: 'C' };
    h.noise.reconfigure(slack, parse([c]));
    expect(h.admit(shell())).toEqual([]);
    expect(h.noise.silences.expire('cfg-1', h.clock.now())).toBe(true);
    h.noise.reconfigure(slack, parse([b, c]));
    expect(h.admit(shell())).toEqual(['slack']);
  });

  it('a reload with a new bracketreplacer reads bracketed fields by it: silences (config and API) and dedupe keys', async () => {
    const withBrackets = { match: { fields: { 'proc.aname[2]': 'bash' } }, for: '1h', reason: 'bash shells' };
    const dedupe = { dedupe: { windowms: 600_000, keys: ['rule', 'output_fields.proc.aname[2]'] } };
    const h = harness({ slack: dedupe }, [withBrackets]);
    h.noise.silences.add({ match: { fields: { 'proc.aname[3]': 'sshd' } }, until: h.clock.now() + 3_600_000, reason: 'api', outputs: undefined, createdAt: h.clock.now(), origin: 'api' });
    // Enrichment with bracketreplacer "_" renames proc.aname[2] to proc.aname_2.
    const renamed = (two: string, three = 'init') => shell({}, { 'proc.aname[2]': undefined, 'proc.aname_2': two, 'proc.aname_3': three });
    expect(h.admit(renamed('bash'))).toEqual(['slack']); // the silence looks for proc.aname[2]: not there
    const slack = [{ name: 'slack', options: z.object(noiseOutputShape).parse(dedupe) }];
    h.noise.reconfigure(slack, SilencesSchema.parse([withBrackets]), '_');
    expect(h.admit(renamed('bash'))).toEqual([]); // config silence
    expect(h.admit(renamed('zsh', 'sshd'))).toEqual([]); // API silence
    expect(h.admit(renamed('zsh'))).toEqual(['slack']);
    expect(h.admit(renamed('fish'))).toEqual(['slack']); // another key: proc.aname_2 is read
    expect(h.admit(renamed('fish'))).toEqual([]);
    expect(h.noise.silences.active(h.clock.now()).find((s) => s.origin === 'config')).toMatchObject({ hits: 1 });
  });

  it('refuses a silence whose match is wrong, with its path', () => {
    const h = harness({ a: {} });
    expect(() => h.noise.silences.add({ match: { priorty: 'x' }, until: 1, reason: 'r', outputs: undefined, createdAt: 0, origin: 'api' })).toThrow(/match: unknown match operator "priorty"/);
    expect(() => harness({ a: {} }, [{ match: { rule: 'x' }, reason: 'r' }])).toThrow(/exactly one of until and for/);
  });
});
