// Noise-control keys in the config: defaults off, env vars, and mistakes reported with their paths.
import { describe, expect, it } from 'vitest';
import { configFromYaml } from '../../support/config.ts';
import type { DedupeConfig, RateLimitConfig, SilenceSpec } from '../../../src/noise/schema.ts';

type Sections = { webhook: { dedupe: DedupeConfig; ratelimit: RateLimitConfig }; silences: SilenceSpec[] };

describe('noise-control config', () => {
  it('is off by default and takes env vars, silences as YAML/JSON text', () => {
    const off = configFromYaml('webhook:\n  address: http://127.0.0.1:1/\n').config as unknown as Sections;
    expect(off.webhook.dedupe).toMatchObject({ windowms: 0, store: 'memory', keys: ['rule', 'hostname', 'output_fields.k8s.ns.name', 'output_fields.k8s.pod.name'] });
    expect(off.webhook.ratelimit).toEqual({ max: 0, perms: 3_600_000 });
    const { config } = configFromYaml('webhook:\n  address: http://127.0.0.1:1/\n', {
      WEBHOOK_DEDUPE_WINDOWMS: '60000',
      WEBHOOK_DEDUPE_KEYS: 'rule,output_fields.k8s.pod.name',
      WEBHOOK_RATELIMIT_MAX: '5',
      SILENCES: '[{match: {rule: "x*"}, for: 2h, reason: maintenance, outputs: [webhook]}]',
    });
    const c = config as unknown as Sections;
    expect(c.webhook.dedupe).toMatchObject({ windowms: 60_000, keys: ['rule', 'output_fields.k8s.pod.name'] });
    expect(c.webhook.ratelimit.max).toBe(5);
    expect(c.silences).toEqual([{ match: { rule: 'x*' }, for: '2h', reason: 'maintenance', outputs: ['webhook'] }]);
  });

  it('reports wrong keys, a redis store without address and bad silences with their paths', () => {
    expect(() => configFromYaml('webhook:\n  address: http://127.0.0.1:1/\n  dedupe:\n    windowms: 1000\n    keys: [rul]\n')).toThrow(/webhook\.dedupe\.keys\.0: unknown key "rul"/);
    // Object.prototype's members are not keys of an alert (they passed: `in` saw them).
    expect(() => configFromYaml('webhook:\n  address: http://127.0.0.1:1/\n  dedupe:\n    windowms: 1000\n    keys: [constructor]\n')).toThrow(/webhook\.dedupe\.keys\.0: unknown key "constructor"/);
    expect(() => configFromYaml('webhook:\n  address: http://127.0.0.1:1/\n  dedupe:\n    store: redis\n')).toThrow(/webhook\.dedupe\.redis\.address: store: redis needs redis\.address/);
    expect(() => configFromYaml('silences:\n  - match: {priority: ">=bogus"}\n    for: 1h\n    reason: r\n')).toThrow(/silences\.0\.match\.priority/);
    expect(() => configFromYaml('silences:\n  - match: {rule: x}\n    for: later\n    reason: r\n')).toThrow(/silences\.0\.for: for must be a duration/);
    // Past 365 days a silence is refused at load (1000000000d is past what a date can hold: it broke every listing).
    for (const long of ['366d', '1000000000d', '99999999999999999999', 31_708_800_000]) {
      expect(() => configFromYaml(`silences:\n  - match: {rule: x}\n    for: ${long}\n    reason: r\n`)).toThrow(/silences\.0\.for: for must be at most 365d/);
    }
    expect((configFromYaml('silences:\n  - match: {rule: x}\n    for: 365d\n    reason: r\n').config as unknown as Sections).silences[0]?.for).toBe('365d');
  });
});
