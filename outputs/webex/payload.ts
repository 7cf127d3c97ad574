// One batch → one Webex incoming-webhook message. One alert is falcosidekick 2.34.1's markdown
// (outputs/webex.go): the "# Falco Rule '<rule>'" heading, the output line as a level-3 heading, and
// a list of hostname, source, priority, tags and the output fields sorted by name, with the blank
// lines its Go template leaves. A burst adds a summary after `summaryafter` alerts. The markdown
// stays within Webex's 7,439 bytes a message, which falcosidekick ignores (Webex then answers 400
// and the alert is lost): fewer alerts in full, then their longest texts cut, then the markdown cut
// at a line end.
import { burstFacts, fieldTexts, truncate, type Alert } from '../../src/plugin/index.ts';
import type { WebexOptions } from './options.ts';

export interface WebexMessage {
  markdown: string;
}

/** Webex's limit for a message's text or markdown (developer.webex.com/docs/api/v1/messages/create-a-message). */
export const MAX_BYTES = 7439;

/** One alert's markdown; `cap` bounds the rule, the output line and each field's value (to fit a message). */
function alertMarkdown(alert: Alert, cap = Infinity): string {
  const tags = [...alert.tags].sort().map((t) => `\n    * ${t}\n    `).join('');
  const fields = fieldTexts(alert.output_fields).map(([name, value]) => `\n\t* ${name}: ${truncate(value, cap)}\n\t`).join('');
  return (
    `# Falco Rule '${truncate(alert.rule, cap)}'\n\n` +
    `### ${truncate(alert.output, cap)}\n\n` +
    'Additional informations:\n' +
    `  * Hostname: ${alert.hostname ?? ''}\n` +
    `  * Source:   ${alert.source}  \n` +
    `  * Priority: ${alert.priority}\n` +
    `  * Tags:\n    ${tags}\n` +
    `  * Fields:\n\t${fields}\n`
  );
}

/** The alerts past the own ones: "and 37 more", rules by count, priorities, hosts, time span. */
function summaryMarkdown(alerts: readonly Alert[]): string {
  const facts = burstFacts(alerts);
  const lines = [`### and ${facts.count} more: ${truncate(facts.rules, 1500)}`, '', `  * Priority: ${facts.priorities}`];
  if (facts.hosts) lines.push(`  * Hostname: ${facts.hosts}`);
  lines.push(`  * Time: ${facts.span}`, '', '_Folded into one message to keep a burst from flooding the space._');
  return `${lines.join('\n')}\n`;
}

/** The message for a batch: the first `summaryafter` alerts in full (all when at most summaryafter + 1), the rest summarised. */
export function webexMessage(alerts: readonly Alert[], options: WebexOptions): WebexMessage {
  const summary = (own: number) => (own < alerts.length ? cutAtLine(summaryMarkdown(alerts.slice(own)), MAX_BYTES / 2) : '');
  const shown = (own: number, cap?: number) => alerts.slice(0, own).map((alert) => alertMarkdown(alert, cap));
  const build = (own: number, cap?: number): string => [...shown(own, cap), ...(own < alerts.length ? [summary(own)] : [])].join('\n');
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  let markdown = build(own);
  while (own > 1 && bytes(markdown) > MAX_BYTES) markdown = build(--own);
  for (let cap = 2048; bytes(markdown) > MAX_BYTES && cap >= 64; cap = Math.floor(cap / 2)) markdown = build(own, cap);
  if (bytes(markdown) > MAX_BYTES) {
    // Still too long (many fields): the shown alert is cut, never the summary, which carries the folded ones.
    const tail = summary(own);
    const head = shown(own, 64).join('\n');
    markdown = tail ? `${cutAtLine(head, MAX_BYTES - bytes(tail) - 1)}\n${tail}` : cutAtLine(head, MAX_BYTES);
  }
  return { markdown };
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

/** The markdown cut at the last line end within `max` bytes, a "…" line added (markdown has no entity a cut could break). */
export function cutAtLine(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  const head = Buffer.from(text).subarray(0, max - 4).toString();
  return `${head.slice(0, Math.max(0, head.lastIndexOf('\n')))}\n…`;
}
