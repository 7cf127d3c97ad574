// Before zod sees the input: match keys case-insensitively and lower-case the keys of free-form maps
// (falcosidekick's viper does both), read YAML null (a section whose keys are all commented out) as
// "not set", and sort unknown keys into typos (errors, with a suggestion), falcosidekick sections
// Peregrine does not have (a loud warning only when falcosidekick would have enabled that output,
// from the file or the environment) and the rest (a warning).
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import type { ConfigProblem } from '../errors.ts';
import { FALCOSIDEKICK_OUTPUT_PATHS, FALCOSIDEKICK_SECTIONS, FALCOSIDEKICK_UNREAD, unsupportedEnabled } from './falcosidekick-outputs.ts';
import { acceptsMap, envName, objectShape } from './introspect.ts';

export interface KeyCheck {
  value: Record<string, unknown>;
  problems: ConfigProblem[];
  warnings: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.min(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** `env`: for falcosidekick outputs enabled by env vars; `path`: where `input` sits (a named instance's keys are checked against its type's schema). */
export function checkKeys(schema: z.ZodType, input: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, path: string[] = []): KeyCheck {
  const result: KeyCheck = { value: {}, problems: [], warnings: [] };
  result.value = walk(schema, input, path, result);
  if (path.length > 0) return result;
  for (const { name, by } of unsupportedEnabled(input, env, (section) => hasSection(schema, section))) {
    result.warnings.push(`"${name}" is a falcosidekick output that Peregrine does not have (${by.join(' + ')} set): alerts will NOT be sent there`);
  }
  return result;
}

/** True when the schema has the dotted section (`webhook`, `aws.sqs`). */
function hasSection(schema: z.ZodType, dotted: string): boolean {
  let node: z.ZodType | undefined = schema;
  for (const key of dotted.split('.')) node = node ? objectShape(node)?.[key] : undefined;
  return node !== undefined;
}

const lowerKeys = (map: Record<string, unknown>) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));

function walk(schema: z.ZodType, input: Record<string, unknown>, path: string[], out: KeyCheck): Record<string, unknown> {
  const shape = objectShape(schema) as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const value: Record<string, unknown> = {};
  for (const [rawKey, child] of Object.entries(input)) {
    const key = shape[rawKey] ? rawKey : shape[rawKey.toLowerCase()] ? rawKey.toLowerCase() : undefined;
    const here = [...path, key ?? rawKey];
    if (child === null) continue; // `section:` with every key commented out: falcosidekick reads it as unset
    if (key) {
      const childSchema = shape[key] as z.ZodType;
      if (objectShape(childSchema) && isPlainObject(child)) value[key] = walk(childSchema, child, here, out);
      else value[key] = acceptsMap(childSchema) && isPlainObject(child) ? lowerKeys(child) : child;
      continue;
    }
    const dotted = here.join('.');
    // Sections of falcosidekick outputs Peregrine lacks (`stan`): checked as a whole by unsupportedEnabled().
    if (path.length === 0 && FALCOSIDEKICK_SECTIONS.has(rawKey.toLowerCase())) continue;
    if (FALCOSIDEKICK_OUTPUT_PATHS.has([...path, rawKey.toLowerCase()].join('.'))) continue;
    const suggestion = closest(rawKey, known);
    if (suggestion) {
      out.problems.push({ path: dotted, message: `unknown key; did you mean "${[...path, suggestion].join('.')}"?`, env: envName([...path, suggestion]) });
    } else {
      const instead = FALCOSIDEKICK_UNREAD.get(dotted.toLowerCase());
      out.warnings.push(instead ? `key "${dotted}" ignored: ${instead}` : `unknown key "${dotted}" ignored`);
    }
  }
  return value;
}
