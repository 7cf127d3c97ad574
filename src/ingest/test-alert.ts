// POST /test injects this alert (falcosidekick's, docs/http-api.md); it bypasses minimumpriority.
import { hostname } from 'node:os';

export function testAlert(now: Date): Record<string, unknown> {
  return {
    output: `${now.toISOString()}: Debug This is a test from Peregrine`,
    priority: 'Debug',
    rule: 'Test rule',
    time: now.toISOString(),
    output_fields: { 'proc.name': 'peregrine', 'user.name': 'peregrine' },
    source: 'internal',
    tags: ['test', 'example'],
    hostname: hostname(),
  };
}
