// Durations as people write them for a silence: "90s", "30m", "2h", "1d", "1h30m" (or plain milliseconds).
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text > 0 ? text : undefined;
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) > 0 ? Number(t) : undefined;
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(n) * (UNIT_MS[unit as string] as number);
  return ms > 0 ? ms : undefined;
}

export const DURATION_HELP = 'a duration such as 90s, 30m, 2h, 1d or 1h30m';

/** The longest silence `for` takes: a year. Past it a silence is not maintenance (and past ~10^8 days no date can hold its end). */
export const MAX_SILENCE_MS = 365 * 86_400_000;
