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
}

export function openWindow(key: string, alert: Alert, now: number, windowMs: number): WindowState {
  return { key, start: now, end: now + windowMs, first: alert, seen: 1, suppressed: 0, lastSeen: now, topRank: priorityRank(alert.priority), samples: undefined, truncated: false };
}

/** Counts a repeat held back in this window. */
export function countRepeat(w: WindowState, alert: Alert, now: number, sampleSpecs: readonly SampleSpec[], sampleMax: number): void {
  w.seen++;
  w.suppressed++;
  w.lastSeen = now;
  const rank = priorityRank(alert.priority);
  if (rank > w.topRank) w.topRank = rank;
  if (sampleSpecs.length === 0 || sampleMax === 0) return;
  if (!w.samples) {
    w.samples = {};
    for (const spec of sampleSpecs) w.samples[spec.path] = [];
    addSamples(w, w.first, sampleSpecs, sampleMax);
  }
  addSamples(w, alert, sampleSpecs, sampleMax);
}

function addSamples(w: WindowState, alert: Alert, specs: readonly SampleSpec[], max: number): void {
  const samples = w.samples as Record<string, string[]>;
  for (const spec of specs) {
    const v = spec.get(alert);
    if (v === undefined) continue;
    const list = samples[spec.path] as string[];
    if (list.includes(v)) continue;
    if (list.length < max) list.push(v);
    else w.truncated = true;
  }
}
