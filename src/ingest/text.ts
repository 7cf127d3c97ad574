// Falco without json_output sends text/plain lines: "<time>: <Priority> <output>". We turn a line
// into an alert with `output` set and the priority parsed, so nothing sent to us is thrown away.
import { ErrorCodes, RequestError } from '../errors.ts';
import { parsePriority } from '../alert/priority.ts';

const LINE = /^(\S+):\s+(\S+)\s+(.*)$/s;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

const TEXT_RULE = 'Falco text alert';

/** Builds alert input from one text line; the receive time stands in when the line's time has no date. */
export function textLineToInput(line: string, now: Date): Record<string, unknown> {
  const m = LINE.exec(line.trim());
  const priority = m ? parsePriority(m[2] as string) : undefined;
  if (!m || !priority) {
    throw new RequestError(
      ErrorCodes.TEXT_UNPARSEABLE,
      400,
      'a text/plain alert must look like "<time>: <Priority> <output>" (e.g. "10:21:36.167531875: Notice A shell was spawned"); better: set json_output: true in falco.yaml',
    );
  }
  const stamp = m[1] as string;
  const time = ISO.test(stamp) ? stamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : now.toISOString();
  return {
    output: line.trim(),
    priority,
    rule: TEXT_RULE,
    time,
    source: 'syscalls',
    output_fields: { 'peregrine.input': 'text/plain', 'falco.time': stamp },
  };
}
