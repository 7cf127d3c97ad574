// Every error code is documented next to its definition (ERROR_DOCS, from which docs/errors.md is
// generated), and every ERR_… string the code uses is one of Peregrine's codes — in the manner of
// fastify's error-code test: the source is grepped, so a code added anywhere is caught.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_DOCS, ErrorCodes } from '../../src/errors.ts';

const repo = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name))
    .map((e) => relative(repo, join(e.parentPath, e.name)));
}

const files = [...sources('src'), ...sources('outputs')];
const codes = new Set<string>(Object.values(ErrorCodes));

describe('error codes', () => {
  it.each(Object.values(ErrorCodes))('%s is documented', (code) => {
    const doc = ERROR_DOCS[code];
    expect(doc, `ERROR_DOCS has no entry for ${code}`).toBeDefined();
    expect(doc.when.length).toBeGreaterThan(10);
    expect(doc.fix.length).toBeGreaterThan(10);
    if (doc.status !== undefined) expect(doc.status >= 200 && doc.status < 600).toBe(true);
  });

  it('ERROR_DOCS documents nothing that is not a code', () => {
    expect(Object.keys(ERROR_DOCS).filter((c) => !codes.has(c))).toEqual([]);
  });

  it('every ERR_… string in src/ and outputs/ is in ErrorCodes', () => {
    const unknown: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(repo, file), 'utf8');
      for (const m of text.matchAll(/(?<![A-Za-z0-9_])ERR_[A-Z0-9_]+/g)) {
        // Comparing an error's `.code` with a string (or a `case` on it) matches someone else's code
        // (Node's ERR_BUFFER_TOO_LARGE from zlib): that is reading it, not defining one.
        const before = text.slice(Math.max(0, (m.index ?? 0) - 12), m.index);
        if (/(code\s*[!=]==?\s*|case\s+)['"`]$/.test(before)) continue;
        if (!codes.has(m[0])) unknown.push(`${file}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('the status each RequestError is built with is the documented one', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(repo, file), 'utf8');
      for (const m of text.matchAll(/new RequestError\(\s*ErrorCodes\.([A-Z_]+),\s*(\d{3})\b/g)) {
        const code = ErrorCodes[m[1] as keyof typeof ErrorCodes];
        const status = Number(m[2]);
        if (ERROR_DOCS[code]?.status !== status) wrong.push(`${file}: ${code} built with ${status}, documented ${ERROR_DOCS[code]?.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
