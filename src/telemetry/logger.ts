// pino JSON logs. Secrets are redacted by path as a second line of defence: config is printed only
// through redactConfig, and outputs log reasons, never payloads, at info.
import pino, { type Logger } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'peregrine' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['*.password', '*.token', '*.apikey', '*.secret', '*.headers.authorization', '*.customheaders.Authorization', 'req.headers.authorization'],
        censor: '***',
      },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
