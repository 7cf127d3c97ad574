// Tokenizer for Go text/template source (the subset falcosidekick users write). It follows
// text/template/parse/lex.go closely enough that what Go accepts lexes the same way here:
// trim markers (`{{- ` / ` -}}`) are applied to the text on the spot, comments vanish, and
// spaces inside actions are kept as tokens because Go gives them meaning (`.a.b` vs `.a .b`).

export type TokenKind =
  | 'text'
  | 'open'
  | 'close'
  | 'space'
  | 'ident'
  | 'keyword'
  | 'field'
  | 'dot'
  | 'var'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Decoded value: the text, the identifier or keyword, the field name without its dot, the string's content. */
  readonly value: string;
  /** Offset in the source, for error messages. */
  readonly pos: number;
  /** Set on `open`/`close` when the action carried a trim marker. */
  readonly trim?: boolean;
}

/** A template Peregrine cannot take: the message says what is wrong and, where it can, what to write instead. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

const KEYWORDS = new Set(['if', 'else', 'end', 'with', 'range', 'define', 'template', 'block', 'break', 'continue']);
const SPACE = /[ \t\r\n]/;
const WORD = /[\p{L}\p{N}_]/u;
// Go's number syntax: hex (with hex floats, 0x1p4), octal, binary, decimal with exponent, and an
// imaginary `i` suffix (lexed so that the translator can refuse it by name).
const NUMBER = /^[+-]?(?:0[xX](?:[\da-fA-F_]+\.?[\da-fA-F_]*|\.[\da-fA-F_]+)(?:[pP][+-]?\d+)?|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)i?/;
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

export function lineAndColumn(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  return `line ${line}, column ${pos - before.lastIndexOf('\n')}`;
}

/** Lexes a whole template. Throws GoTemplateError on anything Go's lexer would reject. */
export function lexGoTemplate(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  readonly source: string;
  readonly tokens: Token[] = [];
  pos = 0;

  constructor(source: string) {
    this.source = source;
  }

  run(): Token[] {
    let trimNext = false;
    while (this.pos < this.source.length) {
      const open = this.source.indexOf('{{', this.pos);
      const end = open === -1 ? this.source.length : open;
      const trimBefore = open !== -1 && this.source[open + 2] === '-' && SPACE.test(this.source[open + 3] ?? '');
      let text = this.source.slice(this.pos, end);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      if (trimBefore) text = text.replace(/[ \t\r\n]+$/, '');
      if (text !== '') this.push('text', text, this.pos);
      if (open === -1) break;
      this.pos = open + (trimBefore ? 4 : 2);
      trimNext = this.action(open, trimBefore);
    }
    this.push('eof', '', this.source.length);
    return this.tokens;
  }

  fail(message: string, pos = this.pos): never {
    throw new GoTemplateError(`${message} (${lineAndColumn(this.source, pos)})`);
  }

  push(kind: TokenKind, value: string, pos: number, trim?: boolean): void {
    const last = this.tokens.at(-1);
    if (kind === 'text' && last?.kind === 'text') {
      // Text on both sides of a comment is one run; keeping it whole keeps `{`+`{` visible to the emitter.
      this.tokens[this.tokens.length - 1] = { ...last, value: last.value + value };
      return;
    }
    this.tokens.push(trim === undefined ? { kind, value, pos } : { kind, value, pos, trim });
  }

  /** Lexes one action after its `{{`; returns whether it ended with a trim marker. */
  action(start: number, trimBefore: boolean): boolean {
    if (this.source.startsWith('/*', this.pos)) return this.comment(start);
    this.push('open', '{{', start, trimBefore);
    for (;;) {
      const closed = this.closing();
      if (closed !== undefined) return closed;
      this.token();
    }
  }

  /** Consumes `}}` or ` -}}` at the cursor, pushing the close token; undefined when neither is there. */
  closing(): boolean | undefined {
    const at = this.pos;
    const spaces = /^[ \t\r\n]*/.exec(this.source.slice(at))?.[0].length ?? 0;
    if (spaces > 0 && this.source.startsWith('-}}', at + spaces)) {
      this.pos = at + spaces + 3;
      this.push('close', '}}', at, true);
      return true;
    }
    if (this.source.startsWith('}}', at)) {
      this.pos = at + 2;
      this.push('close', '}}', at, false);
      return false;
    }
    return undefined;
  }

  comment(start: number): boolean {
    const end = this.source.indexOf('*/', this.pos + 2);
    if (end === -1) this.fail('unclosed comment', start);
    this.pos = end + 2;
    const closed = this.closing();
    if (closed === undefined) this.fail('comment ends before closing delimiter', start);
    this.tokens.pop(); // a comment leaves no action behind, only its trim effect
    return closed;
  }

  token(): void {
    const c = this.source[this.pos];
    const start = this.pos;
    if (c === undefined) this.fail('unclosed action: add }}');
    if (SPACE.test(c)) return this.space();
    const single = { '|': 'pipe', '(': 'lparen', ')': 'rparen', ',': 'comma', '=': 'assign' } as const;
    if (c in single) {
      this.pos++;
      return this.push(single[c as keyof typeof single], c, start);
    }
    if (c === ':' && this.source[this.pos + 1] === '=') {
      this.pos += 2;
      return this.push('declare', ':=', start);
    }
    if (c === '"') return this.quoted();
    if (c === '`') return this.raw();
    if (c === "'") return this.char();
    if (c === '$') return this.word('var', 1);
    if (c === '.') return this.dot();
    if (/[\d+-]/.test(c)) return this.number();
    if (WORD.test(c)) return this.identifier();
    this.fail(`unexpected ${JSON.stringify(c)} in action`);
  }

  space(): void {
    const start = this.pos;
    while (SPACE.test(this.source[this.pos] ?? '')) this.pos++;
    this.push('space', ' ', start);
  }

  wordEnd(from: number): number {
    let i = from;
    while (WORD.test(this.source[i] ?? '')) i++;
    return i;
  }

  word(kind: 'var' | 'field', skip: number): void {
    const start = this.pos;
    const end = this.wordEnd(start + skip);
    this.pos = end;
    this.push(kind, this.source.slice(kind === 'field' ? start + 1 : start, end), start);
  }

  dot(): void {
    const next = this.source[this.pos + 1] ?? '';
    if (/\d/.test(next)) return this.number();
    if (WORD.test(next)) return this.word('field', 1);
    this.push('dot', '.', this.pos++);
  }

  identifier(): void {
    const start = this.pos;
    this.pos = this.wordEnd(start);
    const word = this.source.slice(start, this.pos);
    if (KEYWORDS.has(word)) this.push('keyword', word, start);
    else if (word === 'true' || word === 'false') this.push('bool', word, start);
    else if (word === 'nil') this.push('nil', word, start);
    else this.push('ident', word, start);
  }

  number(): void {
    const start = this.pos;
    const match = NUMBER.exec(this.source.slice(start));
    const text = match?.[0] ?? '';
    if (!/\d/.test(text) || WORD.test(this.source[start + text.length] ?? '') || this.source[start + text.length] === '.') {
      this.fail(`bad number syntax: ${JSON.stringify(this.source.slice(start, this.wordEnd(start + 1)))}`, start);
    }
    this.pos = start + text.length;
    this.push('number', text, start);
  }

  quoted(): void {
    const start = this.pos;
    let value = '';
    let i = start + 1;
    for (;;) {
      const c = this.source[i];
      if (c === undefined || c === '\n') this.fail('unterminated quoted string', start);
      if (c === '"') break;
      if (c === '\\') {
        const [decoded, next] = this.escape(i);
        value += decoded;
        i = next;
      } else {
        value += c;
        i++;
      }
    }
    this.pos = i + 1;
    this.push('string', value, start);
  }

  raw(): void {
    const start = this.pos;
    const end = this.source.indexOf('`', start + 1);
    if (end === -1) this.fail('unterminated raw quoted string', start);
    this.pos = end + 1;
    this.push('string', this.source.slice(start + 1, end).replaceAll('\r', ''), start);
  }

  /** A character constant is a number in Go (`'a'` is 97). */
  char(): void {
    const start = this.pos;
    let value: string;
    let next: number;
    if (this.source[start + 1] === '\\') [value, next] = this.escape(start + 1);
    else {
      const cp = this.source.codePointAt(start + 1);
      if (cp === undefined || cp === 0x27 || cp === 0x0a) this.fail('malformed character constant', start);
      value = String.fromCodePoint(cp);
      next = start + 1 + value.length;
    }
    if (this.source[next] !== "'") this.fail('malformed character constant', start);
    this.pos = next + 1;
    this.push('number', String(value.codePointAt(0)), start);
  }

  /** Decodes one backslash escape at `at`; returns the text and the offset after it. */
  escape(at: number): [string, number] {
    const c = this.source[at + 1] ?? '';
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return [simple, at + 2];
    const hex = { x: 2, u: 4, U: 8 }[c as 'x' | 'u' | 'U'];
    const digits = hex === undefined ? this.source.slice(at + 1, at + 4) : this.source.slice(at + 2, at + 2 + hex);
    if (hex !== undefined && new RegExp(`^[\\da-fA-F]{${hex}}$`).test(digits)) {
      const code = parseInt(digits, 16);
      return [c === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code), at + 2 + hex];
    }
    if (hex === undefined && /^[0-7]{3}$/.test(digits)) return [String.fromCharCode(parseInt(digits, 8)), at + 4];
    return this.fail(`unknown escape sequence \\${c}`, at);
  }
}
