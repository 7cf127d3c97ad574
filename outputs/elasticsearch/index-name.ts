// The target index of an alert: <index>-YYYY.MM.DD / -YYYY.MM / -YYYY / <index>, dated by the
// alert's own time in UTC (falcosidekick uses "now", which files late alerts under the wrong day).
import { epochMillis } from '../../src/plugin/index.ts';

export type Suffix = 'daily' | 'monthly' | 'annually' | 'none';

/** UTC calendar date of an RFC 3339 time as [YYYY, MM, DD]. */
export function utcDate(time: string): [string, string, string] {
  const last = time.charCodeAt(time.length - 1);
  // Falco writes UTC ("...Z"): the date is the text itself. Offsets go through epoch millis.
  if (last === 90 /* Z */ || last === 122 /* z */) return [time.slice(0, 4), time.slice(5, 7), time.slice(8, 10)];
  const d = new Date(epochMillis(time));
  return [String(d.getUTCFullYear()).padStart(4, '0'), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')];
}

export function indexName(index: string, suffix: Suffix, time: string): string {
  if (suffix === 'none') return index;
  const [y, m, d] = utcDate(time);
  if (suffix === 'daily') return `${index}-${y}.${m}.${d}`;
  if (suffix === 'monthly') return `${index}-${y}.${m}`;
  return `${index}-${y}`;
}
