// Secrets never leave the process: --print-config, logs and errors go through this.
import type { z } from 'zod';
import { inspect, objectShape } from './introspect.ts';

import { isSecretKey, REDACTED, redactUrlPassword } from './secrets.ts';

/** Replaces the password of a URL with ***; leaves anything that is not a URL alone. */
export const redactUrl = redactUrlPassword;

function redactValue(value: unknown, secret: boolean): unknown {
  if (secret) return value === '' || value === undefined ? value : REDACTED;
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, false));
  if (value && typeof value === 'object') {
    // Free-form maps (customheaders, customfields): redact by key name.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, isSecretKey(k))]));
  }
  return value;
}

type Def = { type: string; valueType?: z.ZodType; options?: z.ZodType[]; discriminator?: string; values?: unknown[] };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The value schema of a record whose values are objects or a discriminated union of objects. */
function recordEntries(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(inspect(schema).base);
  if (def.type !== 'record' || !def.valueType) return undefined;
  const value = defOf(def.valueType);
  return objectShape(def.valueType) || (value.type === 'union' && value.discriminator) ? def.valueType : undefined;
}

/** The union member a value belongs to, by its discriminator; the union itself when none fits. */
function variantFor(schema: z.ZodType, value: object): z.ZodType {
  const def = defOf(schema);
  if (def.type !== 'union' || !def.discriminator) return schema;
  const tag = (value as Record<string, unknown>)[def.discriminator];
  return def.options?.find((o) => defOf(objectShape(o)?.[def.discriminator as string] ?? o).values?.includes(tag)) ?? schema;
}

export function redactConfig(schema: z.ZodType, config: Record<string, unknown>): Record<string, unknown> {
  const shape = objectShape(schema);
  if (!shape) return redactValue(config, false) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const child = shape[key];
      if (!child) return [key, redactValue(value, isSecretKey(key))];
      if (objectShape(child) && value && typeof value === 'object' && !Array.isArray(value)) {
        return [key, redactConfig(child, value as Record<string, unknown>)];
      }
      const entries = recordEntries(child);
      if (entries && value && typeof value === 'object' && !Array.isArray(value)) {
        // Named outputs: each instance is redacted by the schema of its type.
        return [key, Object.fromEntries(Object.entries(value).map(([name, v]) => [name, v && typeof v === 'object' ? redactConfig(variantFor(entries, v), v as Record<string, unknown>) : v]))];
      }
      return [key, redactValue(value, inspect(child).secret)];
    }),
  );
}
