// kafkajs logs through the output's pino logger, never the console. kafkajs logs a connection
// failure at ERROR on every attempt while the worker already reports the outcome (throttled, with the
// queue state), so its levels are lowered one step: ERROR→warn, WARN→warn, INFO→debug, DEBUG→trace.
import type { logCreator } from 'kafkajs';
import type { Logger } from 'pino';

// kafkajs' logLevel values, spelled out so that this module does not load kafkajs.
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** The kafkajs level that yields no more than the pino logger will print. */
export function kafkaLogLevel(log: Logger): number {
  if (log.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (log.isLevelEnabled('debug')) return logLevel.INFO;
  if (log.isLevelEnabled('warn')) return logLevel.WARN;
  return logLevel.NOTHING;
}

export function pinoLogCreator(log: Logger): logCreator {
  const child = log.child({ lib: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }) => {
      // timestamp and logger are kafkajs' own bookkeeping; pino has its own time.
      const { message, timestamp: _t, logger: _l, stack, ...extra } = entry;
      const fields = { kafkajs: namespace, ...extra, ...(level >= logLevel.INFO && stack ? { stack } : {}) };
      switch (level) {
        case logLevel.ERROR:
        case logLevel.WARN:
          child.warn(fields, message);
          break;
        case logLevel.INFO:
          child.debug(fields, message);
          break;
        default:
          child.trace(fields, message);
      }
    };
}
