// `peregrine silence add|list|expire`: talks to the running daemon's /api/v1/silences.
import { parseArgs } from 'node:util';
import type { Say } from '../cli-args.ts';
import type { BaseConfig } from '../config/base.ts';
import { loadYaml } from '../config/yaml.ts';
import { ingestUrl, requestDaemon, type DaemonAnswer as Answer } from '../console/daemon-client.ts';

const SILENCE_USAGE = `Usage: peregrine silence add --match '<YAML or JSON>' (--for 2h | --until <RFC 3339>) --reason TEXT [--output NAME]...
       peregrine silence list
       peregrine silence expire ID
  common: [-c FILE] [--url http://127.0.0.1:2801] [--token TOKEN]  (token default: $PEREGRINE_TOKEN, else ingest.token)

  add      mute alerts the match selects (routing's match syntax, docs/routing.md) on every output, or on --output ones
  list     the silences in force: id, until, outputs, hits, reason, match
  expire   end a silence now`;


export async function runSilence(argv: string[], config: BaseConfig, say: Say, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        url: { type: 'string' },
        token: { type: 'string' },
        match: { type: 'string' },
        for: { type: 'string' },
        until: { type: 'string' },
        reason: { type: 'string' },
        output: { type: 'string', multiple: true },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    say.err(`${(err as Error).message}\n\n${SILENCE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const base = (values.url ?? ingestUrl(config)).replace(/\/$/, '');
  const token = values.token ?? env.PEREGRINE_TOKEN ?? config.ingest.token;
  // The config's own listener may serve a self-signed certificate (tlsserver.deploy); a --url is verified.
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> =>
    requestDaemon(`${base}/api/v1/silences${path}`, method, token, body, values.url === undefined);
  const failed = (a: Answer) => {
    const error = a.body.error as { message?: string; path?: string } | undefined;
    say.err(`error ${a.status}: ${error?.message ?? JSON.stringify(a.body)}${error?.path ? ` (at ${error.path})` : ''}`);
    return 1;
  };
  try {
    switch (positionals[0]) {
      case 'add': {
        if (values.match === undefined || values.reason === undefined || (values.for === undefined) === (values.until === undefined)) {
          say.err(`add needs --match, --reason and one of --for and --until\n\n${SILENCE_USAGE}`);
          return 2;
        }
        let match: unknown;
        try {
          match = loadYaml().parse(values.match) as unknown;
        } catch (err) {
          say.err(`--match is not YAML or JSON: ${(err as Error).message}`);
          return 2;
        }
        const a = await call('POST', '', {
          match,
          reason: values.reason,
          ...(values.for !== undefined ? { for: values.for } : { until: values.until }),
          ...(values.output ? { outputs: values.output } : {}),
        });
        if (a.status !== 201) return failed(a);
        const s = a.body.silence as Record<string, unknown>;
        say.out(`silence ${String(s.id)} in force until ${String(s.until)}`);
        return 0;
      }
      case 'list': {
        const a = await call('GET', '');
        if (a.status !== 200) return failed(a);
        const list = a.body.silences as Record<string, unknown>[];
        for (const s of list) {
          const outputs = Array.isArray(s.outputs) ? s.outputs.join(',') : String(s.outputs);
          say.out(`${String(s.id)}\tuntil ${String(s.until)}\t${outputs}\thits ${String(s.hits)}\t${String(s.reason)}\t${JSON.stringify(s.match)}`);
        }
        say.err(`${list.length} silence(s) in force`);
        return 0;
      }
      case 'expire': {
        const id = positionals[1];
        if (!id) return (say.err(`expire needs an ID\n\n${SILENCE_USAGE}`), 2);
        const a = await call('DELETE', `/${encodeURIComponent(id)}`);
        if (a.status !== 200) return failed(a);
        say.out(`silence ${id} expired`);
        return 0;
      }
      default:
        say.err(SILENCE_USAGE);
        return 2;
    }
  } catch (err) {
    say.err(`cannot reach the daemon at ${base}: ${(err as Error).message} (start it, or give --url)`);
    return 1;
  }
}
