// Slack takes about one message per second per webhook, so a burst cannot be posted alert by alert
// without queueing for minutes (1,000 alerts ≈ 17 minutes). A batch is split into a few messages
// of their own and one summary message that names what it folds in, rule by rule. Mattermost and
// Rocket.Chat channels get the same (Rocket.Chat's webhooks take 10 messages a minute by default).
import { epochNanos, goTimeText, PRIORITIES, priorityRank, type Alert, type Priority } from '../../src/plugin/index.ts';
import { SLACK, type ChatFlavour } from './flavour.ts';
import type { ChatOptions } from './options.ts';
import { envelope, SLACK_COLORS, slackMessage, type RenderText, type SlackMessage } from './payload.ts';

export interface PlannedMessage {
  message: SlackMessage;
  /** Positions in the batch of the alerts this message carries. */
  alerts: number[];
}

/** Rules listed by name in a summary; the rest are counted as "other rules". */
const MAX_RULES = 20;
const MAX_HOSTS = 5;

/**
 * The messages for a batch, in order: the first `summaryafter` alerts on their own, the rest in one
 * summary. A summary of a single alert would cost the same message as the alert itself, so a batch
 * of up to summaryafter + 1 alerts is sent in full.
 */
export function planMessages(alerts: readonly Alert[], options: ChatOptions, renderText?: RenderText, flavour: ChatFlavour = SLACK): PlannedMessage[] {
  const own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  const plan: PlannedMessage[] = alerts.slice(0, own).map((alert, i) => ({ message: slackMessage(alert, options, renderText, flavour), alerts: [i] }));
  if (own < alerts.length) {
    plan.push({ message: summaryMessage(alerts.slice(own), options, flavour), alerts: alerts.map((_, i) => i).slice(own) });
  }
  return plan;
}

/**
 * "and 37 more: Terminal shell in container ×30, Write below etc ×7": rules by count (then by first
 * appearance), coloured like the highest priority folded in, with the priorities, hosts and time span.
 */
export function summaryMessage(alerts: readonly Alert[], options: ChatOptions, flavour: ChatFlavour = SLACK): SlackMessage {
  const line = `and ${alerts.length} more: ${ruleCounts(alerts.map((a) => a.rule))}`;
  const top = alerts.reduce<Priority>((max, a) => (priorityRank(a.priority) > priorityRank(max) ? a.priority : max), 'Debug');
  const priorities = [...PRIORITIES]
    .reverse()
    .map((p) => [p, alerts.filter((a) => a.priority === p).length] as const)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${p} ×${n}`)
    .join(', ');
  const hosts = distinct(alerts.map((a) => a.hostname).filter((h): h is string => Boolean(h)));
  const times = alerts.map((a) => a.time).sort((a, b) => (epochNanos(a) < epochNanos(b) ? -1 : epochNanos(a) > epochNanos(b) ? 1 : 0));
  const fields = [{ title: 'priority', value: priorities, short: false }];
  if (hosts.length > 0) {
    const shown = hosts.slice(0, MAX_HOSTS).join(', ');
    fields.push({ title: 'hostname', value: hosts.length > MAX_HOSTS ? `${shown} (+${hosts.length - MAX_HOSTS} more)` : shown, short: false });
  }
  fields.push({ title: 'time', value: `${goTimeText(times[0] ?? '')} – ${goTimeText(times.at(-1) ?? '')}`, short: false });
  const attachment = { fallback: line, color: SLACK_COLORS[top], text: `${line}\n_${flavour.foldNote}_`, fields };
  return envelope(options, [flavour.footer && options.footer ? { ...attachment, footer: options.footer } : attachment], '', flavour);
}

/** "a ×3, b ×1", most frequent first, ties in order of first appearance; past MAX_RULES names, one "N other rules ×M" entry. */
function ruleCounts(rules: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, MAX_RULES).map(([name, n]) => `${name} ×${n}`);
  const rest = ranked.slice(MAX_RULES);
  if (rest.length > 0) shown.push(`${rest.length} other rules ×${rest.reduce((sum, [, n]) => sum + n, 0)}`);
  return shown.join(', ');
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
