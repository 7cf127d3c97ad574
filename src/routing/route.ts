// One output's filter: its minimumpriority (falcosidekick's) and its match, both must hold.
import type { Alert } from '../alert/alert.ts';
import { parsePriority, PRIORITIES, priorityRank } from '../alert/priority.ts';
import type { CompiledMatch } from './compile.ts';

export function compileRoute(minimumpriority: string, match: CompiledMatch): CompiledMatch {
  const minimum = minimumpriority === '' ? 0 : priorityRank(parsePriority(minimumpriority) ?? 'Debug');
  if (minimum === 0) return match;
  const name = PRIORITIES[minimum] as string;
  return {
    test: (alert: Alert) => priorityRank(alert.priority) >= minimum && match.test(alert),
    explain: (alert: Alert) => (priorityRank(alert.priority) < minimum ? `minimumpriority: ${alert.priority} is below ${name}` : match.explain(alert)),
  };
}
