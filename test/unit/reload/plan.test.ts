// planReload: which outputs are unchanged, changed, added or removed, and which settings wait for a restart.
import { expect, it } from 'vitest';
import { outputs } from '../../../test/support/outputs.ts';
import { resolveInstances } from '../../../src/config/instances.ts';
import { planReload, workerKey } from '../../../src/reload/plan.ts';
import { configFromYaml } from '../../support/config.ts';

function loaded(yaml: string) {
  const { config } = configFromYaml(yaml);
  const { instances } = resolveInstances(config, outputs);
  return { config, instances, keys: new Map(instances.map((i) => [i.name, workerKey(i, config)])) };
}

const BASE = 'webhook:\n  address: http://127.0.0.1:9/a\noutputs:\n  pager:\n    type: webhook\n    address: http://127.0.0.1:9/p\n';

it('tells apart unchanged, changed, added and removed outputs; a route or noise change keeps the worker', () => {
  const before = loaded(`${BASE}  old:\n    type: webhook\n    address: http://127.0.0.1:9/o\n`);
  const after = loaded(
    'webhook:\n  address: http://127.0.0.1:9/a\n  minimumpriority: error\n  dedupe:\n    windowms: 60000\n' +
      'outputs:\n  pager:\n    type: webhook\n    address: http://127.0.0.1:9/p2\n  new:\n    type: webhook\n    address: http://127.0.0.1:9/n\n',
  );
  expect(planReload(before, after).outputs).toEqual({ unchanged: ['webhook'], changed: ['pager'], added: ['new'], removed: ['old'] });
});

it('rebuilds every output when what they all connect with changes (client TLS, enrichment keys, shared sections)', () => {
  const before = loaded(BASE);
  expect(planReload(before, loaded(`${BASE}mutualtlsfilespath: /etc/other\n`)).outputs.changed).toEqual(['webhook', 'pager']);
  expect(planReload(before, loaded(`${BASE}customfields:\n  team: red\n`)).outputs.changed).toEqual(['webhook', 'pager']);
});

it('lists the settings that need a restart by their dotted key, and nothing when none changed', () => {
  const before = loaded(BASE);
  expect(planReload(before, loaded(BASE)).restart).toEqual([]);
  expect(planReload(before, loaded(`${BASE}listenport: 2802\nspool:\n  dir: /var/other\nconsole:\n  enabled: true\n  token: t0123456789abcdef\n`)).restart).toEqual([
    'listenport',
    'spool.dir',
    'console.enabled',
    'console.token',
  ]);
});

it('an output section nested in another output\'s (otlp.traces in otlp:) is its own: changing it leaves the outer output as it is', () => {
  const logs = 'otlp:\n  logs:\n    endpoint: http://127.0.0.1:9/v1/logs\n';
  const before = loaded(`${logs}  traces:\n    endpoint: http://127.0.0.1:9/v1/traces\n    headers: "api-key=a"\n`);
  const after = loaded(`${logs}  traces:\n    endpoint: http://127.0.0.1:9/v1/traces-2\n    headers: "api-key=b"\n`);
  expect(planReload(before, after).outputs).toEqual({ unchanged: ['otlp'], changed: ['otlptraces'], added: [], removed: [] });
  // The logs output is not handed the traces output's options (and their secret headers).
  expect(Object.keys(before.instances.find((i) => i.name === 'otlp')?.options ?? {})).not.toContain('traces');
});
