// Markdown pieces every generated document uses: table cells, and the marked blocks a generator owns
// inside a hand-written file (everything outside the markers stays as people wrote it).

/** The command that refreshes every generated file; named in each marker so a reader knows. */
const REGENERATE = 'npm run generate';

/** Prose made safe for Markdown: `<token>` would be read as an HTML tag and vanish. */
export function prose(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Prose made safe for one table cell. */
export function cell(text: string): string {
  return prose(text).replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** Inline code made safe for one table cell (no HTML escaping: code spans show text as it is). */
function codeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** `value` as inline code in a cell ("" when there is nothing to show). */
export function code(value: string): string {
  return value === '' ? '' : `\`${codeCell(value)}\``;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function markers(name: string): { start: string; end: string } {
  return { start: `<!-- generated:${name}:start (${REGENERATE}) -->`, end: `<!-- generated:${name}:end -->` };
}

/** The whole marked block: markers included, `body` between them. */
function block(name: string, body: string): string {
  const { start, end } = markers(name);
  return `${start}\n${body}\n${end}`;
}

/** Where the block named `name` is in `text` (start of its start marker, end of its end marker), if it is there. */
function findBlock(text: string, name: string): { from: number; to: number } | undefined {
  // The start marker is matched without its "(command)" part, so a block written by an older
  // generator (which named another command) is still found and refreshed.
  const startAt = text.indexOf(`<!-- generated:${name}:start`);
  const { end } = markers(name);
  if (startAt < 0) return undefined;
  const endAt = text.indexOf(end, startAt);
  if (endAt < 0) throw new Error(`a generated:${name} block has its start marker but no ${end}`);
  return { from: startAt, to: endAt + end.length };
}

/** `text` with the block named `name` holding `body`; throws when the file lacks the markers. */
export function replaceBlock(text: string, name: string, body: string, file: string): string {
  const at = findBlock(text, name);
  if (!at) {
    const { start, end } = markers(name);
    throw new Error(`${file} lacks the ${start} … ${end} markers`);
  }
  return `${text.slice(0, at.from)}${block(name, body)}${text.slice(at.to)}`;
}

/**
 * `text` with the block named `name` holding `body`: replaced where the markers are, else inserted
 * after the first heading (or at the top when there is none). Pages other people write start
 * without markers; the generator owns only what is between them.
 */
export function upsertBlock(text: string, name: string, body: string): string {
  if (findBlock(text, name)) return replaceBlock(text, name, body, '');
  const heading = /^# .*$/m.exec(text);
  const at = heading ? heading.index + heading[0].length : 0;
  const before = text.slice(0, at);
  const after = text.slice(at).replace(/^\n+/, '');
  return `${before}${before ? '\n\n' : ''}${block(name, body)}\n${after ? `\n${after}` : ''}`;
}
