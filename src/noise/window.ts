// One dedupe window of one key: opened by the alert that went out (the leading edge), then counting
// the repeats held back until it ends. What the summary is built from, and what the spool keeps.
import type { Alert } from '../alert/alert.ts';
import { priorityRank } from '../alert/priority.ts';
import type { FieldGetter } from './key.ts';

export interface SampleSpec {
  /** The configured path (hostname, output_fields.k8s.pod.name). */
  path: string;
  get: FieldGetter;
}

export interface WindowState {
  key: string;
  start: number;
  end: number;
  /** The alert that opened the window: the summary keeps its rule, source, tags and fields. */
  first: Alert;
  /** Alerts of the key in this window, the first included. */
  seen: number;
  /** Alerts held back (by dedupe, or by the rate limit while the window was open). */
  suppressed: number;
  lastSeen: number;
  topRank: number;
  /** Distinct values per sample field, at most samplemax each (filled from the first repeat on: a key seen once costs nothing). */
  samples: Record<string, string[]> | undefined;
  truncated: boolean;
  /** What the window holds against dedupe.maxbytes (memory store): its first alert's JSON bytes and its samples' characters. Not kept in the spool. */
  bytes?: number;
}

/** A sample value is shown in the summary: at most this many characters (a 100 KB command line is not a sample). */
const SAMPLE_MAX_CHARS = 256;

/** A value as a sample: cut to SAMPLE_MAX_CHARS, ending in "…". */
export function sampleText(value: string): string {
  return value.length > SAMPLE_MAX_CHARS ? `${value.slice(0, SAMPLE_MAX_CHARS - 1)}…` : value;
}

export function openWindow(key: string, alert: Alert, now: number, windowMs: number): WindowState {
  return { key, start: now, end: now + windowMs, first: alert, seen: 1, suppressed: 0, lastSeen: now, topRank: priorityRank(alert.priority), samples: undefined, truncated: false };
}

/** Counts a repeat held back in this window. Returns the characters of the samples it added. */
export function countRepeat(w: WindowState, alert: Alert, now: number, sampleSpecs: readonly SampleSpec[], sampleMax: number): number {
  w.seen++;
  w.suppressed++;
  w.lastSeen = now;
  const rank = priorityRank(alert.priority);
  if (rank > w.topRank) w.topRank = rank;
  if (sampleSpecs.length === 0 || sampleMax === 0) return 0;
  let added = 0;
  if (!w.samples) {
    w.samples = {};
    for (const spec of sampleSpecs) w.samples[spec.path] = [];
    added += addSamples(w, w.first, sampleSpecs, sampleMax);
  }
  return added + addSamples(w, alert, sampleSpecs, sampleMax);
}

function addSamples(w: WindowState, alert: Alert, specs: readonly SampleSpec[], max: number): number {
  const samples = w.samples as Record<string, string[]>;
  let added = 0;
  for (const spec of specs) {
    const raw = spec.get(alert);
    if (raw === undefined) continue;
    const v = sampleText(raw);
    const list = samples[spec.path] as string[];
    if (list.includes(v)) continue;
    if (list.length < max) {
      list.push(v);
      added += v.length;
    } else w.truncated = true;
  }
  return added;
}
