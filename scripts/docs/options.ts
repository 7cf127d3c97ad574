// The configuration reference, from the zod schema (the single source of truth): keys tables for
// docs/configuration.md and each output's page, and config/reference.yaml.
import { z } from 'zod';
import { BaseSchema } from '../../src/config/base.ts';
import { commonOutputShape } from '../../src/config/common.ts';
import { inspect, objectShape } from '../../src/config/introspect.ts';
import { outputsShape } from '../../src/config/schema.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { keysTable } from './keys-table.ts';
import { prose } from './markdown.ts';
import { outputKey, pageLink } from './output-pages.ts';

const NAMED = [
  'Any number of outputs of any type, each under its own name ([routing](routing.md)). `type` picks the output type; every key of',
  'that type\'s section applies (minimumpriority, match, customfields, templatedfields, queue, retry, batch, timeoutms',
  'included); listing an instance turns it on, and its address key must be set. Names: lower-case letters, digits and single',
  'dashes (soc-pager). Env: `OUTPUTS__<NAME>__<KEY>` with the name upper-cased and `-` written `_`, e.g.',
  '`OUTPUTS__SOC_PAGER__ADDRESS`, `OUTPUTS__SOC_PAGER__RETRY_MAXATTEMPTS`, `OUTPUTS__SOC_PAGER__MATCH=\'{priority: ">=critical"}\'`;',
  'an instance set only by env vars needs `OUTPUTS__<NAME>__TYPE`.',
];

/** The generated part of docs/configuration.md. */
export function optionsMarkdown(plugins: readonly AnyOutputPlugin[]): string {
  const outputsList = plugins.map((p) => `- [\`${outputKey(p)}\`](${pageLink(p, 'docs')}) — ${prose(p.description)}`);
  return [
    '### Global keys',
    '',
    keysTable(BaseSchema, []),
    '',
    '### Keys every output has',
    '',
    'Added by the core to every output section (`<output>` is its key, e.g. `webhook`; the env var is `<OUTPUT>_…`, e.g. `WEBHOOK_TIMEOUTMS`). Each output\'s page lists them again, with that output\'s own defaults for `maxconcurrency` and `batch`.',
    '',
    keysTable(z.object(commonOutputShape), ['<output>'], ['<OUTPUT>']),
    '',
    '### Outputs',
    '',
    'Each output\'s own keys are on its page:',
    '',
    ...outputsList,
    '',
    '### `outputs.<name>` — named output instances',
    '',
    ...NAMED,
  ].join('\n');
}

function yamlLines(schema: z.ZodType, indent: string): string[] {
  const shape = objectShape(schema) ?? {};
  const lines: string[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const info = inspect(child);
    if (info.description) lines.push(`${indent}# ${info.description}${info.secret ? ' (secret)' : ''}`);
    if (objectShape(child)) {
      const inner = yamlLines(child, `${indent}  `);
      // A section whose keys are all commented out would read back as null: comment it out too.
      const empty = inner.every((l) => l.trimStart().startsWith('#'));
      lines.push(`${indent}${empty ? '# ' : ''}${key}:`, ...inner);
    } else {
      const value = info.defaultValue;
      const text = value === undefined ? '' : JSON.stringify(value);
      lines.push(`${indent}${value === undefined ? '# ' : ''}${key}: ${text}`);
    }
  }
  return lines;
}

/** config/reference.yaml: every key with its default and description. */
export function referenceYaml(plugins: readonly AnyOutputPlugin[]): string {
  const lines = [
    '# Peregrine configuration reference: every key with its default.',
    '# GENERATED from the zod schema by `node scripts/gen-docs.ts` — do not edit; edit the .describe() texts instead.',
    '# An output is on when its address key is set (webhook.address, elasticsearch.hostport, ...).',
    '',
    ...yamlLines(BaseSchema, ''),
  ];
  // Output sections at their YAML location (nested ones such as aws.sqs inside their group).
  for (const [key, schema] of Object.entries(outputsShape(plugins))) lines.push('', `# ${inspect(schema).description ?? ''}`, `${key}:`, ...yamlLines(schema, '  '));
  lines.push(
    '',
    ...NAMED.map((l) => `# ${l.replaceAll('`', '')}`),
    'outputs: {}',
    '#  soc-pager:',
    '#    type: webhook',
    '#    address: https://pager.example.com/hook',
    '#    match: {priority: ">=critical", rule: ["Terminal shell in container", "/^Drop and execute/"]}',
    '#    customfields: {channel: "#pager"}',
  );
  return `${lines.join('\n')}\n`;
}
