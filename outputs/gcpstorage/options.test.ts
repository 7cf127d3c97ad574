// gcpstorage's keys as falcosidekick 2.34.1 spells them (gcp.storage.bucket, gcp.storage.prefix,
// the shared gcp.credentials), from env vars, and gcp.credentials checked when the output connects.
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { gcpKeyFile } from '../../src/plugin/index.ts';
import { outputs } from '../../test/support/outputs.ts';
import { connectContext } from '../../test/support/plugin-context.ts';
import storage from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const b64 = (text: string) => Buffer.from(text).toString('base64');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { type: 'service_account', project_id: 'p1', client_email: 'falco@p1.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

describe('gcpstorage options', () => {
  it('loads GCP_STORAGE_BUCKET, GCP_STORAGE_PREFIX, GCP_STORAGE_MINIMUMPRIORITY and GCP_CREDENTIALS', () => {
    const { config } = load({ GCP_STORAGE_BUCKET: 'falco', GCP_STORAGE_PREFIX: 'alerts', GCP_STORAGE_MINIMUMPRIORITY: 'warning', GCP_CREDENTIALS: b64(JSON.stringify(key)) });
    expect(config).toMatchObject({ gcp: { credentials: b64(JSON.stringify(key)), storage: { bucket: 'falco', prefix: 'alerts', minimumpriority: 'warning' } } });
    expect(gcpKeyFile((config as unknown as { gcp: Record<string, unknown> }).gcp)).toEqual(key);
  });

  it('is on only with a bucket, as in falcosidekick; the prefix defaults to ""', () => {
    const empty = storage.schema.parse({});
    expect(empty).toEqual({ bucket: '', prefix: '' });
    expect(storage.enabled(empty)).toBe(false);
    expect(storage.enabled(storage.schema.parse({ bucket: 'falco' }))).toBe(true);
  });

  it('empty credentials: Application Default Credentials (no key file)', () => {
    expect(gcpKeyFile({ credentials: '' })).toBeUndefined();
    expect(gcpKeyFile({})).toBeUndefined();
  });

  it.each([
    ['not base64', '{"type":"service_account"}', 'must be the base64 of a service-account JSON key file (base64 -w0 key.json)'],
    ['base64 of a non-JSON text', b64('hello'), 'decodes from base64 but is not JSON: it must be the base64 of a service-account JSON key file'],
    ['JSON without a type', b64('{"private_key":"x"}'), 'is not a Google credentials file (no "type" field): use the JSON key of a service account'],
    ['a service account without its key', b64('{"type":"service_account","client_email":"a@b"}'), 'is a service_account key without client_email or private_key'],
  ])('gcp.credentials %s: connect() fails naming the key, the value not in the message', async (_what, value, message) => {
    const options = storage.schema.parse({ bucket: 'falco' });
    const error = await Promise.resolve()
      .then(() => storage.connect?.(options as never, connectContext('gcpstorage', { shared: { credentials: value } })))
      .catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`gcp.credentials ${message}`);
  });

  it('base64 with line breaks (base64 without -w0) is accepted', () => {
    const wrapped = b64(JSON.stringify(key)).replace(/(.{76})/g, '$1\n');
    expect(gcpKeyFile({ credentials: wrapped })).toEqual(key);
  });
});
