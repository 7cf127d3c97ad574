// The root schema: global keys plus one key per registered output (its own options + the core's).
import { z } from 'zod';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { baseShape, type BaseConfig } from './base.ts';
import { commonOutputShape, type CommonOutputConfig } from './common.ts';

export function outputSchema(plugin: AnyOutputPlugin): z.ZodObject {
  return plugin.schema.extend(commonOutputShape).prefault({}).describe(plugin.description) as unknown as z.ZodObject;
}

export function buildConfigSchema(plugins: readonly AnyOutputPlugin[]): z.ZodObject {
  const outputs = Object.fromEntries(plugins.map((p) => [p.name, outputSchema(p)]));
  return z.object({ ...baseShape, ...outputs });
}

/** Output sections are typed by their plugin; the core sees the shared part. */
export type OutputSection = CommonOutputConfig & Record<string, unknown>;
export type Config = BaseConfig & { [output: string]: unknown };
