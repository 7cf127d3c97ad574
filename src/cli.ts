// Command-line parsing, kept apart from main.ts so it can be tested without starting anything.
import { parseArgs } from 'node:util';

export interface Cli {
  config?: string;
  checkConfig: boolean;
  printConfig: boolean;
  version: boolean;
  help: boolean;
}

export const USAGE = `Usage: peregrine [-c FILE] [--check-config] [--print-config] [--version]
       peregrine dlq <list|show|replay|purge> [-c FILE] [--output NAME] [--rule RULE] [--since TIME] [--id ID]
       peregrine explain UUID [-c FILE] [--json]
       peregrine route [-c FILE] [ALERT.json]   which outputs take this alert, and why not (stdin when no file)
       peregrine silence <add|list|expire> [-c FILE] [--url URL] [--token TOKEN] (peregrine silence for details)

  -c, --config FILE   YAML config (default: config/peregrine.yaml if present, else the embedded default)
  --check-config      validate the config (file + environment) and exit: 0 valid, 1 with every problem listed
  --print-config      print the effective config (file + environment, defaults filled in) with secrets redacted
  --version           print the version
  -h, --help          this help

Environment variables override the file: the key path upper-cased with "_" (WEBHOOK_ADDRESS, CUSTOMFIELDS="a:b,c:d");
named outputs: OUTPUTS__<NAME>__<KEY> with "-" written "_" (OUTPUTS__SOC_PAGER__ADDRESS).`;

export function parseCli(argv: string[]): Cli {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      'check-config': { type: 'boolean', default: false },
      'print-config': { type: 'boolean', default: false },
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    ...(values.config !== undefined ? { config: values.config } : {}),
    checkConfig: values['check-config'] ?? false,
    printConfig: values['print-config'] ?? false,
    version: values.version ?? false,
    help: values.help ?? false,
  };
}
