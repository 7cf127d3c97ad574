// The default Teams message: an Adaptive Card 1.4 in the envelope that Teams Workflows (Power
// Automate) "post to a channel when a webhook request is received" flows take. Microsoft retired
// the O365 connectors whose MessageCard falcosidekick still sends; Workflows render Adaptive Cards.
// Layout: a header styled by priority (image, rule, "Priority · time"), the output line, then the
// facts; outputformat picks the parts below the header.
import { truncate, type Alert, type Priority } from '../../src/plugin/index.ts';
import { alertFacts } from './facts.ts';
import type { TeamsOptions } from './options.ts';

/** Container styles and text colours are the card's semantic palette (the host picks the shades). */
const STYLE: Readonly<Record<Priority, { container: string; color: string }>> = {
  Emergency: { container: 'attention', color: 'attention' },
  Alert: { container: 'attention', color: 'attention' },
  Critical: { container: 'attention', color: 'attention' },
  Error: { container: 'attention', color: 'attention' },
  Warning: { container: 'warning', color: 'warning' },
  Notice: { container: 'accent', color: 'accent' },
  Informational: { container: 'emphasis', color: 'default' },
  Debug: { container: 'default', color: 'default' },
};

type Element = Record<string, unknown> & { type: string };

export interface WorkflowsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: Record<string, unknown> }];
}

/** `cap`: the characters the output, the rule and each fact keep (fit.ts lowers it when the card is over Teams' limit). */
export function adaptiveCardMessage(alert: Alert, options: TeamsOptions, cap = Infinity): WorkflowsMessage {
  const body: Element[] = [header(alert, options, cap)];
  if (options.outputformat !== 'facts' && alert.output) body.push({ type: 'TextBlock', text: truncate(alert.output, cap), wrap: true });
  if (options.outputformat !== 'text') {
    body.push({ type: 'FactSet', facts: alertFacts(alert, cap).map(([title, value]) => ({ title, value })), ...(options.outputformat === 'all' ? { separator: true } : {}) });
  }
  const content = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    // What a client that cannot render the card (and the notification) shows.
    fallbackText: `${alert.priority}: ${truncate(alert.rule, cap)}`,
    body,
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function header(alert: Alert, options: TeamsOptions, cap: number): Element {
  const style = STYLE[alert.priority];
  const titles: Element = {
    type: 'Column',
    width: 'stretch',
    verticalContentAlignment: 'center',
    items: [
      { type: 'TextBlock', text: truncate(alert.rule, cap), weight: 'bolder', size: 'medium', wrap: true },
      { type: 'TextBlock', text: `${alert.priority} · ${alert.time}`, color: style.color, weight: 'bolder', spacing: 'none', wrap: true },
    ],
  };
  const columns: Element[] = options.activityimage
    ? [{ type: 'Column', width: 'auto', items: [{ type: 'Image', url: options.activityimage, size: 'small', altText: 'Falco' }] }, titles]
    : [titles];
  return { type: 'Container', style: style.container, bleed: true, items: [{ type: 'ColumnSet', columns }] };
}
