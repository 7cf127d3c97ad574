// Text pieces the chat outputs share (Slack, Mattermost, Rocket.Chat, Teams, Discord, Google Chat):
// the alert's fields and tags as falcosidekick prints them in its message layouts, and the message
// template (`messageformat`).
import type { Logger } from 'pino';
import { plainValue } from '../alert/json.ts';
import { compileTemplateSource, type TemplateContext } from '../enrich/templates.ts';
import type { OptionProblem } from './types.ts';

/** falcosidekick's logo, the default icon of its chat outputs (config.go). */
export const FALCOSIDEKICK_ICON = 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png';

/** Its logo without colour, what its Mattermost, Rocket.Chat and Discord messages carry when `icon` is "" (outputs/constants.go). */
export const FALCOSIDEKICK_PLAIN_ICON = 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick.png';

/**
 * Output fields as [name, text] pairs sorted by name (Go's sort.Strings order), null values left
 * out. falcosidekick shows only string-valued fields (its type assertion drops proc.pid, fd.sport,
 * evt.time …); numbers and booleans are shown here too, big integers with every digit.
 */
export function fieldTexts(fields: Readonly<Record<string, unknown>>): [string, string][] {
  const out: [string, string][] = [];
  for (const name of Object.keys(fields).sort(byCodeUnit)) {
    const value = plainValue(fields[name]);
    if (value === null || value === undefined) continue;
    out.push([name, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)]);
  }
  return out;
}

/** Tags sorted and joined with ", ", as falcosidekick shows them. */
export function tagsText(tags: readonly string[]): string {
  return [...tags].sort(byCodeUnit).join(', ');
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An alert's message text from its `messageformat`. */
export type RenderText = (context: TemplateContext) => string;

/** A `messageformat` that does not compile is a configuration error (--check-config reports it). */
export function messageFormatProblems(messageformat: string): OptionProblem[] {
  if (messageformat === '') return [];
  const compiled = compileTemplateSource(messageformat);
  return compiled.ok ? [] : [{ path: 'messageformat', message: compiled.message }];
}

/**
 * The `messageformat` of output `name`, compiled once (undefined for ""): renders an alert's message
 * text. As in falcosidekick, a template that fails on one alert gives "" for it (the message goes
 * without text), logged at debug.
 */
export function messageFormat(messageformat: string, name: string, log: Logger): RenderText | undefined {
  if (messageformat === '') return undefined;
  const compiled = compileTemplateSource(messageformat);
  if (!compiled.ok) throw new Error(`${name}.messageformat: ${compiled.message}`); // validate() reported it first
  const { render } = compiled;
  return (context) => {
    try {
      return render(context);
    } catch (err) {
      log.debug({ err: (err as Error).message, rule: context.rule }, `${name}.messageformat failed for this alert; sent without text`);
      return '';
    }
  };
}
