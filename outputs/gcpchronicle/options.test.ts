// gcpchronicle's keys as falcosidekick 2.34.1 spells them (gcp.chronicle.region, projectid,
// instanceid, logtype = FALCO_IDS), from env vars; the names falcosidekick checks with
// ^[a-zA-Z0-9][a-zA-Z0-9_-]*$ (they go into the URL) are startup problems naming the key.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import chronicle from './index.ts';

const load = (env: Record<string, string>) => loadConfig({ env, plugins: outputs, cwd: tmpdir() });
const ON = { GCP_CHRONICLE_REGION: 'europe-west12', GCP_CHRONICLE_PROJECTID: 'p1', GCP_CHRONICLE_INSTANCEID: '0a1b2c3d-4e5f' };
const PROBLEM = 'must match ^[a-zA-Z0-9][a-zA-Z0-9_-]*$ (letters, digits, _ and -, not first): it goes into the API URL';

describe('gcpchronicle options', () => {
  it('loads GCP_CHRONICLE_* into gcp.chronicle.*, logtype FALCO_IDS by default', () => {
    const { config } = load({ ...ON, GCP_CHRONICLE_MINIMUMPRIORITY: 'warning' });
    expect(config).toMatchObject({ gcp: { chronicle: { region: 'europe-west12', projectid: 'p1', instanceid: '0a1b2c3d-4e5f', logtype: 'FALCO_IDS', endpoint: '', minimumpriority: 'warning' } } });
    expect(load({ ...ON, GCP_CHRONICLE_LOGTYPE: 'FALCO_JSON' }).config).toMatchObject({ gcp: { chronicle: { logtype: 'FALCO_JSON' } } });
  });

  it('is on with region, projectid and instanceid, as in falcosidekick', () => {
    const parse = (o: Record<string, unknown>) => chronicle.enabled(chronicle.schema.parse(o));
    expect(parse({})).toBe(false);
    expect(parse({ region: 'us', projectid: 'p1' })).toBe(false);
    expect(parse({ region: 'us', projectid: 'p1', instanceid: 'i1' })).toBe(true);
  });

  it.each([
    ['GCP_CHRONICLE_REGION', 'gcp.chronicle.region', 'us/../x'],
    ['GCP_CHRONICLE_PROJECTID', 'gcp.chronicle.projectid', 'p1?alt=x'],
    ['GCP_CHRONICLE_INSTANCEID', 'gcp.chronicle.instanceid', '-inst'],
    ['GCP_CHRONICLE_LOGTYPE', 'gcp.chronicle.logtype', 'FALCO.IDS'],
  ])('%s outside falcosidekick\'s rule: a startup problem naming the key', (env, path, value) => {
    expect(() => load({ ...ON, [env]: value })).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ path, message: PROBLEM, env })] }));
  });
});
