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
      return [key, redactValue(value, inspect(child).secret)];
    }),
  );
}

/** An alert for a debug log line: output_fields whose name looks secret are replaced by ***. */
export function redactAlert<T extends { output_fields: Readonly<Record<string, unknown>> }>(alert: T): T {
  return { ...alert, output_fields: redactValue(alert.output_fields, false) };
}
