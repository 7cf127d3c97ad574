// Telegram's MarkdownV2 (core.telegram.org/bots/api#markdownv2-style): every character of user text
// that the markup reserves is escaped with "\", the backslash itself included. falcosidekick's
// escaping leaves "\" alone: "C:\temp" shows as "C:temp" and "grep \." is refused with 400 "can't
// parse entities" (the alert lost).

const RESERVED = /[\\_*[\]()~`>#+\-=|{}.!]/g;

export function escapeMarkdownV2(text: string): string {
  return text.replace(RESERVED, (c) => `\\${c}`);
}

/** `*text*`: bold, the text escaped. */
export function bold(text: string): string {
  return `*${escapeMarkdownV2(text)}*`;
}

/**
 * The text cut to `max` UTF-16 units at a line end outside any entity (no `*…*` or `_…_` open, not
 * after a lone "\\"), a "…" line added, so that a cut never breaks an entity or an escape.
 */
export function cutAtLine(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  let bold = false;
  let italic = false;
  for (let i = 0; i < max - 2; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '*') bold = !bold;
    else if (c === '_') italic = !italic;
    else if (c === '\n' && !bold && !italic) end = i;
  }
  return `${text.slice(0, end)}\n…`;
}
