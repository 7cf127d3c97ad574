import type { z } from 'zod';

/** Marks a setting as secret: redacted by --print-config, logs and errors. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ ...(schema.meta() ?? {}), secret: true }) as T;
}
