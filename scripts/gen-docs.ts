// Generates the configuration reference from the zod schema (the single source of truth):
// config/reference.yaml and the options tables in README.md between the generated markers.
// `node scripts/gen-docs.ts` writes them; `--check` fails when they are stale (a test runs it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { BaseSchema } from '../src/config/base.ts';
import { envName, inspect, leafPaths, objectShape } from '../src/config/introspect.ts';
import { outputSchema, outputsShape, sectionPath } from '../src/config/schema.ts';
import type { SharedSection } from '../src/plugin/types.ts';
import { outputs } from '../outputs/index.ts';
import { writeGenerated } from './generated.ts';

const repo = join(import.meta.dirname, '..');
const START = '<!-- generated:options:start (node scripts/gen-docs.ts) -->';
const END = '<!-- generated:options:end -->';

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

function table(schema: z.ZodType, prefix: string[]): string {
  const rows = leafPaths(schema, prefix).map((leaf) => {
    const info = inspect(leaf.schema);
    const key = leaf.path.join('.');
    const def = info.secret && info.defaultValue ? '(secret)' : show(info.defaultValue);
    return `| \`${key}\` | ${def === '' ? '' : `\`${def.replace(/\|/g, '\\|')}\``} | ${(info.description ?? '').replace(/\|/g, '\\|')}${info.secret ? ' **Secret.**' : ''} | \`${envName(leaf.path)}\` |`;
  });
  return ['| key | default | meaning | env |', '|---|---|---|---|', ...rows].join('\n');
}

export function optionsMarkdown(): string {
  const parts = ['#### Global keys', '', table(BaseSchema, [])];
  const shared = new Set<SharedSection>();
  for (const plugin of outputs) {
    if (plugin.shared && !shared.has(plugin.shared)) {
      shared.add(plugin.shared);
      const path = plugin.shared.path;
      parts.push('', `#### \`${path.join('.')}\` (shared) — ${plugin.shared.description}`, '', table(plugin.shared.schema, [...path]));
    }
    const path = sectionPath(plugin);
    const where = path.join('.') === plugin.name ? '' : ` (\`${path.join('.')}\`)`;
    parts.push('', `#### \`${plugin.name}\`${where} — ${plugin.description}`, '', table(outputSchema(plugin), [...path]));
  }
  return parts.join('\n');
}

function yamlLines(schema: z.ZodType, indent: string): string[] {
  const shape = objectShape(schema) ?? {};
  const lines: string[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const info = inspect(child);
    if (info.description) lines.push(`${indent}# ${info.description}${info.secret ? ' (secret)' : ''}`);
    if (objectShape(child)) {
      lines.push(`${indent}${key}:`, ...yamlLines(child, `${indent}  `));
    } else {
      const value = info.defaultValue;
      const text = value === undefined ? '' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
      lines.push(`${indent}${value === undefined ? '# ' : ''}${key}: ${text}`);
    }
  }
  return lines;
}

export function referenceYaml(): string {
  const lines = [
    '# Peregrine configuration reference: every key with its default.',
    '# GENERATED from the zod schema by `node scripts/gen-docs.ts` — do not edit; edit the .describe() texts instead.',
    '# An output is on when its address key is set (webhook.address, elasticsearch.hostport, ...).',
    '',
    ...yamlLines(BaseSchema, ''),
  ];
  // Output sections at their YAML location (nested ones such as aws.sqs inside their group).
  for (const [key, schema] of Object.entries(outputsShape(outputs))) {
    lines.push('', `# ${inspect(schema).description ?? ''}`, `${key}:`, ...yamlLines(schema, '  '));
  }
  return `${lines.join('\n')}\n`;
}

export function renderReadme(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${optionsMarkdown()}\n${readme.slice(end)}`;
}

if (import.meta.main) {
  writeGenerated(
    [
      [join(repo, 'config/reference.yaml'), referenceYaml()],
      [join(repo, 'README.md'), renderReadme(readFileSync(join(repo, 'README.md'), 'utf8'))],
    ],
    process.argv.includes('--check'),
    'node scripts/gen-docs.ts',
  );
}
