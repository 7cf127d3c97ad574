// Priority conditions: `critical` (exactly), `>=critical`, `>warning`, `<=notice`, `<error`,
// `=notice`, `!=debug`, and inclusive ranges `notice..error`. Names in any case, `Info` for
// Informational (alert/priority.ts). Compiled to a bit mask over the eight ranks, so a test is one
// shift and one AND.
import { parsePriority, PRIORITIES, PRIORITY_NAMES, priorityRank } from '../alert/priority.ts';

const ALL = (1 << PRIORITIES.length) - 1;
const EXPR = /^\s*([^a-zA-Z\s]*)\s*([a-zA-Z]+)\s*$/;
const RANGE = /^\s*([a-zA-Z]+)\s*\.\.\s*([a-zA-Z]+)\s*$/;
const OPERATORS = ['>=', '>', '<=', '<', '=', '==', '!='] as const;

export interface PriorityExpr {
  /** Bit r is set when rank r matches. */
  mask: number;
  /** How a priority that fails it relates to it: "is below", "is above", "is not", "is outside". */
  verb: string;
  text: string;
}

const bits = (from: number, to: number) => (from > to ? 0 : ((1 << (to + 1)) - 1) & ~((1 << from) - 1));

function rankOf(name: string, expr: string): number | string {
  const priority = parsePriority(name);
  return priority === undefined ? `"${name}" in "${expr}" is not a Falco priority; use one of ${PRIORITY_NAMES} (any case)` : priorityRank(priority);
}

/** Parses one expression; a string is the error message. */
export function parsePriorityExpr(text: string): PriorityExpr | string {
  const range = RANGE.exec(text);
  if (range) {
    const low = rankOf(range[1] as string, text);
    const high = rankOf(range[2] as string, text);
    if (typeof low === 'string') return low;
    if (typeof high === 'string') return high;
    if (low > high) return `"${text}" matches no priority: the range is reversed; write ${range[2]}..${range[1]}`;
    return { mask: bits(low, high), verb: 'is outside', text };
  }
  const m = EXPR.exec(text);
  if (!m) return `"${text}" is not a priority condition; write a priority (warning), >=critical, >warning, <=notice, <error, !=debug or a range notice..error`;
  const op = m[1] as string;
  if (op !== '' && !(OPERATORS as readonly string[]).includes(op)) return `unknown operator "${op}" in "${text}"; use one of ${OPERATORS.join(' ')}, or a range notice..error`;
  const rank = rankOf(m[2] as string, text);
  if (typeof rank === 'string') return rank;
  const top = PRIORITIES.length - 1;
  const [mask, verb] = ((): [number, string] => {
    switch (op) {
      case '>=':
        return [bits(rank, top), 'is below'];
      case '>':
        return [bits(rank + 1, top), 'is not above'];
      case '<=':
        return [bits(0, rank), 'is above'];
      case '<':
        return [bits(0, rank - 1), 'is not below'];
      case '!=':
        return [ALL & ~(1 << rank), 'is'];
      default:
        return [1 << rank, 'is not'];
    }
  })();
  if (mask === 0) return `"${text}" matches no priority (${op === '>' ? `nothing is above ${PRIORITIES[top]}` : `nothing is below ${PRIORITIES[0]}`})`;
  return { mask, verb, text };
}
