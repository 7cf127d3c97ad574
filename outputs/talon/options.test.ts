// talon's keys as falcosidekick 2.34.1 spells them (talon.address, talon.checkcert), from env vars.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import talon from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });

describe('talon options', () => {
  it('loads TALON_ADDRESS, TALON_CHECKCERT and TALON_MINIMUMPRIORITY into talon.*', () => {
    const { config } = load({ TALON_ADDRESS: 'https://falco-talon:2803', TALON_CHECKCERT: 'false', TALON_MINIMUMPRIORITY: 'warning' });
    expect(config).toMatchObject({ talon: { address: 'https://falco-talon:2803', checkcert: false, minimumpriority: 'warning', mutualtls: false } });
  });

  it('is on only with an address, as in falcosidekick; checkcert defaults to true', () => {
    const empty = talon.schema.parse({});
    expect(empty).toMatchObject({ address: '', checkcert: true });
    expect(talon.enabled(empty)).toBe(false);
    expect(talon.enabled(talon.schema.parse({ address: 'http://falco-talon:2803' }))).toBe(true);
    expect(talon.schema.safeParse({ address: 'falco-talon:2803' }).success).toBe(false);
  });
});
