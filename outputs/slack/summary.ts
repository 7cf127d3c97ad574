// Slack takes about one message per second per webhook, so a burst cannot be posted alert by alert
// without queueing for minutes (1,000 alerts ≈ 17 minutes). A batch is split into a few messages
// of their own and one summary message that names what it folds in, rule by rule. Mattermost and
// Rocket.Chat channels get the same (Rocket.Chat's webhooks take 10 messages a minute by default).
import { burstFacts, type Alert, type RenderText } from '../../src/plugin/index.ts';
import { SLACK, type ChatFlavour } from './flavour.ts';
import type { ChatOptions } from './options.ts';
import { envelope, SLACK_COLORS, slackMessage, type SlackMessage } from './payload.ts';

export interface PlannedMessage {
  message: SlackMessage;
  /** Positions in the batch of the alerts this message carries. */
  alerts: number[];
}

/**
 * The messages for a batch, in order: the first `summaryafter` alerts on their own, the rest in one
 * summary. A summary of a single alert would cost the same message as the alert itself, so a batch
 * of up to summaryafter + 1 alerts is sent in full. `room`: the messages the service's rate window
 * has left (Rocket.Chat); fewer own messages then, so the summary still fits.
 */
export function planMessages(alerts: readonly Alert[], options: ChatOptions, renderText?: RenderText, flavour: ChatFlavour = SLACK, room = Infinity): PlannedMessage[] {
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  const fits = Math.max(1, room); // a spent window is the sender's to wait out: plan one message at least
  if (own + (own < alerts.length ? 1 : 0) > fits) own = fits - 1;
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
  const facts = burstFacts(alerts);
  const line = `and ${facts.count} more: ${facts.rules}`;
  const fields = [{ title: 'priority', value: facts.priorities, short: false }];
  if (facts.hosts) fields.push({ title: 'hostname', value: facts.hosts, short: false });
  fields.push({ title: 'time', value: facts.span, short: false });
  const attachment = { fallback: line, color: SLACK_COLORS[facts.top], text: `${line}\n_${flavour.foldNote}_`, fields };
  return envelope(options, [flavour.footer && options.footer ? { ...attachment, footer: options.footer } : attachment], '', flavour);
}
