// The summary of a window that held repeats back: a real Falco-shaped alert (the original rule, the
// highest priority seen, a summary line as output) sent to that output only. Its uuid comes from
// output + key + window start, so sending it again after a restart is idempotent downstream.
import { createHash } from 'node:crypto';
import { freezeAlert, type Alert } from '../alert/alert.ts';
import { PRIORITIES, type Priority } from '../alert/priority.ts';
import type { WindowState } from './window.ts';

export function summaryUuid(output: string, key: string, windowStart: number): string {
  const h = createHash('sha256').update(`${output}\u0000${key}\u0000${windowStart}`).digest('hex');
  // UUID layout, version 8 (custom) and the RFC 4122 variant.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** "Terminal shell in container ×37 since 10:02:00 (last 10:11:58; 3 hostname: a, b, c)" (times UTC). */
function summaryLine(w: WindowState): string {
  const varied = Object.entries(w.samples ?? {})
    .filter(([, values]) => values.length > 1)
    .map(([path, values]) => `${values.length}${w.truncated ? '+' : ''} ${path.replace(/^output_fields\./, '')}: ${values.join(', ')}`);
  return `${w.first.rule} ×${w.seen} since ${clockTime(w.start)} UTC (last ${clockTime(w.lastSeen)}; ${w.suppressed} held back${varied.length ? `; ${varied.join('; ')}` : ''})`;
}

/**
 * The summary of a window closed at `closedAt`: at its planned end, or earlier (eviction at maxkeys,
 * a reload, shutdown without the spool, a restart that no longer dedupes it), never dated in the future.
 */
export function buildSummary(output: string, w: WindowState, closedAt: number): Alert {
  const first = w.first;
  const end = Math.min(closedAt, w.end);
  const fields: Record<string, unknown> = {
    ...first.output_fields,
    'peregrine.summary': true,
    'peregrine.count': w.seen,
    'peregrine.suppressed': w.suppressed,
    'peregrine.first_seen': new Date(w.start).toISOString(),
    'peregrine.last_seen': new Date(w.lastSeen).toISOString(),
    'peregrine.window_end': new Date(end).toISOString(),
  };
  for (const [path, values] of Object.entries(w.samples ?? {})) fields[`peregrine.sample.${path.replace(/^output_fields\./, '')}`] = values;
  if (w.truncated) fields['peregrine.sample_truncated'] = true;
  const alert: { -readonly [K in keyof Alert]: Alert[K] } = {
    uuid: summaryUuid(output, w.key, w.start),
    output: summaryLine(w),
    priority: PRIORITIES[w.topRank] as Priority,
    rule: first.rule,
    time: new Date(end).toISOString(),
    output_fields: fields,
    source: first.source,
    tags: [...first.tags],
  };
  if (first.hostname !== undefined) alert.hostname = first.hostname;
  return freezeAlert(alert);
}
