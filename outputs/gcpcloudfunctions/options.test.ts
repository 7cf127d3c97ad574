// gcpcloudfunctions' keys as falcosidekick 2.34.1 spells them (gcp.cloudfunctions.name), from env
// vars; the name must be the function's full name (the API refuses any other).
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import functions from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const NAME = 'projects/p1/locations/us-central1/functions/falco';

describe('gcpcloudfunctions options', () => {
  it('loads GCP_CLOUDFUNCTIONS_NAME and GCP_CLOUDFUNCTIONS_MINIMUMPRIORITY into gcp.cloudfunctions.*', () => {
    const { config } = load({ GCP_CLOUDFUNCTIONS_NAME: NAME, GCP_CLOUDFUNCTIONS_MINIMUMPRIORITY: 'critical' });
    expect(config).toMatchObject({ gcp: { cloudfunctions: { name: NAME, endpoint: 'https://cloudfunctions.googleapis.com', minimumpriority: 'critical' } } });
  });

  it('is on with a name, as in falcosidekick', () => {
    expect(functions.enabled(functions.schema.parse({}))).toBe(false);
    expect(functions.enabled(functions.schema.parse({ name: NAME }))).toBe(true);
  });

  it('a short name is a startup problem naming the key', () => {
    expect(() => load({ GCP_CLOUDFUNCTIONS_NAME: 'falco' })).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ path: 'gcp.cloudfunctions.name', message: "must be the function's full name: projects/<project>/locations/<region>/functions/<function>", env: 'GCP_CLOUDFUNCTIONS_NAME' })] }),
    );
  });
});
