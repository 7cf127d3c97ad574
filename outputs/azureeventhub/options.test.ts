// azure.eventhub's keys as falcosidekick 2.34.1 spells them (its YAML writes the section eventHub,
// its env vars AZURE_EVENTHUB_*), Peregrine's connectionstring, and the checks made at load.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import eventhub from './index.ts';

const load = (env: Record<string, string>, raw?: unknown) => loadConfig({ env, plugins: outputs, cwd: tmpdir(), ...(raw ? { read: { raw, source: 'test' } } : {}) });
const problems = (o: Record<string, unknown>) => eventhub.validate?.(eventhub.schema.parse(o));
const CS = 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=';

describe('azureeventhub options', () => {
  it('loads AZURE_EVENTHUB_NAMESPACE, AZURE_EVENTHUB_NAME, AZURE_EVENTHUB_MINIMUMPRIORITY and AZURE_EVENTHUB_CONNECTIONSTRING', () => {
    const { config } = load({ AZURE_EVENTHUB_NAMESPACE: 'ns.servicebus.windows.net', AZURE_EVENTHUB_NAME: 'falco', AZURE_EVENTHUB_MINIMUMPRIORITY: 'error' });
    expect(config).toMatchObject({ azure: { eventhub: { namespace: 'ns.servicebus.windows.net', name: 'falco', connectionstring: '', minimumpriority: 'error' } } });
    expect(load({ AZURE_EVENTHUB_NAME: 'falco', AZURE_EVENTHUB_CONNECTIONSTRING: CS }).config).toMatchObject({ azure: { eventhub: { name: 'falco', connectionstring: CS } } });
  });

  it("reads falcosidekick's file spelling, azure: eventHub:, with keys in any case", () => {
    const { config } = load({}, { azure: { eventHub: { Namespace: 'ns.servicebus.windows.net', name: 'falco', minimumpriority: 'warning' } } });
    expect(config).toMatchObject({ azure: { eventhub: { namespace: 'ns.servicebus.windows.net', name: 'falco', minimumpriority: 'warning' } } });
  });

  it('is on when name is set, as in falcosidekick; defaults are empty', () => {
    expect(eventhub.schema.parse({})).toEqual({ namespace: '', name: '', connectionstring: '' });
    expect(eventhub.enabled(eventhub.schema.parse({}))).toBe(false);
    expect(eventhub.enabled(eventhub.schema.parse({ namespace: 'ns.servicebus.windows.net' }))).toBe(false);
    expect(eventhub.enabled(eventhub.schema.parse({ name: 'falco' }))).toBe(true);
  });

  it('connectionstring is a secret', () => {
    expect(eventhub.schema.shape.connectionstring.meta()).toMatchObject({ secret: true });
  });

  it.each([
    [{ name: 'falco' }, 'namespace', 'is required when name is set (or set connectionstring)'],
    [{ name: 'falco', namespace: 'mynamespace' }, 'namespace', 'must be the namespace\'s fully qualified host name, such as mynamespace.servicebus.windows.net (got "mynamespace")'],
    [{ name: 'falco', namespace: 'sb://ns.servicebus.windows.net/' }, 'namespace', 'must be the namespace\'s fully qualified host name, such as mynamespace.servicebus.windows.net (got "sb://ns.servicebus.windows.net/")'],
    [{ name: 'falco', connectionstring: 'SharedAccessKeyName=a;SharedAccessKey=b' }, 'connectionstring', 'must have Endpoint=sb://<namespace>/ (Endpoint=sb://mynamespace.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…)'],
    [{ name: 'falco', connectionstring: 'Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b' }, 'connectionstring', 'must have Endpoint=sb://<namespace>/ (Endpoint=sb://mynamespace.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…)'],
    [{ name: 'falco', connectionstring: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a' }, 'connectionstring', 'must have SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature'],
    [{ name: 'falco', connectionstring: `${CS};EntityPath=other` }, 'name', 'is "falco" but connectionstring\'s EntityPath is "other": make them the same'],
    [{ name: 'falco', namespace: 'other.servicebus.windows.net', connectionstring: CS }, 'namespace', 'is other.servicebus.windows.net but connectionstring\'s Endpoint is ns.servicebus.windows.net: leave namespace empty or make them the same'],
  ])('a startup problem: %j', (options, path, message) => {
    expect(problems(options)).toEqual([{ path, message }]);
  });

  it.each([
    { name: 'falco', namespace: 'ns.servicebus.windows.net' },
    { name: 'falco', namespace: 'ns.servicebus.chinacloudapi.cn' },
    { name: 'falco', connectionstring: CS },
    { name: 'falco', connectionstring: `${CS};EntityPath=falco`, namespace: 'NS.servicebus.windows.net' },
    { name: 'falco', connectionstring: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=send' },
    { name: 'falco', connectionstring: 'Endpoint=sb://localhost:5672;SharedAccessKeyName=a;SharedAccessKey=b;UseDevelopmentEmulator=true' },
  ])('valid: %j', (options) => {
    expect(problems(options)).toEqual([]);
  });

  it('a problem names the env var in --check-config', () => {
    expect(() => load({ AZURE_EVENTHUB_NAME: 'falco' })).toThrow('azure.eventhub.namespace: is required when name is set (or set connectionstring) (env AZURE_EVENTHUB_NAMESPACE)');
  });
});
