// pino JSON logs. Secrets are redacted by key name (src/config/secrets.ts, the one definition) as a
// second line of defence: config is printed only through redactConfig, and outputs log reasons,
// never payloads, at info. Logs are per event, never per alert, so the walk costs nothing that matters.
import pino, { type Logger } from 'pino';
import { parseJson } from '../alert/json.ts';
import { redactDeep } from '../config/secrets.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'peregrine' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // On the finished line, so child bindings, nested objects and errors are all covered.
      hooks: { streamWrite: redactLine },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

function redactLine(line: string): string {
  try {
    return `${JSON.stringify(redactDeep(parseJson(line)))}\n`; // parseJson: a logged evt.time stays exact
  } catch {
    return line;
  }
}
