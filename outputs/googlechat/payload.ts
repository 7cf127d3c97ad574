// One batch → one Google Chat incoming-webhook message. One alert is falcosidekick 2.34.1's message
// (outputs/googlechat.go): the text rendered from messageformat (left out when empty) and one v1
// card (`cards`) with an empty header and one section of keyValue widgets: rule, priority, source,
// hostname, the output fields sorted by name, tags, time. With outputformat text, the text alone.
// A burst adds a summary card after `summaryafter` alerts. The message stays within Google Chat's
// 32,000 bytes, which falcosidekick ignores (Google then answers 400 and the alert is lost).
import { burstFacts, fieldTexts, goTimeText, tagsText, templateContext, truncate, type Alert, type RenderText } from '../../src/plugin/index.ts';
import type { GooglechatOptions } from './options.ts';

interface KeyValueWidget {
  keyValue: { topLabel: string; content: string };
}

/** Keys in falcosidekick's order: Go sends the empty header (a struct is never omitted). */
interface GooglechatCard {
  header: { title: string; subtitle: string };
  sections: { widgets: KeyValueWidget[] }[];
}

export interface GooglechatMessage {
  text?: string;
  cards?: GooglechatCard[];
}


/** Google Chat's 32,000 bytes for a message, less a margin for what it counts that JSON does not show. */
export const MAX_MESSAGE_BYTES = 30_000;

/** One alert's card; `cap` bounds each output field's text (to fit a message). */
function alertCard(alert: Alert, cap = Infinity): GooglechatCard {
  const widgets = [widget('rule', alert.rule), widget('priority', alert.priority), widget('source', alert.source)];
  if (alert.hostname) widgets.push(widget('hostname', alert.hostname));
  for (const [name, value] of fieldTexts(alert.output_fields)) widgets.push(widget(name, truncate(value, cap)));
  if (alert.tags.length > 0) widgets.push(widget('tags', tagsText(alert.tags)));
  widgets.push(widget('time', goTimeText(alert.time)));
  return { header: { title: '', subtitle: '' }, sections: [{ widgets }] };
}

/** The alerts of a batch past the own ones, as one card: "and 37 more", the rules by count, priorities, hosts, time span. */
function summaryCard(alerts: readonly Alert[]): GooglechatCard {
  const facts = burstFacts(alerts);
  const widgets = [widget('rules', truncate(facts.rules, 2000)), widget('priority', facts.priorities)];
  if (facts.hosts) widgets.push(widget('hostname', facts.hosts));
  widgets.push(widget('time', facts.span));
  return { header: { title: `and ${facts.count} more`, subtitle: 'Folded into one message: Google Chat takes one message per second' }, sections: [{ widgets }] };
}

/** "and 37 more: Terminal shell in container ×30, Write below etc ×7 (Critical ×1, Notice ×36)", for outputformat text. */
function summaryLine(alerts: readonly Alert[]): string {
  const facts = burstFacts(alerts);
  return `and ${facts.count} more: ${truncate(facts.rules, 2000)} (${facts.priorities})`;
}

/**
 * The message for a batch: the first `summaryafter` alerts on their own (all of them when the batch
 * has at most summaryafter + 1), the rest summarised. Over the size limit, fewer alerts get their
 * own card; when one alone is over it, its longest texts are cut (ending in "…").
 */
export function googlechatMessage(alerts: readonly Alert[], options: GooglechatOptions, renderText?: RenderText): GooglechatMessage {
  const texts = renderText ? alerts.map((alert) => renderText(templateContext(alert, alert.output_fields))) : [];
  const build = (own: number, cap = Infinity): GooglechatMessage => {
    if (options.outputformat === 'text') {
      // Text only: every alert must say something, so one whose template renders "" shows its output line.
      const lines = alerts.slice(0, own).map((alert, i) => truncate(texts[i] || alert.output || alert.rule, cap));
      if (own < alerts.length) lines.push(summaryLine(alerts.slice(own)));
      return { text: lines.join('\n') };
    }
    const lines = texts.slice(0, own).filter((t) => t !== '').map((t) => truncate(t, cap));
    const cards = alerts.slice(0, own).map((alert) => alertCard(alert, cap));
    if (own < alerts.length) cards.push(summaryCard(alerts.slice(own)));
    return lines.length > 0 ? { text: lines.join('\n'), cards } : { cards };
  };
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  let message = build(own);
  while (own > 1 && messageBytes(message) > MAX_MESSAGE_BYTES) message = build(--own);
  // Past 64 characters a text the message is sent as it is; Google's 400 goes to the dead-letter store.
  for (let cap = 4096; messageBytes(message) > MAX_MESSAGE_BYTES && cap >= 64; cap = Math.floor(cap / 2)) message = build(own, cap);
  return message;
}

export function messageBytes(message: GooglechatMessage): number {
  return Buffer.byteLength(JSON.stringify(message));
}

function widget(topLabel: string, content: string): KeyValueWidget {
  return { keyValue: { topLabel, content } };
}
