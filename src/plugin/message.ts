// Text pieces the chat outputs share (Slack, Teams, and the Slack-like ones to come): the alert's
// fields and tags as falcosidekick prints them in its message layouts.
import { plainValue } from '../alert/json.ts';

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
