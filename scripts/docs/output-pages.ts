// One docs page per registered output, docs/outputs/<name>.md. The generator owns one marked block
// (the description, how the output is turned on, its defaults and its keys table); the rest of the
// page is hand-written (what it sends, an example, differences from falcosidekick, failure
// classification) and kept as it is. A missing page is created with the block and an example.
import YAML from 'yaml';
import type { z } from 'zod';
import { leafPaths } from '../../src/config/introspect.ts';
import { outputSchema, sectionPath } from '../../src/config/schema.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { cell, table, upsertBlock } from './markdown.ts';
import { keysTable } from './keys-table.ts';

const BLOCK = 'keys';

/** The output's YAML key (its section in the config file). */
export function outputKey(plugin: AnyOutputPlugin): string {
  return sectionPath(plugin).join('.');
}

/** `{aws: {sqs: value}}` for an output at aws.sqs. */
function atSection(plugin: AnyOutputPlugin, value: unknown): Record<string, unknown> {
  return sectionPath(plugin).reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** Repository path of the output's page. */
export function pagePath(plugin: AnyOutputPlugin): string {
  return `docs/outputs/${plugin.name}.md`;
}

/** Link to the output's page from a file in `from` ('' = the repository root, 'docs'). */
export function pageLink(plugin: AnyOutputPlugin, from: '' | 'docs'): string {
  return from === 'docs' ? `outputs/${plugin.name}.md` : pagePath(plugin);
}

function isOn(plugin: AnyOutputPlugin, options: Record<string, unknown>): boolean {
  const parsed = outputSchema(plugin).safeParse(options);
  return parsed.success && plugin.enabled(parsed.data as never);
}

function without(options: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([k]) => k !== key));
}

/**
 * How the output is turned on, found by trying its `example` (falcosidekick's rule: an output is
 * on when its address key is set, and plugins say so in code): the keys without which the example
 * is off, each with the other keys that turn it on in its place (splunk: hostport or host).
 * Each entry is a list of alternatives; all entries are needed.
 */
function enablingKeys(plugin: AnyOutputPlugin): string[][] {
  const example = plugin.example;
  const own = leafPaths(plugin.schema).filter((l) => l.path.length === 1).map((l) => l.path[0] as string);
  return Object.keys(example)
    .filter((key) => !isOn(plugin, without(example, key)))
    .map((key) => [key, ...own.filter((other) => !(other in example) && isOn(plugin, { ...without(example, key), [other]: example[key] }))]);
}

/** "`kafka.hostport` + `kafka.topic`", "`splunk.hostport` or `splunk.host`", "`stdout.enabled: true`". */
function enablingText(plugin: AnyOutputPlugin): string {
  const show = (key: string) => {
    const value = plugin.example[key];
    if (typeof value === 'boolean') return `\`${outputKey(plugin)}.${key}: ${value}\``;
    // A nested block (otlp.logs: {endpoint}) is turned on by its own first key.
    const inner = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value)[0] : undefined;
    return `\`${outputKey(plugin)}.${key}${inner ? `.${inner}` : ''}\``;
  };
  const keys = enablingKeys(plugin);
  if (keys.length === 0) return 'see its page';
  return keys.map((alternatives) => alternatives.map(show).join(' or ')).join(' + ');
}

function defaultsText(plugin: AnyOutputPlugin): string {
  const concurrency = `\`maxconcurrency\` ${plugin.concurrency ?? 1}`;
  const batch = plugin.batch;
  if (!batch) return `${concurrency}; one alert per request.`;
  return `${concurrency}; \`batch.maxevents\` ${batch.maxevents}, \`batch.maxbytes\` ${batch.maxbytes}, \`batch.flushms\` ${batch.flushms}.`;
}

/** The generated block of an output's page. */
function keysBlock(plugin: AnyOutputPlugin): string {
  return [
    `> ${cell(plugin.description)}`,
    '',
    '## Options',
    '',
    `Turned on by ${enablingText(plugin)}. Defaults of this output: ${defaultsText(plugin)} Every key can also be set by its environment variable ([configuration](../configuration.md)).`,
    '',
    keysTable(outputSchema(plugin) as z.ZodType, [...sectionPath(plugin)]),
    ...(plugin.shared
      ? ['', `### Shared keys (\`${plugin.shared.path.join('.')}\`)`, '', cell(plugin.shared.description), '', keysTable(plugin.shared.schema as z.ZodType, [...plugin.shared.path])]
      : []),
  ].join('\n');
}

/** A page for an output that has none yet: the generated block and its example. */
function newPage(plugin: AnyOutputPlugin): string {
  const example = YAML.stringify(atSection(plugin, plugin.example)).trimEnd();
  return `# ${plugin.name}\n\n## Example\n\n\`\`\`yaml\n${example}\n\`\`\`\n`;
}

/** The page's new text: `current` (undefined when the file does not exist) with the block refreshed. */
export function renderOutputPage(plugin: AnyOutputPlugin, current: string | undefined): string {
  return upsertBlock(current ?? newPage(plugin), BLOCK, keysBlock(plugin));
}

/** The outputs table of README.md: name (linked to its page), what it does, how it is turned on. */
export function outputsTable(plugins: readonly AnyOutputPlugin[]): string {
  return table(
    ['output', 'what it does', 'turned on by'],
    plugins.map((p) => [`[\`${p.name}\`](${pageLink(p, '')})`, cell(p.description), enablingText(p)]),
  );
}
