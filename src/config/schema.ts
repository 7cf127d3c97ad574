// The root schema: global keys, one section per registered output (its own options + the core's) at
// the output's YAML location — the top-level key `name`, or a nested `section` such as `aws.sqs`,
// beside the keys of a shared section (`aws.accesskeyid`, …) — and `outputs:`, the named instances
// of any output type (src/config/instances.ts resolves both).
import { z } from 'zod';
import type { AnyOutputPlugin, SharedSection } from '../plugin/types.ts';
import { baseShape, type BaseConfig } from './base.ts';
import { commonOutputShape, type CommonOutputConfig } from './common.ts';

// zod compiles each object schema into a function on its first parse (its JIT). Peregrine parses
// with zod only at start and reload (the config, routes, silences; alerts have a parser of their
// own), where compiling costs more than it saves: the root schema of 56 outputs took 2.2 MB of heap
// (~3 MB of idle RSS) and 4.5 ms per parse with it, 0.7 MB and 2.5 ms without.
z.config({ jitless: true });

export function outputSchema(plugin: AnyOutputPlugin): z.ZodObject {
  return plugin.schema.extend(commonOutputShape).prefault({}).describe(plugin.description) as unknown as z.ZodObject;
}

/** The YAML path of an output's options: `['webhook']`, `['aws', 'sqs']`. */
export function sectionPath(plugin: AnyOutputPlugin): readonly string[] {
  return plugin.section ?? [plugin.name];
}

function valueAt(config: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = config;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/**
 * An output's parsed section (its options and the core keys): the one way to read it from a config.
 * Without the sections of other outputs nested in it (`otlp.traces` in the otlp output's `otlp:`):
 * the output never sees their options, and a change to them is no change to it (reload/plan.ts).
 */
export function sectionOf(config: Record<string, unknown>, plugin: AnyOutputPlugin): OutputSection {
  const section = valueAt(config, sectionPath(plugin)) as OutputSection | undefined;
  if (!section || typeof section !== 'object') return section as unknown as OutputSection;
  const own = (key: string) => key in plugin.schema.shape || key in commonOutputShape;
  const keys = Object.keys(section);
  return (keys.every(own) ? section : Object.fromEntries(keys.filter(own).map((key) => [key, section[key]]))) as OutputSection;
}

/** The parsed keys of the plugin's shared section, without the outputs' sub-sections; `{}` when none. */
export function sharedOf(config: Record<string, unknown>, plugin: AnyOutputPlugin): Record<string, unknown> {
  const shared = plugin.shared;
  if (!shared) return {};
  const value = (valueAt(config, shared.path) ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(shared.schema.shape).map((key) => [key, value[key]]));
}

// A section that holds other sections (`aws:`): its shared keys, or the options of the output it
// belongs to (`otlp:` is the otlp output's, and holds `otlp.traces:`), and its children, built into
// one z.object once every plugin has been placed.
class Group {
  readonly entries = new Map<string, z.ZodType | Group>();
  shared?: SharedSection;
  /** The output whose own section this is, when one is placed here and others under it. */
  own?: z.ZodType;

  place(path: readonly string[], schema: z.ZodType, what: string): void {
    const [key, ...rest] = path as [string, ...string[]];
    const here = this.entries.get(key);
    if (rest.length === 0) {
      if (here instanceof Group && !here.own && !here.shared) here.own = schema;
      else if (here) throw new Error(`${what} is placed at "${key}", which another output or shared section already uses: YAML locations must be unique`);
      else this.entries.set(key, schema);
      return;
    }
    const group = here instanceof Group ? here : new Group();
    if (here !== undefined && !(here instanceof Group)) group.own = here;
    this.entries.set(key, group);
    group.place(rest, schema, what);
  }

  share(path: readonly string[], shared: SharedSection): void {
    const [key, ...rest] = path as [string, ...string[]];
    const here = this.entries.get(key);
    if (here !== undefined && (!(here instanceof Group) || here.own)) throw new Error(`shared section ${shared.path.join('.')} collides with an output's own section`);
    const group = here ?? new Group();
    this.entries.set(key, group);
    if (rest.length) return group.share(rest, shared);
    if (group.shared && group.shared !== shared) throw new Error(`two different shared sections are declared at ${shared.path.join('.')}`);
    group.shared = shared;
  }

  shape(): Record<string, z.ZodType> {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, entry] of this.entries) shape[key] = entry instanceof Group ? entry.build(key) : entry;
    return shape;
  }

  private build(key: string): z.ZodType {
    // An output's own section: its options (prefault-wrapped by outputSchema()) and its children's sections.
    const own = this.own ? ((this.own as z.ZodPrefault<z.ZodObject>).unwrap() as z.ZodObject) : undefined;
    const shape = { ...(own?.shape ?? this.shared?.schema.shape ?? {}) } as Record<string, z.ZodType>;
    for (const [child, schema] of Object.entries(this.shape())) {
      if (shape[child]) throw new Error(`"${key}.${child}" is both a key of ${own ? 'an output' : 'a shared section'} and an output section`);
      shape[child] = schema;
    }
    const description = this.own?.description ?? this.shared?.description ?? `Outputs under ${key}: (${[...this.entries.keys()].join(', ')}).`;
    return z.object(shape).prefault({}).describe(description);
  }
}

/** The output and shared sections only, keyed by their top-level YAML key (no global keys). */
export function outputsShape(list: readonly AnyOutputPlugin[]): Record<string, z.ZodType> {
  // A name listed twice (a test's replacement plugin) is one output: the last one wins, as before.
  const plugins = [...new Map(list.map((p) => [p.name, p])).values()];
  const root = new Group();
  for (const plugin of plugins) {
    if (plugin.shared) root.share(plugin.shared.path, plugin.shared);
  }
  for (const plugin of plugins) root.place(sectionPath(plugin), outputSchema(plugin), `output "${plugin.name}"`);
  const shape = root.shape();
  const clash = Object.keys(shape).find((key) => key in baseShape);
  if (clash) throw new Error(`the output section "${clash}" collides with a global key`);
  return shape;
}



// Lower-case letters, digits and single inner dashes, like a DNS label: safe as a metric label, a
// log binding, a /healthz key, and as an env var segment once "-" becomes "_" (config/instance-env.ts).
export const INSTANCE_NAME = /^[a-z](?:-?[a-z0-9])*$/;
const INSTANCE_NAME_RULE = 'a name is 1-63 lower-case letters, digits and single dashes, starting with a letter and not ending with a dash (soc-pager, team-a-splunk)';

/** A named instance of one output type: `type` + the type's options + the core's keys. */
export function instanceSchema(plugin: AnyOutputPlugin): z.ZodObject {
  // elasticsearch has an (ignored) option called `type`: in a named instance the key names the output type.
  let own = 'type' in plugin.schema.shape ? plugin.schema.omit({ type: true }) : plugin.schema;
  // Listing an instance turns it on: an `enabled` switch (stdout) defaults to true here.
  const enabled = own.shape.enabled as z.ZodType | undefined;
  if (enabled && enabled.safeParse(true).success) own = own.extend({ enabled: z.boolean().default(true).describe('Listing the instance turns it on; false turns it off.') });
  return own
    .extend({ type: z.literal(plugin.name).describe(`Output type: ${plugin.name}.`) })
    .extend(commonOutputShape)
    .describe(plugin.description) as unknown as z.ZodObject;
}

function outputsSchema(plugins: readonly AnyOutputPlugin[]): z.ZodType {
  const types = plugins.map((p) => p.name);
  const instance = z.discriminatedUnion('type', plugins.map(instanceSchema) as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) =>
      issue.code === 'invalid_union' && (issue as { note?: string }).note === 'No matching discriminator'
        ? (issue.input as { type?: unknown } | undefined)?.type === undefined
          ? `missing type: set it to one of ${types.join(', ')}`
          : `unknown output type ${JSON.stringify((issue.input as { type?: unknown }).type)}; known types: ${types.join(', ')}`
        : undefined,
  });
  return z
    .record(z.string(), instance)
    .superRefine((instances, ctx) => {
      for (const name of Object.keys(instances)) {
        if (name.length > 63 || !INSTANCE_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `invalid output name "${name}": ${INSTANCE_NAME_RULE}` });
      }
    })
    .default({})
    .describe(
      'Named output instances: any number of outputs of any type, each with its own match, enrichment overlay and core settings (docs/routing.md). The key is the instance name (metric label, log binding, /healthz key, dead-letter output). Env: OUTPUTS__<NAME>__<KEY>, e.g. OUTPUTS__SOC_PAGER__ADDRESS.',
    );
}

export function buildConfigSchema(plugins: readonly AnyOutputPlugin[]): z.ZodObject {
  return z.object({ ...baseShape, ...outputsShape(plugins), outputs: outputsSchema(plugins) });
}

/** Output sections are typed by their plugin; the core sees the shared part. */
export type OutputSection = CommonOutputConfig & Record<string, unknown>;
export type Config = BaseConfig & { [output: string]: unknown };
