// Falco priorities, lowest to highest. The rank order is what minimumpriority and queue shedding use.
export const PRIORITIES = ['Debug', 'Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];

const byLowerName = new Map<string, Priority>([
  ...PRIORITIES.map((p) => [p.toLowerCase(), p] as const),
  ['info', 'Informational'],
]);

const rankOf = new Map<Priority, number>(PRIORITIES.map((p, i) => [p, i]));

/** Case-insensitive, with Falco's `Info` alias. Undefined for anything else: callers decide how to reject. */
export function parsePriority(value: string): Priority | undefined {
  return byLowerName.get(value.toLowerCase());
}

export function priorityRank(priority: Priority): number {
  return rankOf.get(priority) as number;
}

/** Every accepted spelling, case-insensitively, as one regex without flags (JSON Schema patterns have none). */
export const PRIORITY_PATTERN = `^(?:${[...byLowerName.keys()]
  .map((name) => [...name].map((c) => `[${c}${c.toUpperCase()}]`).join(''))
  .join('|')})$`;

export const PRIORITY_NAMES = [...PRIORITIES, 'Info'].join(', ');
