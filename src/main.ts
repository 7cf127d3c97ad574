#!/usr/bin/env node
// load config → build app → listen → drain on SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { outputEntries } from '../outputs/index.ts';
import { buildApp } from './app.ts';
import { configOption, UsageError } from './cli-args.ts';
import { parseCli, USAGE, type Cli } from './cli.ts';
import { DaemonError } from './console/daemon-client.ts';
import { instancesOrThrow } from './config/instances.ts';
import { loadMentioned, type LoadedConfig } from './config/load.ts';
import { OutputRegistry } from './plugin/registry.ts';
import { redactConfig } from './config/redact.ts';
import { ConfigError } from './errors.ts';
import { collectStartupGarbage, limitWorkerYoungGeneration, tuneHeap } from './heap.ts';
import { systemClock } from './dispatch/clock.ts';
import { watchConfigFile } from './reload/watch.ts';
import { ROUTE_USAGE, runRoute } from './routing/explain.ts';
import { runSilence } from './noise/silence-cli.ts';
import { runDlqCommand } from './console/dlq-remote.ts';
import { spoolDirProblem } from './spool/open-error.ts';
import { SPOOL_FILE } from './spool/spool.ts';
import { runExplain } from './console/explain.ts';
import { logProcessWarnings } from './telemetry/warnings.ts';
import { VERSION } from './version.ts';
import { loadYaml } from './config/yaml.ts';

function fatal(message: string, code = 1): never {
  process.stderr.write(`peregrine: ${message}\n`);
  process.exit(code);
}

// The outputs the config mentions, imported as it needs them (a reload may add some).
const registry = new OutputRegistry(outputEntries);

/** Loads the config; at start an invalid one is fatal, on a reload (`fatalIfInvalid` false) the ConfigError goes to the reloader. */
async function load(cli: Cli, fatalIfInvalid = true): Promise<LoadedConfig> {
  try {
    return await loadMentioned(registry, cli.config !== undefined ? { file: cli.config } : {});
  } catch (err) {
    if (err instanceof ConfigError && fatalIfInvalid) fatal(`invalid configuration — Peregrine will not start.\n${err.message}`);
    throw err;
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'route') {
    const args = process.argv.slice(3);
    if (args.includes('-h') || args.includes('--help')) return void process.stdout.write(`${ROUTE_USAGE}\n`);
    const file = configOption(args);
    const loaded = await load({ checkConfig: false, printConfig: false, version: false, help: false, ...(file ? { config: file } : {}) });
    let instances;
    try {
      instances = instancesOrThrow(loaded.config, registry.plugins);
    } catch (err) {
      if (err instanceof ConfigError) fatal(`invalid configuration.\n${err.message}`);
      throw err;
    }
    process.exitCode = runRoute(args, loaded.config, instances, {
      read: (file) => readFileSync(file ?? 0, 'utf8'),
      out: (line) => process.stdout.write(`${line}\n`),
    });
    return;
  }
  const sub = process.argv[2];
  if (sub === 'dlq' || sub === 'silence' || sub === 'explain') {
    const args = process.argv.slice(3);
    const file = configOption(args);
    const loaded = await load({ checkConfig: false, printConfig: false, version: false, help: false, ...(file ? { config: file } : {}) });
    const say = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
    // dlq goes through the running daemon's API when it answers, else the spool file (console/dlq-remote.ts).
    process.exitCode = sub === 'dlq' ? await runDlqCommand(args, loaded.config, say, instancesOrThrow(loaded.config, registry.plugins).map((i) => i.name)) : sub === 'silence' ? await runSilence(args, loaded.config, say) : await runExplain(args, loaded.config, say);
    return;
  }
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    fatal(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (cli.help) return void process.stdout.write(`${USAGE}\n`);
  if (cli.version) return void process.stdout.write(`peregrine ${VERSION}\n`);

  // The effective config with every key: every output's section, not only the mentioned ones.
  if (cli.printConfig) await registry.load('all');
  const loaded = await load(cli);
  if (cli.checkConfig) {
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    // The start would stop on an unusable spool.dir: so does the check (nothing is created).
    const spool = loaded.config.spool.enabled ? spoolDirProblem(loaded.config.spool.dir, join(loaded.config.spool.dir, SPOOL_FILE)) : undefined;
    if (spool) fatal(`invalid configuration — Peregrine will not start.\n${spool.message}`);
    process.stdout.write(`config OK (${loaded.source}${loaded.envApplied.length ? ` + env ${loaded.envApplied.join(', ')}` : ''}); outputs: ${loaded.enabled.join(', ') || 'none'}\n`);
    return;
  }
  if (cli.printConfig) return void process.stdout.write(loadYaml().stringify(redactConfig(loaded.schema, loaded.config)));

  const { config } = loaded;
  // Before buildApp, which may start the spool's writer thread.
  limitWorkerYoungGeneration();
  let app;
  try {
    // A reload reads the same file (or the embedded default) with the environment of the start.
    const file = loaded.source === 'embedded default' ? undefined : loaded.source;
    app = buildApp(config, { plugins: registry.plugins, reload: { load: () => load(cli, false), file, source: loaded.source } });
  } catch (err) {
    if (err instanceof ConfigError) fatal(`invalid configuration — Peregrine will not start.\n${err.message}`);
    throw err;
  }
  for (const w of loaded.warnings) app.log.warn(w);
  logProcessWarnings(app.log);
  const heap = tuneHeap();
  if (heap) app.log.debug({ v8: heap.flag }, 'V8 heap growth paced');

  app.startOutputs();
  const host = config.listenaddress || '0.0.0.0';
  // Routes and schemas are compiled in ready(); startup's garbage is collected after it and before
  // listening, so that no request waits for that GC (~0.1–0.3 s, src/heap.ts).
  await Promise.all([app.server.ready(), app.statusServer?.ready(), app.consoleServer?.ready()]);
  app.log.debug({ ms: Math.round(collectStartupGarbage()) }, 'startup garbage collected');
  const listen = async (server: { listen(o: { host: string; port: number }): Promise<unknown> }, key: string, listenHost: string, port: number) => {
    try {
      await server.listen({ host: listenHost, port });
    } catch (err) {
      fatal(`cannot listen on ${listenHost}:${port} (${key}): ${(err as Error).message}`);
    }
  };
  await listen(app.server, 'listenaddress, listenport', host, config.listenport);
  if (app.statusServer) await listen(app.statusServer, 'tlsserver.notlsport', host, config.tlsserver.notlsport);
  if (app.consoleServer) await listen(app.consoleServer, 'console.address, console.port', config.console.address || host, config.console.port);
  const scheme = config.tlsserver.deploy ? 'https' : 'http';
  const port = (app.server.server.address() as AddressInfo).port;
  app.log.info({ address: `${scheme}://${host}:${port}`, outputs: loaded.enabled, config: loaded.source, version: VERSION }, 'peregrine listening');
  process.stderr.write(
    [
      '',
      `  Peregrine ${VERSION} listening on ${scheme}://${host}:${port}   (config: ${loaded.source})`,
      `  outputs: ${loaded.enabled.join(', ') || 'none'}`,
      `  try:     curl -X POST localhost:${port}/test`,
      '',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    stopWatching();
    app.log.info({ signal, drainMs: config.shutdown.drainms }, 'shutting down: draining output queues');
    app.shutdown().then(
      (left) => {
        const undelivered = Object.values(left).reduce((a, b) => a + b, 0);
        const kept = Object.values(app.keptInSpool).reduce((a, b) => a + b, 0);
        if (app.spool) {
          // Nothing is lost with the spool on: say what waits in it rather than "undelivered: 0".
          app.log.info(
            { keptInSpool: kept, byOutput: app.keptInSpool, spool: app.spool.path },
            kept ? `stopped: ${kept} undelivered alerts stay in the spool and are sent after the next start` : 'stopped: every accepted alert was delivered; nothing waits in the spool',
          );
        } else app.log.info({ undelivered }, undelivered ? `stopped: ${undelivered} alerts were not delivered and are lost (memory-only mode)` : 'stopped');
        app.log.flush();
        process.exitCode = undelivered ? 3 : 0;
      },
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Hot reload (src/reload/): SIGHUP, and a change of the config file unless reload.watch is false.
  const file = loaded.source === 'embedded default' ? undefined : loaded.source;
  const stopWatching =
    file && config.reload.watch
      ? watchConfigFile(file, { debounceMs: config.reload.debouncems, clock: systemClock, log: app.log.child({ component: 'reload' }), changed: () => void app.reloader.fileChanged() })
      : () => {};
  process.on('SIGHUP', () => {
    app.log.info({ signal: 'SIGHUP' }, 'reloading the config');
    void app.reloader.reload('signal');
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// A sub-command's mistake or a failure it met: a message and a status, never a stack trace.
await main().catch((err: unknown) => {
  if (err instanceof UsageError) fatal(`${err.message} (see peregrine ${process.argv[2] ?? ''} --help)`, 2);
  if (err instanceof ConfigError) fatal(`invalid configuration.\n${err.message}`);
  if (err instanceof DaemonError) fatal(err.message);
  fatal(`${(err as Error).message ?? String(err)}`);
});
