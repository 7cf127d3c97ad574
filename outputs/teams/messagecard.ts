// falcosidekick 2.34.1's Office 365 connector MessageCard (outputs/teams.go), byte for byte: for
// the connectors Microsoft has not retired yet. Keys in Go's order; `text` is always sent, empty
// with outputformat facts, as Go does. Only a card over Teams' 28 KB differs: its longest texts are
// cut to fit (fit.ts), where falcosidekick's would be refused.
import { goTimeText, truncate, type Alert, type Priority } from '../../src/plugin/index.ts';
import { alertFacts } from './facts.ts';
import type { TeamsOptions } from './options.ts';

const MESSAGECARD_COLORS: Readonly<Record<Priority, string>> = {
  Emergency: 'e20b0b',
  Alert: 'ff5400',
  Critical: 'ff9000',
  Error: 'ffc700',
  Warning: 'ffff00',
  Notice: '5bffb5',
  Informational: '68c2ff',
  Debug: 'ccfff2',
};

export interface MessageCard {
  '@type': 'MessageCard';
  summary?: string;
  themeColor: string;
  sections: {
    activityTitle: string;
    activitySubtitle: string;
    activityImage?: string;
    text: string;
    facts?: { name: string; value: string }[];
  }[];
}

/** `cap`: the characters the output and each fact keep (fit.ts lowers it when the card is over Teams' limit). */
export function messageCard(alert: Alert, options: TeamsOptions, cap = Infinity): MessageCard {
  const output = truncate(alert.output, cap);
  const section: MessageCard['sections'][number] = {
    activityTitle: 'Falcosidekick',
    activitySubtitle: goTimeText(alert.time),
    ...(options.activityimage ? { activityImage: options.activityimage } : {}),
    text: options.outputformat === 'facts' ? '' : output,
  };
  if (options.outputformat !== 'text') section.facts = alertFacts(alert, cap).map(([name, value]) => ({ name, value }));
  return { '@type': 'MessageCard', ...(output ? { summary: output } : {}), themeColor: MESSAGECARD_COLORS[alert.priority], sections: [section] };
}
