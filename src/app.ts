// buildApp(config) wires ingest → router → workers and returns servers that are not listening yet;
// main.ts listens, tests use inject() or port 0.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { instancesOrThrow, type OutputInstance } from './config/instances.ts';
import { sharedOf, type Config, type OutputSection } from './config/schema.ts';
import { countDeadLettered, countDropped } from './dispatch/accounting.ts';
import { systemClock, type Clock } from './dispatch/clock.ts';
import { MemoryDeadLetterStore, type DeadLetterStore } from './dispatch/dead-letter.ts';
import { Router } from './dispatch/router.ts';
import { OutputWorker, type DeliverySettings } from './dispatch/worker.ts';
import { buildEnricher } from './enrich/enrich.ts';
import { ConfigError, ErrorCodes, RequestError } from './errors.ts';
import { Ingest } from './ingest/ingest.ts';
import { INGEST_MEDIA_TYPES } from './ingest/body.ts';
import { PRIORITIES } from './alert/priority.ts';
import { limitConnectionAge } from './ingest/connection-age.ts';
import { ENDPOINTS, isIngestRoute, pathOf, registerIngestRoutes, registerStatusRoutes, type RouteDeps } from './ingest/routes.ts';
import { resolveClientTls } from './plugin/tls.ts';
import { capConnections, clientErrorHandler, timeoutOptions } from './ingest/connection-limits.ts';
import type { AnyOutputPlugin } from './plugin/types.ts';
import { createLogger } from './telemetry/logger.ts';
import { Metrics } from './telemetry/metrics.ts';
import { USER_AGENT } from './version.ts';
import type { Alert } from './alert/alert.ts';
import { parseList } from './config/forms.ts';
import { redactAlert } from './config/redact.ts';
import { SpoolDeadLetterStore } from './spool/dead-letters.ts';
import { Spool, type SpoolWriterMode } from './spool/spool.ts';
import { recoverSpool } from './spool/recover.ts';
import { registerSilenceRoutes } from './noise/api.ts';
import type { NoiseControl } from './noise/noise.ts';
import { createNoise } from './noise/wire.ts';
import { persistNoise } from './noise/persist.ts';
import { scheduleMaintenance } from './spool/maintenance.ts';
import { authenticate, requireAdmin } from './console/auth.ts';
import { attachConsole } from './console/index.ts';
import { consoleOnPlainPort, isConsolePath } from './console/tls-paths.ts';
import { createTrail } from './trail/create.ts';
import { registerReloadRoute } from './reload/api.ts';
import { Reloader } from './reload/reloader.ts';
import type { Trail } from './trail/recorder.ts';

export interface AppDeps {
  /** The outputs the config mentions (main.ts: the registry's live list, which a reload may grow). */
  plugins: readonly AnyOutputPlugin[];
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  healthIntervalMs?: number;
  defaultMetrics?: boolean;
  /** How a reload reads the config again (main.ts: the same file and env as at start); without it a reload re-applies `config`. */
  reload?: { load(): Promise<{ config: Config; source: string }> | { config: Config; source: string }; file: string | undefined; source: string };
  /** Where the spool commits its batches (spool.ts); `auto` unless a test needs one path. */
  spoolWriter?: SpoolWriterMode;
}

export interface App {
  server: FastifyInstance;
  /** The plain-HTTP server on tlsserver.notlsport for tlsserver.notlspaths (TLS on and paths listed). */
  statusServer: FastifyInstance | undefined;
  /** The running outputs (a reload replaces the list's contents). */
  workers: OutputWorker[];
  ingest: Ingest;
  deadLetters: DeadLetterStore;
  spool: Spool | undefined;
  noise: NoiseControl;
  metrics: Metrics;
  log: Logger;
  /** The delivery trail and activity counters (undefined when trail and console are off). */
  trail: Trail | undefined;
  /** The console's own listener when console.port is set (main.ts listens on it). */
  consoleServer: FastifyInstance | undefined;
  /** Hot reload: SIGHUP, the file watcher and POST /api/v1/reload call reloader.reload(). */
  reloader: Reloader;
  /** Connects every output in the background; alerts queue until each is connected. */
  startOutputs(): void;
  /** Stops ingest, drains queues within shutdown.drainms, closes clients. Returns undelivered counts ({} with the spool on: see keptInSpool). */
  shutdown(drainMs?: number): Promise<Record<string, number>>;
  /** After shutdown with the spool on: undelivered alerts per output, kept in the spool for the next start. */
  keptInSpool: Record<string, number>;
}

/** With the spool on, the spool bounds the backlog (spool.maxbytes): a memory queue never sheds an acknowledged alert. */
const SPOOL_BOUND = { maxalerts: Number.MAX_SAFE_INTEGER, maxbytes: Number.MAX_SAFE_INTEGER };

export function deliverySettings(section: OutputSection, plugin: AnyOutputPlugin, spoolOn = false): DeliverySettings {
  const legacy = plugin.legacySettings?.(section as never) ?? {};
  const batch = { ...(plugin.batch ?? { maxevents: 1, maxbytes: Number.MAX_SAFE_INTEGER, flushms: 0 }), ...legacy.batch };
  return {
    timeoutms: section.timeoutms,
    maxconcurrency: section.maxconcurrency ?? legacy.maxconcurrency ?? plugin.concurrency ?? 1,
    retry: section.retry,
    queue: spoolOn ? SPOOL_BOUND : section.queue,
    batch: {
      maxevents: section.batch.maxevents ?? batch.maxevents,
      maxbytes: section.batch.maxbytes ?? batch.maxbytes,
      flushms: section.batch.flushms ?? batch.flushms,
    },
    sendrate: {
      requestspersecond: section.sendrate.requestspersecond ?? plugin.sendrate?.requestspersecond ?? 0,
      burst: section.sendrate.burst ?? plugin.sendrate?.burst ?? 1,
    },
  };
}

/** What every ingest server takes from `ingest`: body limit, timeouts, requests per connection (and the TLS listener adds its keys). */
function plainServerOptions(config: Config, onReject: (e: RequestError) => void): FastifyServerOptions & { http: object } {
  const { node, ...timeouts } = timeoutOptions(config.ingest);
  return {
    logger: false,
    bodyLimit: config.ingest.maxbodybytes,
    ...timeouts,
    http: node,
    clientErrorHandler: clientErrorHandler(onReject),
    return503OnClosing: true,
    forceCloseConnections: 'idle' as const,
    maxRequestsPerSocket: config.ingest.maxrequestsperconnection,
  };
}

function serverOptions(config: Config, onReject: (e: RequestError) => void): FastifyServerOptions & { http: object; https?: unknown } {
  const base = plainServerOptions(config, onReject);
  const tls = config.tlsserver;
  if (!tls.deploy) return base;
  const read = (file: string, key: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError([{ path: `tlsserver.${key}`, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
    }
  };
  return {
    ...base,
    https: {
      ...base.http,
      cert: read(tls.certfile, 'certfile'),
      key: read(tls.keyfile, 'keyfile'),
      ...(tls.mutualtls ? { ca: read(tls.cacertfile, 'cacertfile'), requestCert: true, rejectUnauthorized: true } : {}),
    },
  };
}

function installErrorHandling(server: FastifyInstance, log: Logger, onReject: (e: RequestError) => void): void {
  server.removeAllContentTypeParsers();
  // Everything arrives as bytes; routes decode (gzip, JSON, NDJSON, text) with precise errors.
  // The types ingest reads are named: fastify caches the parser of a named type, and parses the
  // Content-Type header of a request only the catch-all matches anew every time.
  const asBytes = (_req: unknown, body: Buffer | string, done: (err: null, body: Buffer | string) => void) => done(null, body);
  server.addContentTypeParser([...INGEST_MEDIA_TYPES], { parseAs: 'buffer' }, asBytes);
  server.addContentTypeParser('*', { parseAs: 'buffer' }, asBytes);
  server.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    // The connection already got its answer (a protocol error, answered and counted by the
    // clientErrorHandler) or is gone: nothing to send, nothing more to count.
    const socket = request.raw.socket as { writable?: boolean; destroyed?: boolean } | undefined;
    if (socket?.destroyed === true || socket?.writable === false) return reply.hijack();
    let known: RequestError;
    if (error instanceof RequestError) known = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      known = new RequestError(ErrorCodes.BODY_TOO_LARGE, 413, `the body is larger than ingest.maxbodybytes (${server.initialConfig.bodyLimit} bytes); send fewer alerts per request`);
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      known = new RequestError(ErrorCodes.ALERT_INVALID, error.statusCode, error.message);
    } else {
      // The path only: a query string can carry a token (?apikey=…).
      log.error({ err: error, method: request.method, path: pathOf(request.url) }, 'unexpected error handling a request');
      known = new RequestError(ErrorCodes.INTERNAL, 500, 'internal error; the details are in the Peregrine log');
    }
    // Counted as a rejected input only on the routes that take alerts (not the silences, reload or console APIs).
    if (isIngestRoute(request)) onReject(known);
    return reply.code(known.status).send(known.toBody());
  });
  server.setNotFoundHandler((request, reply) =>
    reply.code(404).send(new RequestError(ErrorCodes.NOT_FOUND, 404, `no route ${request.method} ${request.url}; Falco posts to /`).toBody()),
  );
}

export function buildApp(config: Config, deps: AppDeps): App {
  const plugins = deps.plugins;
  const names = plugins.map((p) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`two outputs are registered as "${duplicate}": names must be unique (folder == name == YAML key)`);
  const clock = deps.clock ?? systemClock;
  const log = deps.logger ?? createLogger(config.debug ? 'debug' : config.loglevel);
  const metrics = new Metrics({
    defaultMetrics: deps.defaultMetrics,
    events: {
      customfields: config.customfields,
      templatedfields: Object.keys(config.templatedfields),
      extralabels: parseList(config.prometheus.extralabels),
      podlabel: config.prometheus.podlabel,
    },
  });
  const spool = config.spool.enabled ? Spool.open(config.spool, log.child({ component: 'spool' }), { writer: deps.spoolWriter ?? 'auto', clock, intake: true }) : undefined;
  const deadLetters: DeadLetterStore = spool
    ? new SpoolDeadLetterStore(spool)
    : new MemoryDeadLetterStore(config.deadletter.maxentries, () => metrics.deadLetterEvicted.inc(), config.deadletter.maxbytes);
  const instances = instancesOrThrow(config, plugins, { onTemplateError: (field: string) => metrics.templateErrors.inc({ field }) });
  // The running outputs. These three are live: a config reload (src/reload/) replaces their
  // contents between two alerts, and /healthz, the console, the spool and noise control read them.
  const workers: OutputWorker[] = [];
  const outputNames: string[] = [];
  // The trail says why an output did not take an alert: the first condition of its filter that failed.
  const filters = new Map(instances.map((instance) => [instance.name, instance.filter]));
  const trail = createTrail({
    config: config.trail,
    consoleEnabled: config.console.enabled,
    outputs: outputNames,
    filters,
    spool,
    clock,
    log: log.child({ component: 'trail' }),
    onUntracked: (reason, alerts) => metrics.trailUntracked.inc({ reason }, alerts),
  });

  const buildWorker = (instance: OutputInstance, cfg: Config) =>
    new OutputWorker(instance.name, instance.plugin, instance.options, deliverySettings(instance.options, instance.plugin, spool !== undefined), {
      clock,
      metrics,
      log: log.child({ output: instance.name }),
      deadLetters,
      ...(trail ? { trail } : {}),
      ...(spool ? { journal: spool } : {}),
      connect: {
        tls: resolveClientTls(cfg),
        userAgent: USER_AGENT,
        enrichment: { customfields: Object.keys(cfg.customfields), templatedfields: Object.keys(cfg.templatedfields) },
        shared: sharedOf(cfg, instance.plugin),
        outputs: () => workers.map((w) => ({ name: w.name, type: w.plugin.name })),
      },
      ...(instance.overlay ? { derive: instance.overlay } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.healthIntervalMs !== undefined ? { healthIntervalMs: deps.healthIntervalMs } : {}),
    });
  workers.push(...instances.map((instance) => buildWorker(instance, config)));
  outputNames.push(...workers.map((w) => w.name));
  const router = new Router(workers.map((worker, i) => ({ worker, filter: (instances[i] as OutputInstance).filter })));
  const payloadLog = log.child({ component: 'ingest' });
  const buildPipeline = (cfg: Config) => ({
    enrich: buildEnricher(
      {
        customfields: cfg.customfields,
        customtags: cfg.customtags,
        templatedfields: cfg.templatedfields,
        bracketreplacer: cfg.bracketreplacer,
        outputfieldformat: cfg.outputfieldformat,
      },
      { onTemplateError: (field: string) => metrics.templateErrors.inc({ field }) },
    ),
    // falcosidekick's debug: true prints every payload; so does Peregrine's (secret-looking fields redacted).
    onAccepted: cfg.debug ? (alert: Alert) => payloadLog.debug({ payload: redactAlert(alert) }, "Falco's payload") : undefined,
  });
  const { enrich, onAccepted } = buildPipeline(config);
  const noise = createNoise(config, instances, workers, { clock, metrics, log, spool });
  const ingest = new Ingest({
    enrich,
    router,
    metrics,
    clock,
    noise,
    limits: { maxfields: config.ingest.maxfields },
    onError: (err) => payloadLog.error({ err: (err as Error).message }, 'an accepted alert could not be counted or logged (it is queued)'),
    ...(spool ? { spool } : {}),
    ...(onAccepted ? { onAccepted } : {}),
    ...(trail ? { trail } : {}),
  });
  let stopMaintenance = () => {};
  if (spool) {
    metrics.spoolBytes = () => spool.bytes;
    spool.onCommit = (seconds) => metrics.spoolCommit.observe(seconds);
    spool.onEvict = (id, outputs, priority) => {
      for (const output of outputs) {
        // The worker that holds it drops and counts it: a running one, or one a reload is retiring
        // (its queue waits for the handover). None: its delivery already ended, unless no worker of
        // that name is left to count it.
        let named = false;
        for (const group of [workers, reloader.retiring]) {
          for (const worker of group) {
            if (worker.name !== output) continue;
            named = true;
            if (worker.discard(id, priority)) break;
          }
        }
        if (!named) countDropped(metrics, output, 'spool_full', PRIORITIES[priority] ?? String(priority), 1);
      }
    };
    recoverSpool(
      spool,
      workers,
      deadLetters,
      clock,
      log,
      (output, n) => countDeadLettered(metrics, output, 'output_removed', n),
      (output) => countDeadLettered(metrics, output, 'unreadable', 1),
    );
    persistNoise(noise, spool, clock.now(), log);
    metrics.spoolDegraded = () => (spool.health.degraded ? 1 : 0);
    if (spool.lostAtOpen > 0) metrics.spoolLost.inc(spool.lostAtOpen);
    spool.health.onError = (op) => metrics.spoolErrors.inc({ op });
    stopMaintenance = scheduleMaintenance(spool);
  }

  const reloader = new Reloader(
    {
      load: deps.reload?.load ?? (() => ({ config, source: 'the config given to buildApp' })),
      file: deps.reload?.file,
      plugins,
      config,
      instances,
      workers,
      filters,
      outputNames,
      ingest,
      noise,
      buildWorker,
      buildPipeline,
      onTemplateError: (field) => metrics.templateErrors.inc({ field }),
      setLogLevel: (level) => (log.level = level),
      metrics,
      log: log.child({ component: 'reload' }),
      clock,
    },
    deps.reload?.source ?? 'the config given to buildApp',
  );

  let accepting = true;
  const routeDeps: RouteDeps = {
    ingest,
    workers,
    metrics,
    deadLetters,
    token: config.ingest.token,
    maxBodyBytes: config.ingest.maxbodybytes,
    accepting: () => accepting,
    noiseHealth: (output) => noise.health(output),
    configStatus: () => reloader.status(),
    log,
    ...(spool ? { spool: () => spool.health.snapshot() } : {}),
  };
  const onReject = (e: RequestError) => ingest.reject(e, 'requests');

  // Each listener gets ingest's limits: the TLS one and, with tlsserver.notlspaths, the plain one.
  const limited = (target: FastifyInstance): FastifyInstance => {
    limitConnectionAge(target, config.ingest.maxconnectionagems, clock);
    capConnections(target.server, config.ingest, log.child({ component: 'ingest' }), () => metrics.connectionsRefused.inc());
    installErrorHandling(target, log, onReject);
    return target;
  };
  const server = limited(Fastify(serverOptions(config, onReject) as FastifyServerOptions));
  registerIngestRoutes(server, routeDeps);
  registerStatusRoutes(server, routeDeps);
  // The silences and reload APIs take the ingest token or the console's credentials. The console's
  // trusted header (set by its proxy) counts only where the console is served: with a listener of
  // its own (console.port), anyone who reaches the ingest port could send that header.
  const consoleAuth = (console: typeof config.console) => (request: FastifyRequest, write: boolean) => {
    const principal = authenticate(request, console);
    if (write) requireAdmin(principal);
  };
  const apisOn = (console: typeof config.console) => {
    const auth = config.console.enabled ? { consoleAuth: consoleAuth(console) } : {};
    return {
      silences: { silences: noise.silences, outputs: outputNames, token: config.ingest.token, clock, ...auth },
      reload: { reloader, token: config.ingest.token, log: log.child({ component: 'reload' }), ...auth },
    };
  };
  const onIngestPort = apisOn(config.console.port === 0 ? config.console : { ...config.console, trustedheader: '' });
  registerSilenceRoutes(server, onIngestPort.silences);
  registerReloadRoute(server, onIngestPort.reload);
  const consoleDeps = trail && config.console.enabled
    ? {
        config: config.console,
        workers,
        deadLetters,
        trail,
        trailStore: !trail.store ? ('off' as const) : spool ? ('spool' as const) : ('memory' as const),
        clock,
        log: log.child({ component: 'console' }),
      }
    : undefined;
  const consoleServer = consoleDeps ? attachConsole(server, consoleDeps) : undefined;
  // The console's own listener (console.port) serves the silences too, so its page can show them.
  if (consoleServer) {
    const onConsolePort = apisOn(config.console);
    registerSilenceRoutes(consoleServer, onConsolePort.silences);
    registerReloadRoute(consoleServer, onConsolePort.reload);
  }

  // falcosidekick moves each notlspaths route off the TLS server onto the plain one ("/" is its
  // catch-all, so listing it moves alert ingest on every other path too).
  let statusServer: FastifyInstance | undefined;
  const plainPaths = new Set(config.tlsserver.notlspaths);
  if (config.tlsserver.deploy && plainPaths.size > 0) {
    // The console's paths go as one, and only when listed (console/tls-paths.ts).
    const consolePlain = consoleOnPlainPort(config.tlsserver.notlspaths);
    const plain = (path: string) => (isConsolePath(path) ? consolePlain : plainPaths.has(path) || (plainPaths.has('/') && !ENDPOINTS.has(path)));
    const only = (target: FastifyInstance, servesPlain: boolean, why: string) =>
      target.addHook('onRequest', async (request, reply) => {
        if (plain(pathOf(request.url)) !== servesPlain) {
          return reply.code(404).send(new RequestError(ErrorCodes.NOT_FOUND, 404, `${pathOf(request.url)} ${why} (tlsserver.notlspaths)`).toBody());
        }
      });
    only(server, false, `is served over plain HTTP on port ${config.tlsserver.notlsport} only`);
    statusServer = limited(Fastify(plainServerOptions(config, onReject) as FastifyServerOptions));
    only(statusServer, true, 'is served over TLS only');
    registerIngestRoutes(statusServer, routeDeps);
    registerStatusRoutes(statusServer, routeDeps);
    if (consolePlain) {
      registerSilenceRoutes(statusServer, onIngestPort.silences);
      registerReloadRoute(statusServer, onIngestPort.reload);
      if (consoleDeps && config.console.port === 0) attachConsole(statusServer, consoleDeps);
    }
  }

  const keptInSpool: Record<string, number> = {};
  return {
    keptInSpool,
    server,
    statusServer,
    workers,
    ingest,
    deadLetters,
    spool,
    noise,
    metrics,
    log,
    trail,
    consoleServer,
    reloader,
    startOutputs() {
      for (const worker of workers) void worker.start();
    },
    async shutdown(drainMs = reloader.config.shutdown.drainms) {
      accepting = false;
      await Promise.all([server.close(), statusServer?.close(), consoleServer?.close()]);
      // No alert may be between a retiring output and its successor when the queues drain.
      await reloader.settle();
      // With the spool, open windows stay in it for the next start; without, their summaries go out now.
      await noise.close(spool === undefined);
      const left: Record<string, number> = {};
      await Promise.all(
        workers.map(async (worker) => {
          const undelivered = await worker.drain(drainMs, spool !== undefined);
          await worker.close();
          left[worker.name] = undelivered.length;
          if (undelivered.length && spool) {
            log.warn({ output: worker.name, undelivered: undelivered.length }, 'shutdown: undelivered alerts (the deadline passed, or they were set aside for failing alone) stay in the spool for the next start');
          } else if (undelivered.length) {
            log.error({ output: worker.name, undelivered: undelivered.length }, 'shutdown: these alerts were not delivered (the deadline passed, or they were set aside for failing alone); enable the spool to keep them');
          }
        }),
      );
      stopMaintenance();
      trail?.store?.close();
      spool?.close();
      if (spool) Object.assign(keptInSpool, left);
      return spool ? {} : left;
    },
  };
}
