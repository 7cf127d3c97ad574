// One alert → one Slack incoming-webhook message, in falcosidekick 2.34.1's layout (outputs/slack.go):
// one attachment coloured by priority, with the output line as text, fields (rule, priority, source,
// hostname, tags, the output fields sorted by name, time) and a footer; the optional message
// template renders the text above it. Mattermost and Rocket.Chat get the same message in their
// flavour (outputs/mattermost.go, outputs/rocketchat.go): see flavour.ts.
import { fieldTexts, goTimeText, tagsText, templateContext, type Alert, type Priority, type RenderText } from '../../src/plugin/index.ts';
import { SLACK, type ChatFlavour } from './flavour.ts';
import { DEFAULT_FOOTER, type ChatOptions } from './options.ts';

interface SlackField {
  title: string;
  value: string;
  short: boolean;
}

export interface SlackAttachment {
  fallback: string;
  color: string;
  text?: string;
  fields?: SlackField[];
  footer?: string;
}

/** Keys in falcosidekick's order, empty ones left out as its `omitempty` does. */
export interface SlackMessage {
  text?: string;
  username?: string;
  icon_url?: string;
  channel?: string;
  attachments: SlackAttachment[];
}

/** falcosidekick's colours (outputs/constants.go); Alert and Critical share orange, Error is red like Emergency. */
export const SLACK_COLORS: Readonly<Record<Priority, string>> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff5400',
  Error: '#e20b0b',
  Warning: '#ffc700',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

/** falcosidekick marks a field short (two per row) when its value has fewer than 36 characters. */
const SHORT_BELOW = 36;


export function slackMessage(alert: Alert, options: ChatOptions, renderText?: RenderText, flavour: ChatFlavour = SLACK): SlackMessage {
  const attachment: SlackAttachment = { fallback: alert.output, color: SLACK_COLORS[alert.priority] };
  if (options.outputformat !== 'fields') attachment.text = alert.output;
  if (options.outputformat !== 'text') {
    attachment.fields = alertFields(alert, flavour);
    if (flavour.footer) attachment.footer = options.footer || DEFAULT_FOOTER;
  }
  // Go's omitempty: an empty output line is not sent at all.
  if (attachment.text === '') delete attachment.text;
  return envelope(options, [attachment], renderText ? renderText(templateContext(alert, alert.output_fields)) : '', flavour);
}

/** The message around attachments: text, username, icon and channel as configured, empty ones left out. */
export function envelope(options: ChatOptions, attachments: SlackAttachment[], text = '', flavour: ChatFlavour = SLACK): SlackMessage {
  const message: SlackMessage = { attachments };
  const head: Omit<SlackMessage, 'attachments'> = {};
  if (text) head.text = text;
  if (options.username) head.username = options.username;
  const icon = options.icon || flavour.iconWhenEmpty;
  if (icon) head.icon_url = icon;
  if (options.channel) head.channel = options.channel;
  return { ...head, ...message };
}

function alertFields(alert: Alert, flavour: ChatFlavour): SlackField[] {
  const hostname: SlackField[] = alert.hostname ? [{ title: 'hostname', value: alert.hostname, short: true }] : [];
  const fields: SlackField[] = [{ title: 'rule', value: alert.rule, short: true }];
  if (flavour.hostname === 'after-rule') fields.push(...hostname);
  fields.push({ title: 'priority', value: alert.priority, short: true }, { title: 'source', value: alert.source, short: true });
  if (flavour.hostname === 'after-source') fields.push(...hostname);
  if (alert.tags.length > 0) fields.push({ title: 'tags', value: tagsText(alert.tags), short: true });
  for (const [title, value] of fieldTexts(alert.output_fields)) fields.push({ title, value, short: [...value].length < SHORT_BELOW });
  fields.push({ title: 'time', value: goTimeText(alert.time), short: false });
  if (flavour.hostname === 'last') fields.push(...hostname);
  return fields;
}
