// Node's process warnings (deprecations, experimental features, bad timer values) as Peregrine log
// lines, instead of Node's own unstructured text on stderr between the JSON logs.
import type { Logger } from 'pino';

/**
 * kafkajs schedules its request-queue check with a negative delay when nothing is pending, which
 * Node clamps to 1 ms and reports once per process as a TimeoutNegativeWarning. Known and harmless
 * (the check just runs at once), so it goes to debug. The same warning from anywhere else stays a warning.
 */
function knownHarmless(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && (warning.stack ?? '').includes('/kafkajs/');
}

/** Replaces Node's default warning printer with the logger. Returns a function that undoes it. */
export function logProcessWarnings(log: Logger): () => void {
  const previous = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (warning: Error) => {
    const fields = { warning: warning.name, ...((warning as NodeJS.ErrnoException).code ? { code: (warning as NodeJS.ErrnoException).code } : {}) };
    if (knownHarmless(warning)) log.debug(fields, warning.message);
    else log.warn(fields, warning.message);
  };
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const listener of previous) process.on('warning', listener);
  };
}
