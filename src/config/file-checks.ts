// Files the config names that the daemon reads at start: checked while loading, so --check-config
// and the start agree (a missing TLS file used to pass the check and stop the start).
import { accessSync, constants, statSync } from 'node:fs';
import type { ConfigProblem } from '../errors.ts';
import type { BaseConfig } from './base.ts';

function unreadable(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return `${file} is not a file`;
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code ?? String(err)})`;
  }
}

export function checkConfigFiles(config: BaseConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const tls = config.tlsserver;
  if (!tls.deploy) return problems;
  const files: ['certfile' | 'keyfile' | 'cacertfile', string][] = [
    ['certfile', tls.certfile],
    ['keyfile', tls.keyfile],
    ...(tls.mutualtls ? [['cacertfile', tls.cacertfile] as ['cacertfile', string]] : []),
  ];
  for (const [key, file] of files) {
    const why = unreadable(file);
    if (why) problems.push({ path: `tlsserver.${key}`, env: `TLSSERVER_${key.toUpperCase()}`, message: `${why}; tlsserver.deploy is true, so Peregrine needs it to serve TLS` });
  }
  return problems;
}
