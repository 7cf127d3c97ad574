// HEC event envelopes: one JSON object per alert, concatenated into one request body. The alert
// JSON is spliced in as text (serializeAlert) so big integers in output_fields stay exact.
import { alertField, epochSecondsText, scalarText, serializeAlert, type Alert } from '../../src/plugin/index.ts';
import type { SplunkOptions } from './options.ts';

export type EnvelopeBuilder = (alert: Alert) => string;

/** Compiles the per-output constant parts once; the returned function builds one envelope. */
export function envelopeBuilder(options: Pick<SplunkOptions, 'index' | 'source' | 'sourcetype' | 'eventhost' | 'indexedfields'>): EnvelopeBuilder {
  let fixed = '';
  if (options.source) fixed += `,"source":${JSON.stringify(options.source)}`;
  if (options.sourcetype) fixed += `,"sourcetype":${JSON.stringify(options.sourcetype)}`;
  if (options.index) fixed += `,"index":${JSON.stringify(options.index)}`;
  const eventHost = options.eventhost ? `,"host":${JSON.stringify(options.eventhost)}` : undefined;
  const keys = [...new Set(options.indexedfields)];
  return (alert) => {
    const host = eventHost ?? (alert.hostname ? `,"host":${JSON.stringify(alert.hostname)}` : '');
    const fields = keys.length ? indexedFields(alert, keys) : undefined;
    return `{"time":${epochSecondsText(alert.time)}${host}${fixed}${fields ? `,"fields":${fields}` : ''},"event":${serializeAlert(alert)}}`;
  };
}

/** The body of one request: the envelopes, newline-separated (HEC accepts any whitespace between them). */
export function hecBody(alerts: readonly Alert[], build: EnvelopeBuilder): string {
  return alerts.map(build).join('\n');
}

/**
 * HEC indexed fields take flat values only (a nested object fails the whole request): strings,
 * or arrays of strings. Numbers (big integers included, as their exact text) become strings.
 */
function indexedFields(alert: Alert, keys: readonly string[]): string | undefined {
  const out: Record<string, string | string[]> = {};
  let any = false;
  for (const key of keys) {
    const value = alertField(alert, key);
    const flat = Array.isArray(value) ? value.map(scalarText).filter((v) => v !== undefined) : scalarText(value);
    if (flat === undefined) continue;
    out[key] = flat;
    any = true;
  }
  return any ? JSON.stringify(out) : undefined;
}
