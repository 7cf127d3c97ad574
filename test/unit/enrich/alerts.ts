// Alerts for the enrichment tests, built from the shared fixture the way ingest builds them
// (lossless JSON, canonical alert, frozen as the router hands them on).
import { readFileSync } from 'node:fs';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';

const FIXTURE = new URL('../../fixtures/alerts/enrich-k8s.json', import.meta.url);

/** The fixture alert, frozen; `changes` replace top-level keys, `fields` replace or (with undefined) remove output fields. */
export function k8sAlert(changes: Partial<AlertInput> = {}, fields: Record<string, unknown> = {}): Alert {
  const input = parseJson(readFileSync(FIXTURE, 'utf8')) as AlertInput;
  const outputFields: Record<string, unknown> = { ...input.output_fields, ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete outputFields[key];
  return freezeAlert(toAlert({ ...input, ...changes, output_fields: outputFields }, () => 'fixed-uuid'));
}
