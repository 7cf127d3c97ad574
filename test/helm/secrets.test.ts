// Every secret-bearing config key, in every spelling and form the chart accepts, rendered by the real
// `helm template`: its value must appear in a Secret and nowhere else (ConfigMap, pod spec, NOTES-free
// manifests), or the schema must reject the values file. The list of keys is the daemon's own
// (configMeta(): every secret() of the zod schema), so a new output's secret is covered without
// touching this file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { configMeta } from '../../scripts/gen-helm-schema.ts';
import { findHelm } from './helm.ts';

const chart = process.env.PEREGRINE_CHART ?? join(import.meta.dirname, '../../helm/peregrine');
const helm = findHelm();

interface Rendered {
  ok: boolean;
  stderr: string;
  /** Every rendered document except Secrets, as text. */
  outside: string;
  /** Every Secret's data, decoded, as text. */
  inside: string;
}

function render(values: unknown): Rendered {
  const file = join(mkdtempSync(join(tmpdir(), 'peregrine-secrets-')), 'values.yaml');
  writeFileSync(file, YAML.stringify(values));
  const res = spawnSync(helm as string, ['template', 'peregrine', chart, '--namespace', 'falco', '--values', file], { encoding: 'utf8' });
  const docs = res.status === 0 ? YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Record<string, unknown> | null).filter((d) => d !== null) : [];
  const secrets = docs.filter((d) => d.kind === 'Secret');
  const decoded = secrets.flatMap((d) => Object.values((d.data ?? {}) as Record<string, string>).map((v) => Buffer.from(v, 'base64').toString('utf8')));
  return { ok: res.status === 0, stderr: res.stderr, outside: docs.filter((d) => d.kind !== 'Secret').map((d) => JSON.stringify(d)).join('\n'), inside: decoded.join('\n') };
}

/** `webhook.customheaders` in a spelling: lower, UPPER, Capitalised or camelCase per segment. */
const SPELLINGS: Record<string, (segment: string) => string> = {
  lower: (s) => s,
  upper: (s) => s.toUpperCase(),
  capitalised: (s) => s[0]?.toUpperCase() + s.slice(1),
  camel: (s) => s.replace(/(headers|priority|key|token|password|secret)$/, (m) => m[0]?.toUpperCase() + m.slice(1)),
};

function nested(path: string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

// What a secret key may hold: a scalar, or (free-form maps) a map in any header case, or its "k:v,k:v" string.
function forms(marker: string, isMap: boolean): [string, unknown][] {
  if (!isMap) return [['string', `${marker}`]];
  return [
    ['map, Authorization', { Authorization: `Bearer ${marker}`, 'X-Source': 'falco' }],
    ['map, AUTHORIZATION', { AUTHORIZATION: `Bearer ${marker}` }],
    ['map, custom name', { 'X-Api-Key': marker }],
    ['string k:v,k:v', `Authorization:Bearer ${marker},X-Source:falco`],
    ['string, custom name', `X-Auth-Key:${marker}`],
  ];
}

const meta = configMeta();
const cases = meta.secrets.flatMap((path) =>
  Object.entries(SPELLINGS).flatMap(([spelling, spell]) =>
    forms('MARK', meta.maps.includes(path)).map(([form]) => ({ path, spelling, spell, form })),
  ),
);
type Case = (typeof cases)[number];

/** `b` merged into `a`, nested objects merged key by key (the sections several secrets share). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = mine && v && typeof mine === 'object' && typeof v === 'object' && !Array.isArray(v) ? merge(mine as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

const markerOf = (c: Case) => `s3cret-${c.path.replaceAll('.', '-')}-${c.spelling}-${c.form.replace(/\W+/g, '')}-${Math.random().toString(36).slice(2, 8)}`;
const valuesOf = (c: Case, marker: string) => nested(c.path.split('.').map(c.spell), forms(marker, meta.maps.includes(c.path)).find(([f]) => f === c.form)?.[1]);

/**
 * One `helm template` per spelling and form, with every secret key of that form at once (each with
 * its own marker), instead of one per key: the same assertions at a fraction of the renders. When
 * the chart refuses that file (a spelling the schema rejects for some key), each key of the group
 * is rendered alone, so one refusal hides nothing.
 */
const groups = new Map<string, Map<Case, { marker: string; rendered: Rendered }>>();
function renderedFor(c: Case): { marker: string; rendered: Rendered } {
  const key = `${c.spelling}|${c.form}`;
  let group = groups.get(key);
  if (!group) {
    const members = cases.filter((o) => o.spelling === c.spelling && o.form === c.form).map((o) => [o, markerOf(o)] as const);
    const together = render({ config: members.reduce<Record<string, unknown>>((config, [o, marker]) => merge(config, valuesOf(o, marker)), {}) });
    group = new Map(members.map(([o, marker]) => [o, { marker, rendered: together.ok ? together : render({ config: valuesOf(o, marker) }) }]));
    groups.set(key, group);
  }
  return group.get(c) as { marker: string; rendered: Rendered };
}

describe.skipIf(!helm)('chart secrets: never outside a Secret', () => {
  it('covers every secret the daemon declares (customheaders included)', () => {
    expect(meta.secrets).toEqual(expect.arrayContaining(['webhook.customheaders', 'splunk.customheaders', 'elasticsearch.customheaders', 'ingest.token']));
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases)('$path, $spelling spelling, $form', (c) => {
    const { marker, rendered } = renderedFor(c);
    if (!rendered.ok) {
      // Rejected by values.schema.json: acceptable, as long as helm says where.
      expect(rendered.stderr).toMatch(/\/config\//);
      return;
    }
    expect(rendered.outside).not.toContain(marker);
    expect(rendered.outside).not.toContain(Buffer.from(marker).toString('base64').slice(0, 16));
    expect(rendered.inside).toContain(marker);
  });

  it.each([
    ['a chat webhook URL (slack.webhookurl)', (m: string) => ({ slack: { webhookurl: `https://hooks.slack.com/services/${m}` } })],
    ['its camelCase spelling (Slack.WebhookURL)', (m: string) => ({ Slack: { WebhookURL: `https://hooks.slack.com/services/${m}` } })],
    ['a falcosidekick output Peregrine lacks (stan.clusterid is not secret-looking)', (m: string) => ({ stan: { clusterid: m } })],
    ['a secret-looking key in customfields (map)', (m: string) => ({ customfields: { api_token: m, team: 'a' } })],
    ['a secret-looking key in customfields ("k:v" string)', (m: string) => ({ customfields: `team:a,api_token:${m}` })],
    ['a secret-looking key anywhere (Kafka.Password)', (m: string) => ({ Kafka: { Password: m } })],
    ['the ingest server key (tlsserver.serverkey, falcosidekick chart)', (m: string) => ({ tlsserver: { deploy: true, servercrt: 'CERT', serverkey: m } })],
  ])('%s', (_name, config) => {
    const marker = `s3cret-${Math.random().toString(36).slice(2, 12)}`;
    const rendered = render({ config: config(marker) });
    expect(rendered.stderr).toBe('');
    expect(rendered.ok).toBe(true);
    expect(rendered.outside).not.toContain(marker);
    expect(rendered.inside).toContain(marker);
  });
});
