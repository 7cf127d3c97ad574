// One batch → one Zoho Cliq message. One alert is falcosidekick 2.34.1's message (outputs/cliq.go):
// "text" (the output line, or messageformat rendered, an emoji in front with useemoji), the bot's
// name and picture, and slides: the output line as a text slide (with messageformat) and a table of
// rule, priority, hostname, the output fields sorted by name and time. A burst adds a summary table
// after `summaryafter` alerts. The text stays within Cliq's 5,000 characters.
import { burstFacts, FALCOSIDEKICK_PLAIN_ICON, fieldTexts, goTimeText, templateContext, truncate, type Alert, type Priority, type RenderText } from '../../src/plugin/index.ts';
import type { CliqOptions } from './options.ts';

interface TableRow {
  field: string;
  value: string;
}

type Slide = { type: 'text'; title?: string; data: string } | { type: 'table'; title?: string; data: { headers: string[]; rows: TableRow[] } };

/** Keys in falcosidekick's order. */
export interface CliqMessage {
  text: string;
  bot: { name: string; image: string };
  slides?: Slide[];
}

/** Cliq's limit for the text of a message posted to a channel (www.zoho.com/cliq/help/restapi/v2/#Post_Message_Channel: 5,000), applied to a text slide too. */
export const MAX_TEXT = 5000;

/** falcosidekick's emojis (Error shares Emergency's, Alert shares Critical's). */
const EMOJI: Readonly<Record<Priority, string>> = {
  Emergency: '🚨',
  Alert: '🟠',
  Critical: '🟠',
  Error: '🚨',
  Warning: '🟡',
  Notice: '🔵',
  Informational: '🟢',
  Debug: '⚪',
};

function table(rows: TableRow[], title?: string): Slide {
  return { type: 'table', ...(title === undefined ? {} : { title }), data: { headers: ['field', 'value'], rows } };
}

function alertTable(alert: Alert, cap: number): Slide {
  const rows = [{ field: 'rule', value: alert.rule }, { field: 'priority', value: alert.priority }];
  if (alert.hostname) rows.push({ field: 'hostname', value: alert.hostname });
  for (const [field, value] of fieldTexts(alert.output_fields)) rows.push({ field, value: truncate(value, cap) });
  rows.push({ field: 'time', value: goTimeText(alert.time) });
  return table(rows);
}

function summaryTable(alerts: readonly Alert[]): Slide {
  const facts = burstFacts(alerts);
  const rows = [{ field: 'rules', value: truncate(facts.rules, 2000) }, { field: 'priority', value: facts.priorities }];
  if (facts.hosts) rows.push({ field: 'hostname', value: facts.hosts });
  rows.push({ field: 'time', value: facts.span });
  return table(rows, `and ${facts.count} more (folded into one message: Cliq takes 20 messages a minute)`);
}

/**
 * The message for a batch: the first `summaryafter` alerts in full (all when at most
 * summaryafter + 1), their texts one per line, the rest summarised. Over 5,000 characters, fewer
 * alerts in full, then their texts cut (ending in "…").
 */
export function cliqMessage(alerts: readonly Alert[], options: CliqOptions, renderText?: RenderText): CliqMessage {
  const rendered = alerts.map((alert) => (renderText ? renderText(templateContext(alert, alert.output_fields)) : ''));
  const tables = options.outputformat !== 'text';
  const build = (own: number, cap = MAX_TEXT): CliqMessage => {
    const lines: string[] = [];
    const slides: Slide[] = [];
    alerts.slice(0, own).forEach((alert, i) => {
      // An empty text is refused by Cliq: an alert whose template renders "" shows its output line, and one without output its rule.
      const templated = rendered[i] ?? '';
      const text = truncate(templated || alert.output || alert.rule, cap);
      lines.push(options.useemoji ? `${EMOJI[alert.priority]} ${text}` : text);
      if (templated && alert.output && options.outputformat !== 'fields') slides.push({ type: 'text', data: truncate(alert.output, cap) });
      if (tables) slides.push(alertTable(alert, cap));
    });
    if (own < alerts.length) {
      const rest = alerts.slice(own);
      if (tables) slides.push(summaryTable(rest));
      else lines.push(`and ${rest.length} more: ${truncate(burstFacts(rest).rules, 2000)} (${burstFacts(rest).priorities})`);
    }
    const message: CliqMessage = { text: lines.join('\n'), bot: { name: 'Falcosidekick', image: options.icon || FALCOSIDEKICK_PLAIN_ICON } };
    if (slides.length > 0) message.slides = slides;
    return message;
  };
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  let message = build(own);
  while (own > 1 && message.text.length > MAX_TEXT) message = build(--own);
  for (let cap = 2048; message.text.length > MAX_TEXT && cap >= 64; cap = Math.floor(cap / 2)) message = build(own, cap);
  if (message.text.length > MAX_TEXT) message.text = truncate(message.text, MAX_TEXT);
  return message;
}
