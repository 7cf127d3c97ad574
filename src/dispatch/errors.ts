// One way to turn anything thrown by a plugin, an SDK or a socket into a line a human can read.

/** `ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9200: <cause>`: the code once, the cause when there is one. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${code && !err.message.includes(code) ? `${code} ` : ''}${err.message}${cause}`;
  }
  return String(err);
}
