// The syslog line falcosidekick sends through Go's log/syslog to a remote host:
//   <PRI>TIMESTAMP HOSTNAME TAG[PID]: MSG\n
// PRI = facility 0 (kern: falcosidekick hands syslog.Dial a bare severity) | the alert's severity;
// TAG "Falco"; MSG the alert's JSON, or falcosidekick's CEF text. RFC 3164's shape with an RFC 3339
// timestamp, which rsyslog, syslog-ng and the SIEM collectors parse as such.
import { scalarText, serializeAlert, type Alert, type Priority } from '../../src/plugin/index.ts';

/** What every line of one daemon carries: falcosidekick's tag, this host, this process. */
export interface LineHeader {
  hostname: string;
  pid: number;
}

const TAG = 'Falco';

/** Falco priority → syslog severity (RFC 5424 numbers), as falcosidekick maps them. Facility 0 (kern). */
const SEVERITY: Record<Priority, number> = {
  Emergency: 0,
  Alert: 1,
  Critical: 2,
  Error: 3,
  Warning: 4,
  Notice: 5,
  Informational: 6,
  Debug: 7,
};

/** Falco priority → CEF severity (0-10), falcosidekick's table. */
const CEF_SEVERITY: Record<Priority, string> = {
  Debug: '0',
  Informational: '3',
  Notice: '4',
  Warning: '6',
  Error: '7',
  Critical: '8',
  Alert: '9',
  Emergency: '10',
};

function severity(priority: Priority): number {
  return SEVERITY[priority];
}

function cefSeverity(priority: Priority): string {
  return CEF_SEVERITY[priority];
}

const TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The alert time as Go's time.RFC3339 prints it once parsed from the alert: whole seconds, "Z" for
 * a zero offset, the offset otherwise ("2026-11-20T10:21:36Z").
 */
export function rfc3339Seconds(time: string): string {
  const m = TIME.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${time}`);
  const zone = /^(?:[Zz]|[+-]00:00)$/.test(m[3] as string) ? 'Z' : (m[3] as string);
  return `${m[1]}T${m[2]}${zone}`;
}

/** One syslog line, newline-terminated (the TCP framing falcosidekick uses; a UDP datagram carries it too). */
export function syslogLine(alert: Alert, format: 'json' | 'cef', header: LineHeader): string {
  const msg = format === 'cef' ? cefText(alert) : serializeAlert(alert);
  return `<${severity(alert.priority)}>${rfc3339Seconds(alert.time)} ${header.hostname} ${TAG}[${header.pid}]: ${msg}\n`;
}

/**
 * falcosidekick's CEF text, byte for byte, except: output fields sorted by name (Go's map order is
 * random), and a line break inside a value written as CEF's `\n` / `\r`, so that it cannot end the
 * syslog message early (a newline is the TCP frame's end). Like falcosidekick, nothing else is
 * escaped (`|`, `=`, `\` go as they are).
 */
export function cefText(alert: Alert): string {
  let s =
    `CEF:0|Falcosecurity|Falco|1.0|Falco Event|${alert.rule}|${cefSeverity(alert.priority)}|` +
    `uuid=${alert.uuid} start=${rfc3339Seconds(alert.time)} msg=${alert.output} source=${alert.source}`;
  if (alert.hostname) s += ` hostname=${alert.hostname}`;
  s += ' outputfields=';
  for (const name of Object.keys(alert.output_fields).sort(byCodeUnit)) s += `${name}:${goText(alert.output_fields[name])} `;
  if (alert.tags.length > 0) s += `tags=${alert.tags.join(',')}`;
  if (s.endsWith(' ')) s = s.slice(0, -1);
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** A decoded JSON value as Go's %v prints it (falcosidekick decodes numbers as json.Number: their digits). */
function goText(value: unknown): string {
  const scalar = scalarText(value);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(value)) return `[${value.map(goText).join(' ')}]`;
  if (value !== null && typeof value === 'object') {
    const map = value as Record<string, unknown>;
    return `map[${Object.keys(map)
      .sort(byCodeUnit)
      .map((k) => `${k}:${goText(map[k])}`)
      .join(' ')}]`;
  }
  return '<nil>';
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
