// The root schema: global keys, one key per registered output (its own options + the core's), and
// `outputs:`, the named instances of any output type (src/config/instances.ts resolves both).
import { z } from 'zod';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { baseShape, type BaseConfig } from './base.ts';
import { commonOutputShape, type CommonOutputConfig } from './common.ts';

export function outputSchema(plugin: AnyOutputPlugin): z.ZodObject {
  return plugin.schema.extend(commonOutputShape).prefault({}).describe(plugin.description) as unknown as z.ZodObject;
}

// Lower-case letters, digits and single inner dashes, like a DNS label: safe as a metric label, a
// log binding, a /healthz key, and as an env var segment once "-" becomes "_" (config/instance-env.ts).
export const INSTANCE_NAME = /^[a-z](?:-?[a-z0-9])*$/;
export const INSTANCE_NAME_RULE = 'a name is 1-63 lower-case letters, digits and single dashes, starting with a letter and not ending with a dash (soc-pager, team-a-splunk)';

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

export function outputsSchema(plugins: readonly AnyOutputPlugin[]): z.ZodType {
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
  const outputs = Object.fromEntries(plugins.map((p) => [p.name, outputSchema(p)]));
  return z.object({ ...baseShape, ...outputs, outputs: outputsSchema(plugins) });
}

/** Output sections are typed by their plugin; the core sees the shared part. */
export type OutputSection = CommonOutputConfig & Record<string, unknown>;
export type Config = BaseConfig & { [output: string]: unknown };
