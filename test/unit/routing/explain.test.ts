import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instancesOrThrow } from '../../../src/config/instances.ts';
import { runRoute } from '../../../src/routing/explain.ts';
import { outputs } from '../../../test/support/outputs.ts';
import { configFromYaml } from '../../support/config.ts';
import { NODE_COMPILE_CACHE } from '../../support/daemon.ts';
import { fixtureText } from '../../support/fixtures.ts';

const CONFIG = `customfields: {cluster: prod}
stdout:
  enabled: true
outputs:
  soc-pager:
    type: webhook
    address: https://pager.example.com/hook
    match:
      priority: ">=critical"
      rule: ["Terminal shell in container", "/^Drop and execute/"]
  team-a-splunk:
    type: splunk
    hostport: https://splunk-a.example.com:8088
    token: abc
    minimumpriority: warning
    match: {fields: {k8s.ns.name: ["team-a-*"], cluster: prod}}
  audit:
    type: webhook
    address: https://audit.example.com/hook
    match: [{source: k8s_audit}, {tags: {all: [T1059, shell]}, not: {hostname: "node-*"}}]
`;

function route(text: string, args: string[] = []): { status: number; lines: string[] } {
  const loaded = configFromYaml(CONFIG);
  const lines: string[] = [];
  const status = runRoute(args, loaded.config, instancesOrThrow(loaded.config, outputs), { read: () => text, out: (l) => lines.push(l) });
  return { status, lines };
}

const shell = fixtureText('alerts/falco-shell.json');

describe('peregrine route', () => {
  it('prints every output, taken or skipped with the first condition that failed', () => {
    expect(route(shell)).toEqual({
      status: 0,
      lines: [
        'stdout         taken',
        'soc-pager      skipped  priority Notice is below >=critical',
        'team-a-splunk  skipped  minimumpriority: Notice is below Warning',
        'audit          skipped  no match block holds: [1] source "syscall" matches none of ["k8s_audit"]; [2] not: hostname "node-1" matches ["node-*"]',
      ],
    });
  });

  it('matches on the enriched alert (global customfields) and reads arrays of alerts', () => {
    const team = JSON.parse(shell) as { output_fields: Record<string, unknown>; priority: string; uuid?: string };
    team.priority = 'CRITICAL';
    team.uuid = 'a-1';
    team.output_fields['k8s.ns.name'] = 'team-a-web';
    const { status, lines } = route(JSON.stringify([team, { priority: 'Warning' }]));
    expect(status).toBe(1);
    expect(lines).toEqual([
      'alert 1: Critical "Terminal shell in container" (a-1)',
      '  stdout         taken',
      '  soc-pager      taken',
      '  team-a-splunk  taken',
      '  audit          skipped  no match block holds: [1] source "syscall" matches none of ["k8s_audit"]; [2] not: hostname "node-1" matches ["node-*"]',
      'alert 2: invalid: missing required field "rule": it must be a non-empty string',
    ]);
  });

  it('the recipes of docs/routing.md load and route as the page shows', () => {
    const page = readFileSync(join(import.meta.dirname, '../../../docs/routing.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(page)?.[1] as string;
    const shown = (/\$ peregrine route -c values\.yaml alert\.json\n([\s\S]*?)```/.exec(page)?.[1] as string).trimEnd().split('\n');
    const loaded = configFromYaml(yaml);
    const lines: string[] = [];
    const alert = shell.replace('"priority":"Notice"', '"priority":"Warning"');
    expect(runRoute([], loaded.config, instancesOrThrow(loaded.config, outputs), { read: () => alert, out: (l) => lines.push(l) })).toBe(0);
    expect(lines).toEqual(shown);
  });

  it('says when the input is not JSON', () => {
    expect(route('{nope')).toEqual({ status: 1, lines: [expect.stringMatching(/^stdin: not JSON: /)] });
  });

  it('runs from the command line, reading the alert from stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-route-'));
    writeFileSync(join(dir, 'p.yaml'), CONFIG);
    const node = process.execPath;
    const out = execFileSync(node, [join(import.meta.dirname, '../../../src/main.ts'), 'route', '-c', join(dir, 'p.yaml')], { input: shell, encoding: 'utf8', env: { NODE_COMPILE_CACHE } });
    expect(out.split('\n')[1]).toBe('soc-pager      skipped  priority Notice is below >=critical');
  });
});
