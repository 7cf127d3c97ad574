// The facts both card formats show, in falcosidekick's order (outputs/teams.go): rule, priority,
// source, hostname, the output fields sorted by name, tags.
import { fieldTexts, tagsText, truncate, type Alert } from '../../src/plugin/index.ts';

/** `cap`: the characters each value keeps (fit.ts lowers it when the message is over Teams' limit). */
export function alertFacts(alert: Alert, cap = Infinity): [string, string][] {
  const facts: [string, string][] = [
    ['rule', alert.rule],
    ['priority', alert.priority],
    ['source', alert.source],
  ];
  if (alert.hostname) facts.push(['hostname', alert.hostname]);
  facts.push(...fieldTexts(alert.output_fields));
  if (alert.tags.length > 0) facts.push(['tags', tagsText(alert.tags)]);
  return cap === Infinity ? facts : facts.map(([name, value]) => [name, truncate(value, cap)]);
}
