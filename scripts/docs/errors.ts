// docs/errors.md's table, from src/errors.ts: every error code with its HTTP status, when it
// happens and what to do (ERROR_DOCS sits next to the codes so the two cannot drift apart).
import { ERROR_DOCS, ErrorCodes } from '../../src/errors.ts';
import { cell, code, table } from './markdown.ts';

export function errorsMarkdown(): string {
  const rows = Object.values(ErrorCodes).map((c) => {
    const doc = ERROR_DOCS[c];
    return [code(c), doc.status === undefined ? '— (exit 1)' : String(doc.status), cell(doc.when), cell(doc.fix)];
  });
  return table(['code', 'HTTP status', 'when', 'what to do'], rows);
}
