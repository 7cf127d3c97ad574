// The hot-path validator: the zod AlertSchema compiled to JSON Schema and then to code by ajv.
// test/unit/ingest/validate-parity.test.ts proves it accepts and rejects exactly what zod does.
import { Ajv, type ErrorObject } from 'ajv';
import { z } from 'zod';
import { ErrorCodes, RequestError } from '../errors.ts';
import { AlertSchema, FIELD_HINTS, type AlertInput } from '../alert/alert.ts';

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
const alertJsonSchema = z.toJSONSchema(AlertSchema, { target: 'draft-7', io: 'input' });
const compiled = ajv.compile<AlertInput>(alertJsonSchema);

export type Validation = { ok: true; input: AlertInput } | { ok: false; error: RequestError };

function describe(error: ErrorObject, value: unknown): RequestError {
  const path = error.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  if (error.keyword === 'required') {
    const field = (error.params as { missingProperty: string }).missingProperty;
    return new RequestError(ErrorCodes.ALERT_INVALID, 400, `missing required field "${field}": it ${FIELD_HINTS[field] ?? 'is required'}`, field);
  }
  if (path === '') return new RequestError(ErrorCodes.ALERT_INVALID, 400, 'an alert must be a JSON object with rule, priority, time and output_fields', '');
  const field = path.split('.')[0] as string;
  const got = field === 'priority' && typeof (value as Record<string, unknown>)[field] === 'string' ? ` (got "${String((value as Record<string, unknown>)[field]).slice(0, 40)}")` : '';
  const hint = FIELD_HINTS[field] ?? error.message ?? 'is invalid';
  return new RequestError(ErrorCodes.ALERT_INVALID, 400, `"${path}" ${hint}${got}`, path);
}

export function validateAlert(value: unknown): Validation {
  if (compiled(value)) return { ok: true, input: value };
  return { ok: false, error: describe((compiled.errors as ErrorObject[])[0] as ErrorObject, value) };
}
