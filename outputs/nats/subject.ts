// The subject of an alert, as falcosidekick builds it from `subjecttemplate`.
import type { Alert } from '../../src/plugin/index.ts';

const NOT_SLUG = /[^a-z0-9]+/g;

/** <priority>: the priority in lower case; <rule>: the rule in lower case, each run of other characters than a-z0-9 as "_", "_" trimmed. */
export function subjectOf(template: string, alert: Alert): string {
  // Go lower-cases rune by rune: İ (U+0130) becomes i, where JavaScript writes i and a combining dot.
  const rule = alert.rule.replace(/\u0130/g, 'i').toLowerCase().replace(NOT_SLUG, '_').replace(/^_+|_+$/g, '');
  return template.replaceAll('<priority>', alert.priority.toLowerCase()).replaceAll('<rule>', rule);
}
