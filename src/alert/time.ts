// Alert time arithmetic without losing Falco's nanoseconds.

const PARTS = /^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the Unix epoch, exact. The input passed the alert schema's RFC 3339 check. */
export function epochNanos(time: string): bigint {
  const m = PARTS.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${time}`);
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  return BigInt(seconds) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

export function epochMillis(time: string): number {
  return Number(epochNanos(time) / 1_000_000n);
}

/** "1700000000.167531875": epoch seconds with the full fraction, as Splunk HEC's `time` wants it. */
export function epochSecondsText(time: string): string {
  const ns = epochNanos(time);
  const whole = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/**
 * What Go's time.Time String() prints for the alert time as falcosidekick parses it
 * ("2026-11-20 10:21:36.167531875 +0000 UTC"): chat outputs that copy falcosidekick's layout show it.
 * The wall clock is the one written in the alert; a non-zero offset has no zone name, so Go repeats it.
 */
export function goTimeText(time: string): string {
  const m = PARTS.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${time}`);
  const [date = '', clock = ''] = (m[1] ?? '').split(/[Tt]/);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const zone = m[3] ?? 'Z';
  const offset = /^[Zz]$|^[+-]00:00$/.test(zone) ? '+0000 UTC' : `${zone.replace(':', '')} ${zone.replace(':', '')}`;
  return `${date} ${clock}${frac ? `.${frac}` : ''} ${offset}`;
}

/** RFC 3339 in UTC with all nine fraction digits, from epoch nanoseconds: `2026-11-20T10:21:36.167531875Z`. */
export function rfc3339Nanos(ns: bigint): string {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}
