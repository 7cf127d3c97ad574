// The sub-commands' arguments (dlq, explain, route, silence): parsed with node:util's parseArgs, a
// mistake reported as a UsageError (a one-line message and exit status 2, never a stack trace), and
// the config file found however it is written (-c FILE, -cFILE, --config FILE, --config=FILE).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A mistake on the command line: main.ts prints its message with the command's usage, exit 2. */
export class UsageError extends Error {}

/**
 * Where a sub-command writes: its result on standard output, a mistake or a failure on standard
 * error, so that a script reading the result (`peregrine dlq list | cut -f1`) never reads an error
 * as a row.
 */
export interface Say {
  out(line: string): void;
  err(line: string): void;
}

export function parseCommand<O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The config file a sub-command's arguments name, before they are parsed. */
export function configOption(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-c' || arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
    if (arg.startsWith('-c') && !arg.startsWith('--')) return arg.slice(2);
  }
  return undefined;
}

/** A positive safe integer from an option's text (ids, limits), or a UsageError naming the option. */
export function positiveInteger(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${option} "${text}" is not a positive integer`);
  return n;
}
