// One batch → one Discord "Execute Webhook" message. One alert is falcosidekick 2.34.1's message
// (outputs/discord.go): content "", the avatar, one embed coloured by priority with the output line
// as description and inline fields (rule, priority, source, hostname, the output fields sorted by
// name in code blocks, tags, time). A burst adds a summary embed after `summaryafter` alerts. Every
// text is kept within Discord's embed limits, which falcosidekick ignores (Discord then answers 400
// and the alert is lost): 25 fields, 1,024 characters a field value, 4,096 a description, 6,000 in
// all the embeds of a message.
import { burstFacts, FALCOSIDEKICK_PLAIN_ICON, fieldTexts, goTimeText, tagsText, truncate, type Alert, type Priority } from '../../src/plugin/index.ts';
import type { DiscordOptions } from './options.ts';

interface DiscordField {
  name: string;
  value: string;
  inline: boolean;
}

/** Keys in falcosidekick's order; `title` and `url` empty as falcosidekick sends them (Discord reads "" as unset). */
interface DiscordEmbed {
  title: string;
  url?: string;
  description: string;
  color: number;
  fields: DiscordField[];
}

export interface DiscordMessage {
  content: string;
  avatar_url: string;
  embeds: DiscordEmbed[];
}


/** falcosidekick's colours; it sends them as JSON strings, Discord documents an integer. */
const DISCORD_COLORS: Readonly<Record<Priority, number>> = {
  Emergency: 15158332,
  Alert: 11027200,
  Critical: 15105570,
  Error: 15844367,
  Warning: 12745742,
  Notice: 3066993,
  Informational: 3447003,
  Debug: 12370112,
};

/** Discord's documented embed limits (developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = { embeds: 10, fields: 25, fieldName: 256, fieldValue: 1024, title: 256, description: 4096, total: 6000 } as const;

const CODE = '```';

/** One alert's embed; `cap` bounds the output line and each output field's text (to fit a message). */
function alertEmbed(alert: Alert, cap: number = LIMITS.description): DiscordEmbed {
  const fields = [field('rule', alert.rule), field('priority', alert.priority), field('source', alert.source)];
  if (alert.hostname) fields.push(field('hostname', alert.hostname));
  const outputFields = fieldTexts(alert.output_fields);
  // Room for the output fields beside rule…hostname, tags and time; past it, one field names the rest.
  const room = LIMITS.fields - fields.length - (alert.tags.length > 0 ? 1 : 0) - 1;
  const shown = outputFields.length <= room ? outputFields : outputFields.slice(0, room - 1);
  const valueCap = Math.min(cap, LIMITS.fieldValue - 2 * CODE.length);
  for (const [name, value] of shown) fields.push({ name: truncate(name, LIMITS.fieldName), value: `${CODE}${truncate(value, valueCap)}${CODE}`, inline: true });
  if (shown.length < outputFields.length) {
    const rest = outputFields.slice(shown.length).map(([name]) => name);
    fields.push(field(`${rest.length} more fields`, truncate(rest.join(', '), valueCap)));
  }
  if (alert.tags.length > 0) fields.push(field('tags', tagsText(alert.tags)));
  fields.push(field('time', goTimeText(alert.time)));
  return { title: '', url: '', description: truncate(alert.output, Math.min(cap, LIMITS.description)), color: DISCORD_COLORS[alert.priority], fields };
}

/** The alerts of a batch past the own ones, as one embed: "and 37 more", the rules by count, priorities, hosts, time span. */
function summaryEmbed(alerts: readonly Alert[]): DiscordEmbed {
  const facts = burstFacts(alerts);
  const fields = [field('priority', facts.priorities, false)];
  if (facts.hosts) fields.push(field('hostname', facts.hosts, false));
  fields.push(field('time', facts.span, false));
  const note = '*Folded into one message to stay within Discord\'s rate limit of about 30 messages a minute per channel.*';
  return { title: `and ${facts.count} more`, description: `${truncate(facts.rules, 2000)}\n${note}`, color: DISCORD_COLORS[facts.top], fields };
}

/**
 * The message for a batch: the first `summaryafter` alerts as embeds of their own (all of them when
 * the batch has at most summaryafter + 1), the rest as one summary embed. When the embeds exceed
 * Discord's 6,000 characters, fewer alerts get their own embed; when one alone exceeds them, its
 * longest texts are cut (ending in "…").
 */
export function discordMessage(alerts: readonly Alert[], options: DiscordOptions): DiscordMessage {
  const avatar = options.icon || FALCOSIDEKICK_PLAIN_ICON;
  const build = (own: number, cap?: number): DiscordMessage => {
    const embeds = alerts.slice(0, own).map((alert) => alertEmbed(alert, cap));
    if (own < alerts.length) embeds.push(summaryEmbed(alerts.slice(own)));
    return { content: '', avatar_url: avatar, embeds };
  };
  let own = alerts.length <= options.summaryafter + 1 ? alerts.length : options.summaryafter;
  let message = build(own);
  while (own > 1 && embedChars(message) > LIMITS.total) message = build(--own);
  // One alert alone too big: each of its texts at most `cap` characters, halving. Past 64 it is sent
  // as it is, and Discord's 400 (which names the limit) goes to the dead-letter store.
  for (let cap = 2048; embedChars(message) > LIMITS.total && cap >= 64; cap = Math.floor(cap / 2)) message = build(own, cap);
  return message;
}

/** Characters Discord counts towards the 6,000 of a message: titles, descriptions, field names and values. */
export function embedChars(message: DiscordMessage): number {
  let n = 0;
  for (const e of message.embeds) {
    n += e.title.length + e.description.length;
    for (const f of e.fields) n += f.name.length + f.value.length;
  }
  return n;
}

function field(name: string, value: string, inline = true): DiscordField {
  return { name, value: truncate(value, LIMITS.fieldValue), inline };
}
