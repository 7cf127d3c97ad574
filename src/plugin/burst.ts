// What a summary of a burst says, whatever the chat it goes to: rules by count, the highest
// priority, the priorities and hosts, the time span. Chat webhooks take about one message a second
// or less, so the chat outputs fold the alerts of a batch past `summaryafter` into one summary.
import { PRIORITIES, priorityRank, type Priority } from '../alert/priority.ts';
import type { Alert } from '../alert/alert.ts';
import { epochNanos, goTimeText } from '../alert/time.ts';
import { truncate } from './fields.ts';

export interface BurstFacts {
  count: number;
  /** "Terminal shell in container ×30, Write below etc ×7": most frequent first, ties in order of first appearance. */
  rules: string;
  /** The highest priority folded in (the summary's colour). */
  top: Priority;
  /** "Critical ×1, Notice ×36", highest first. */
  priorities: string;
  /** "node-1, node-2 (+3 more)"; "" when no alert names a host. */
  hosts: string;
  /** "<first> – <last>" in Go's time format, as the alerts show it. */
  span: string;
}

/** Rules named in a summary; the rest are counted as "N other rules ×M". */
const MAX_RULES = 20;
const MAX_RULE_CHARS = 100;
const MAX_HOSTS = 5;

export function burstFacts(alerts: readonly Alert[]): BurstFacts {
  const top = alerts.reduce<Priority>((max, a) => (priorityRank(a.priority) > priorityRank(max) ? a.priority : max), 'Debug');
  const priorities = [...PRIORITIES]
    .reverse()
    .map((p) => [p, alerts.filter((a) => a.priority === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${p} ×${n}`)
    .join(', ');
  const hosts = [...new Set(alerts.map((a) => a.hostname).filter((h): h is string => Boolean(h)))];
  const shownHosts = hosts.slice(0, MAX_HOSTS).join(', ');
  let first = alerts[0];
  let last = alerts[0];
  for (const a of alerts) {
    if (first && epochNanos(a.time) < epochNanos(first.time)) first = a;
    if (last && epochNanos(a.time) > epochNanos(last.time)) last = a;
  }
  return {
    count: alerts.length,
    rules: ruleCounts(alerts.map((a) => a.rule)),
    top,
    priorities,
    hosts: hosts.length > MAX_HOSTS ? `${shownHosts} (+${hosts.length - MAX_HOSTS} more)` : shownHosts,
    span: first && last ? `${goTimeText(first.time)} – ${goTimeText(last.time)}` : '',
  };
}

function ruleCounts(rules: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, MAX_RULES).map(([name, n]) => `${truncate(name, MAX_RULE_CHARS)} ×${n}`);
  const rest = ranked.slice(MAX_RULES);
  if (rest.length > 0) shown.push(`${rest.length} other rules ×${rest.reduce((sum, [, n]) => sum + n, 0)}`);
  return shown.join(', ');
}
