// The keys table of a schema section, as every generated reference shows it: key, default,
// meaning (the .describe() text) and the environment variable that sets it.
import type { z } from 'zod';
import { envName, inspect, leafPaths } from '../../src/config/introspect.ts';
import { cell, code, table } from './markdown.ts';

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** key | default | meaning | env, one row per settable key below `prefix`. */
export function keysTable(schema: z.ZodType, prefix: readonly string[], envPrefix: readonly string[] = prefix): string {
  const rows = leafPaths(schema).map((leaf) => {
    const info = inspect(leaf.schema);
    const def = info.secret && info.defaultValue ? '(secret)' : show(info.defaultValue);
    const meaning = `${cell(info.description ?? '')}${info.secret ? ' **Secret.**' : ''}`;
    return [code([...prefix, ...leaf.path].join('.')), code(def), meaning, code(envName([...envPrefix, ...leaf.path]))];
  });
  return table(['key', 'default', 'meaning', 'env'], rows);
}
