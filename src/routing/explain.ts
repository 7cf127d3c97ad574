// `peregrine route -c FILE [ALERT.json]`: for an alert (or a JSON array / NDJSON of alerts), which
// outputs take it and, for the others, the first condition that failed. The alert goes through the
// same validation, normalisation and global enrichment as at ingest, so fields match as they would.
import { parseCommand } from '../cli-args.ts';
import { freezeAlert, toAlert, type Alert } from '../alert/alert.ts';
import { parseJson } from '../alert/json.ts';
import type { OutputInstance } from '../config/instances.ts';
import type { Config } from '../config/schema.ts';
import { buildEnricher } from '../enrich/enrich.ts';
import { validateAlert } from '../ingest/validate.ts';

export const ROUTE_USAGE = `Usage: peregrine route [-c FILE] [ALERT.json]

  Prints, for every output of the config, whether it takes the alert, and if not the first
  condition that failed. ALERT.json holds one alert, a JSON array of alerts or NDJSON; without it
  (or with -) the alert is read from standard input. Exit status: 0, or 1 when an alert is invalid.`;

export interface RouteIo {
  read(file: string | undefined): string;
  out(line: string): void;
}

/** The rows for one alert: [output, "taken" | "skipped", reason]. */
function explainRoutes(alert: Alert, instances: readonly OutputInstance[]): [string, string, string][] {
  return instances.map((i) => {
    const reason = i.filter.explain(alert);
    return [i.name, reason === undefined ? 'taken' : 'skipped', reason ?? ''];
  });
}

function parseAlerts(text: string): unknown[] {
  const trimmed = text.trim();
  try {
    const value = parseJson(trimmed);
    return Array.isArray(value) ? value : [value];
  } catch (err) {
    const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
    if (lines.length < 2) throw err;
    return lines.map((l) => parseJson(l));
  }
}

export function runRoute(argv: string[], config: Config, instances: readonly OutputInstance[], io: RouteIo): number {
  const { positionals } = parseCommand(argv, { config: { type: 'string', short: 'c' } });
  if (positionals.length > 1) {
    io.out(ROUTE_USAGE);
    return 2;
  }
  const file = positionals[0] === '-' ? undefined : positionals[0];
  let values: unknown[];
  try {
    values = parseAlerts(io.read(file));
  } catch (err) {
    io.out(`${file ?? 'stdin'}: not JSON: ${(err as Error).message}`);
    return 1;
  }
  const enrich = buildEnricher({ customfields: config.customfields, customtags: config.customtags, templatedfields: config.templatedfields, bracketreplacer: config.bracketreplacer });
  const width = Math.max(6, ...instances.map((i) => i.name.length));
  let status = 0;
  for (const [index, value] of values.entries()) {
    const validation = validateAlert(value);
    const label = values.length > 1 ? `alert ${index + 1}` : 'alert';
    if (!validation.ok) {
      io.out(`${label}: invalid: ${validation.error.message}`);
      status = 1;
      continue;
    }
    const alert = freezeAlert(enrich(toAlert(validation.input)));
    if (values.length > 1) io.out(`${label}: ${alert.priority} "${alert.rule}" (${alert.uuid})`);
    if (instances.length === 0) io.out('  no output is enabled');
    for (const [name, verdict, reason] of explainRoutes(alert, instances)) io.out(`${values.length > 1 ? '  ' : ''}${name.padEnd(width)}  ${verdict.padEnd(7)}  ${reason}`.trimEnd());
  }
  return status;
}
