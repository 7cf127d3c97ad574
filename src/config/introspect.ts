// One walker over the zod config schema, so env overlay, key normalisation, typo detection,
// redaction and generated docs all read the same source of truth.
import type { z } from 'zod';

type LeafKind = 'string' | 'number' | 'boolean' | 'map' | 'list' | 'other';

export interface Field {
  /** The schema with optional/default/nullable/readonly/pipe wrappers peeled off. */
  base: z.ZodType;
  description: string | undefined;
  secret: boolean;
  defaultValue: unknown;
  optional: boolean;
  /**
   * The key reads a string with a parser of its own (a z.preprocess not marked `stringform`: OTLP's
   * "k=v,k=v" headers): an env var's text goes to it as it is, not split as "k:v,k:v".
   */
  parsesText: boolean;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; options?: z.ZodType[]; defaultValue?: unknown };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export function inspect(schema: z.ZodType): Field {
  let current = schema;
  let description: string | undefined;
  let secret = false;
  let defaultValue: unknown;
  let optional = false;
  let preprocessed = false;
  let stringform = false;
  for (;;) {
    const meta = current.meta() as { description?: string; secret?: boolean; stringform?: boolean } | undefined;
    description ??= meta?.description ?? current.description;
    secret ||= meta?.secret === true;
    stringform ||= meta?.stringform === true;
    const def = defOf(current);
    if (def.type === 'default') defaultValue ??= typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    if (def.type === 'optional' || def.type === 'default') optional = true;
    const next = ['optional', 'default', 'nullable', 'readonly', 'prefault', 'nonoptional', 'catch'].includes(def.type)
      ? def.innerType
      : def.type === 'pipe'
        ? // z.preprocess(fn, schema) is a pipe from a transform: the schema is what the key holds.
          def.in && defOf(def.in).type === 'transform'
          ? def.out
          : def.in
        : undefined;
    if (def.type === 'pipe' && def.in && defOf(def.in).type === 'transform') preprocessed = true;
    if (!next) break;
    current = next;
  }
  return { base: current, description, secret, defaultValue, optional, parsesText: preprocessed && !stringform };
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const { base } = inspect(schema);
  return defOf(base).type === 'object' ? (base as z.ZodObject).shape : undefined;
}

export function leafKind(schema: z.ZodType): LeafKind {
  const { base } = inspect(schema);
  const def = defOf(base);
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'number':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'record':
      return 'map';
    case 'array':
      // A list of objects (silences) is YAML/JSON text in an env var, not "a,b".
      return objectShape((def as { element?: z.ZodType }).element as z.ZodType) ? 'other' : 'list';
    case 'union': {
      const kinds = new Set((def.options ?? []).map(leafKind));
      return kinds.size === 1 ? ([...kinds][0] as LeafKind) : 'other';
    }
    default:
      return 'other';
  }
}

/**
 * Whether a key takes a map, alone or beside another form (alertmanager.extralabels: a map or a
 * "k:v" string): its keys from a file are lower-cased (keys.ts), as falcosidekick's viper reads them.
 */
export function acceptsMap(schema: z.ZodType): boolean {
  const def = defOf(inspect(schema).base);
  if (def.type === 'record') return true;
  return def.type === 'union' && (def.options ?? []).some(acceptsMap);
}

export interface LeafPath {
  path: string[];
  schema: z.ZodType;
  kind: LeafKind;
  /** How an env var's text is read: as `kind`, or as a string when the key parses text itself (Field.parsesText). */
  envKind: LeafKind;
}

/** Every settable key below an object schema (objects are walked, everything else is a leaf). */
export function leafPaths(schema: z.ZodType, prefix: string[] = []): LeafPath[] {
  const shape = objectShape(schema);
  if (!shape) {
    const kind = leafKind(schema);
    return [{ path: prefix, schema, kind, envKind: inspect(schema).parsesText ? 'string' : kind }];
  }
  return Object.entries(shape).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

/** falcosidekick's env naming: the key path upper-cased and joined with `_`. */
export function envName(path: readonly (string | number)[]): string {
  return path.map(String).join('_').toUpperCase();
}
