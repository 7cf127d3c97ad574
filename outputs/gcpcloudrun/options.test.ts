// gcpcloudrun's keys as falcosidekick 2.34.1 spells them (gcp.cloudrun.endpoint, gcp.cloudrun.jwt),
// from env vars.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import cloudrun from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });

describe('gcpcloudrun options', () => {
  it('loads GCP_CLOUDRUN_ENDPOINT, GCP_CLOUDRUN_JWT and GCP_CLOUDRUN_MINIMUMPRIORITY into gcp.cloudrun.*', () => {
    const { config } = load({ GCP_CLOUDRUN_ENDPOINT: 'https://falco-abc-uc.a.run.app/falco', GCP_CLOUDRUN_JWT: 'a.b.c', GCP_CLOUDRUN_MINIMUMPRIORITY: 'warning' });
    expect(config).toMatchObject({ gcp: { cloudrun: { endpoint: 'https://falco-abc-uc.a.run.app/falco', jwt: 'a.b.c', minimumpriority: 'warning', checkcert: true } } });
  });

  it('is on with an endpoint; the endpoint must be an http(s) URL', () => {
    expect(cloudrun.schema.parse({})).toMatchObject({ endpoint: '', jwt: '', checkcert: true });
    expect(cloudrun.enabled(cloudrun.schema.parse({}))).toBe(false);
    expect(cloudrun.enabled(cloudrun.schema.parse({ endpoint: 'https://falco-abc-uc.a.run.app', jwt: 'a.b.c' }))).toBe(true);
    expect(cloudrun.enabled(cloudrun.schema.parse({ endpoint: 'https://falco-abc-uc.a.run.app' }))).toBe(true);
    expect(cloudrun.schema.safeParse({ endpoint: 'falco-abc-uc.a.run.app' }).success).toBe(false);
  });
});
