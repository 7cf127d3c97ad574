// One definition of a secret (src/config/secrets.ts), and every place that prints config or logs
// honours it: each schema-marked secret of every registered output, and secret-looking keys of
// free-form maps, never reach --print-config or a log line.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { outputs } from '../../../test/support/outputs.ts';
import { inspect, leafPaths } from '../../../src/config/introspect.ts';
import { redactConfig } from '../../../src/config/redact.ts';
import { buildConfigSchema } from '../../../src/config/schema.ts';
import { isSecretKey, redactDeep } from '../../../src/config/secrets.ts';
import { createLogger } from '../../../src/telemetry/logger.ts';

const SENTINEL = 's3cr3t-value-that-must-not-leak';

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
}

describe('one definition of a secret', () => {
  it('knows secret-looking names whatever their case or spelling', () => {
    for (const key of ['Authorization', 'X-Api-Key', 'api_key', 'apikey', 'SPLUNK_TOKEN', 'password', 'routingkey', 'X-Auth-Token', 'cookie']) expect(isSecretKey(key), key).toBe(true);
    for (const key of ['hostport', 'index', 'X-Source', 'rule', 'minimumpriority']) expect(isSecretKey(key), key).toBe(false);
  });

  it('--print-config shows no schema-marked secret of any registered output, nor a secret-looking map key', () => {
    const schema = buildConfigSchema(outputs);
    const secrets = leafPaths(schema).filter((l) => inspect(l.schema).secret);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const config: Record<string, unknown> = {};
    for (const leaf of secrets) setPath(config, leaf.path, inspect(leaf.schema).base.def.type === 'record' ? { 'x-anything': SENTINEL } : SENTINEL);
    setPath(config, ['customfields'], { 'X-Api-Key': SENTINEL, team: 'platform' });
    const printed = JSON.stringify(redactConfig(schema, config));
    expect(printed).not.toContain(SENTINEL);
    expect(printed).toContain('platform');
  });

  it('log lines carry no secret-looking value at any depth, nor a URL password', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger('info', sink).child({ output: 'webhook', token: SENTINEL });
    log.info({ request: { headers: { Authorization: `Bearer ${SENTINEL}`, 'X-Source': 'falco' } }, url: `https://user:${SENTINEL}@siem.example.com/x`, evtTime: JSON.rawJSON('1700000000167531875') }, 'sent');
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    expect(text).toContain('"X-Source":"falco"');
    expect(text).toContain('siem.example.com');
    expect(text).toContain('"evtTime":1700000000167531875');
    expect(text).not.toContain(SENTINEL);
  });

  it('redactDeep keeps a key named __proto__ (an alert field, in the debug payload log) as a key', () => {
    const line = JSON.parse('{"output_fields":{"__proto__":"x","proc.name":"bash"},"nested":{"__proto__":{"token":"t"}}}') as unknown;
    expect(JSON.stringify(redactDeep(line))).toBe('{"output_fields":{"__proto__":"x","proc.name":"bash"},"nested":{"__proto__":{"token":"***"}}}');
  });

  it('redactDeep leaves empty values alone (an unset secret is not shown as set)', () => {
    expect(redactDeep({ password: '', token: 'x', nested: { apikey: 'y', list: [{ secret: 'z' }] } })).toEqual({ password: '', token: '***', nested: { apikey: '***', list: [{ secret: '***' }] } });
  });
});
