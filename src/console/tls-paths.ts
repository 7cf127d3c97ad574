// The console under tlsserver.notlspaths. Its page (/ui) calls its API (/api/v1/, the silences
// included) on the origin it was loaded from, so the two move as one: listing /ui or /api/v1 serves
// both over plain HTTP on tlsserver.notlsport and no longer over TLS. Unlisted, the console stays on
// TLS, even with "/" listed (falcosidekick's catch-all for alert paths, which the console is not).
import type { ConfigProblem } from '../errors.ts';

/** The notlspaths entries that move the console, each naming the whole page or the whole API. */
const CONSOLE_ENTRIES = new Set(['/ui', '/ui/', '/api/v1', '/api/v1/']);

/** A path of the console: its page and assets, or its API. */
export function isConsolePath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/') || path === '/api/v1' || path.startsWith('/api/v1/');
}

/** Whether notlspaths moves the console (page and API) to the plain-HTTP port. */
export function consoleOnPlainPort(notlspaths: readonly string[]): boolean {
  return notlspaths.some((p) => CONSOLE_ENTRIES.has(p));
}

/** notlspaths entries the console cannot honour: one page or endpoint alone, or a console on its own listener. */
export function checkConsoleTlsPaths(config: { tlsserver: { deploy: boolean; notlspaths: readonly string[] }; console: { enabled: boolean; port: number } }): ConfigProblem[] {
  const { deploy, notlspaths } = config.tlsserver;
  if (!deploy) return [];
  const problems: ConfigProblem[] = [];
  for (const path of notlspaths) {
    if (isConsolePath(path) && !CONSOLE_ENTRIES.has(path)) {
      problems.push({
        path: 'tlsserver.notlspaths',
        env: 'TLSSERVER_NOTLSPATHS',
        message: `${path} is one part of the console: list /ui or /api/v1 instead, which serves the whole console (its page and the API the page calls) over plain HTTP on tlsserver.notlsport`,
      });
    }
  }
  if (config.console.enabled && config.console.port !== 0 && consoleOnPlainPort(notlspaths)) {
    problems.push({
      path: 'tlsserver.notlspaths',
      env: 'TLSSERVER_NOTLSPATHS',
      message: `lists the console (${notlspaths.filter((p) => CONSOLE_ENTRIES.has(p)).join(', ')}), but the console has its own plain-HTTP listener (console.port ${config.console.port}), which tlsserver does not cover: remove the console from notlspaths, or set console.port to 0 to serve it on the ingest listener`,
    });
  }
  return problems;
}
