// One alert → one Gotify message (POST /message): falcosidekick 2.34.1's (outputs/gotify.go): the
// title "[Falco] [<priority>] <rule>", the priority as a number (Debug 1 … Emergency 8), the message
// as a markdown list, a plain-text list or the alert's JSON, and the client::display extra saying
// which (as Gotify documents it: "text/markdown" or "text/plain").
import { fieldTexts, goTimeText, serializeAlert, type Alert, type Priority } from '../../src/plugin/index.ts';
import type { GotifyOptions } from './options.ts';

/** Keys in falcosidekick's order. */
export interface GotifyMessage {
  title: string;
  priority: number;
  message: string;
  extras: { 'client::display': { contentType: 'text/markdown' | 'text/plain' } };
}

/** falcosidekick's numbers: its priority type's values. */
const PRIORITY: Readonly<Record<Priority, number>> = { Debug: 1, Informational: 2, Notice: 3, Warning: 4, Error: 5, Critical: 6, Alert: 7, Emergency: 8 };

function list(alert: Alert, markdown: boolean): string {
  const label = (name: string) => (markdown ? `- **${name}**: ` : `${name}: `);
  const tags = [...alert.tags].sort().map((t) => `${t} `).join('');
  const fields = fieldTexts(alert.output_fields).map(([name, value]) => (markdown ? `\t- **${name}**: ${value}\n` : `- ${name}: ${value}\n`));
  return (
    `${label('Priority')}${alert.priority}\n${label('Rule')}${alert.rule}\n${label('Output')}${alert.output}\n${label('Source')}${alert.source}\n` +
    `${label('Tags')}${tags}\n${label('Time')}${goTimeText(alert.time)}\n${label('Fields').trimEnd()}\n${fields.join('')}`
  );
}

export function gotifyMessage(alert: Alert, options: GotifyOptions): GotifyMessage {
  const markdown = options.format === 'markdown';
  return {
    title: `[Falco] [${alert.priority}] ${alert.rule}`,
    priority: PRIORITY[alert.priority],
    message: options.format === 'json' ? serializeAlert(alert) : list(alert, markdown),
    extras: { 'client::display': { contentType: markdown ? 'text/markdown' : 'text/plain' } },
  };
}
