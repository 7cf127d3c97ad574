// One batch → one Telegram sendMessage. One alert is falcosidekick 2.34.1's MarkdownV2 text
// (outputs/telegram.go): the bold "[Falco] [<priority>] <rule>" line, time, source, hostname, tags,
// the output fields sorted by name, then the output line; parse_mode MarkdownV2, link previews off,
// the chat and topic. A burst adds a summary after `summaryafter` alerts. The text stays within
// Telegram's 4,096 characters, which falcosidekick ignores (Telegram then answers 400 "message is
// too long" and the alert is lost): fewer alerts in full, then their longest texts cut, then the
// text cut at a line end.
import { burstFacts, fieldTexts, goTimeText, truncate, type Alert } from '../../src/plugin/index.ts';
import { bold, cutAtLine, escapeMarkdownV2 as esc } from './markdown.ts';
import type { TelegramOptions } from './options.ts';

/** Keys in falcosidekick's order. */
export interface TelegramMessage {
  text: string;
  parse_mode: 'MarkdownV2';
  disable_web_page_preview: true;
  chat_id: string;
  message_thread_id?: string;
}

/** Telegram's limit for a message's text (core.telegram.org/bots/api#sendmessage), counted here before entity parsing (never less than after). */
export const MAX_TEXT = 4096;

/** One alert's text; `cap` bounds the output line and each output field's value (to fit a message). */
function alertText(alert: Alert, cap = Infinity): string {
  const fields = fieldTexts(alert.output_fields).map(([name, value]) => `\t  • ${bold(name)}: ${esc(truncate(value, cap))}\n`);
  const tags = [...alert.tags].sort().map((t) => `${esc(t)} `).join('');
  return (
    `*\\[Falco\\] \\[${esc(alert.priority)}\\] ${esc(truncate(alert.rule, cap))}*\n\n` +
    `• *Time*: ${esc(goTimeText(alert.time))}\n` +
    `• *Source*: ${esc(alert.source)}\n` +
    `• *Hostname*: ${esc(alert.hostname ?? '')}\n` +
    `• *Tags*: ${tags}\n` +
    `• *Fields*:\n${fields.join('')}\n\n` +
    `**Output**: ${esc(truncate(alert.output, cap))}\n`
  );
}

/** The alerts past the own ones: "and 37 more", rules by count, priorities, hosts, time span. */
function summaryText(alerts: readonly Alert[]): string {
  const facts = burstFacts(alerts);
  const lines = [`*and ${facts.count} more*: ${esc(truncate(facts.rules, 600))}`, `• *Priority*: ${esc(facts.priorities)}`];
  if (facts.hosts) lines.push(`• *Hostname*: ${esc(facts.hosts)}`);
  lines.push(`• *Time*: ${esc(facts.span)}`, `_${esc('Folded into one message: Telegram takes about 20 messages a minute in a group.')}_`);
  return `${lines.join('\n')}\n`;
}

/**
 * The message for a batch: the first `summaryafter` alerts in full (all of them when the batch has
 * at most summaryafter + 1), the rest summarised, separated by blank lines.
 */
export function telegramMessage(alerts: readonly Alert[], options: TelegramOptions): TelegramMessage {
  const summary = (own: number) => (own < alerts.length ? cutAtLine(summaryText(alerts.slice(own)), MAX_TEXT / 2) : '');
  const shown = (own: number, cap?: number) => alerts.slice(0, own).map((alert) => alertText(alert, cap));
  const build = (own: number, cap?: number): string => [...shown(own, cap), ...(own < alerts.length ? [summary(own)] : [])].join('\n');
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  let text = build(own);
  while (own > 1 && text.length > MAX_TEXT) text = build(--own);
  for (let cap = 1024; text.length > MAX_TEXT && cap >= 64; cap = Math.floor(cap / 2)) text = build(own, cap);
  if (text.length > MAX_TEXT) {
    // Still too long (many fields): the shown alert is cut, never the summary, which carries the folded ones.
    const tail = summary(own);
    const head = shown(own, 64).join('\n');
    text = tail ? `${cutAtLine(head, MAX_TEXT - tail.length - 1)}\n${tail}` : cutAtLine(head, MAX_TEXT);
  }
  const message: TelegramMessage = { text, parse_mode: 'MarkdownV2', disable_web_page_preview: true, chat_id: options.chatid };
  if (options.messagethreadid !== '') message.message_thread_id = options.messagethreadid;
  return message;
}
