// Starts a Peregrine app from YAML on a free loopback port, with a silent logger.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { request } from 'undici';
import { buildApp, type App, type AppDeps } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { outputs } from './outputs.ts';
import { metricSum } from './metrics.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningApp extends App {
  url: string;
  /** Replaces the config file (same listener and spool lines as at start); reloader.reload() reads it. */
  rewrite(yaml: string): void;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Shuts down, draining the queues for up to 2 s (what a test that checks the drain wants). */
  stop(): Promise<Record<string, number>>;
  /**
   * Tears down without draining: in-flight requests are aborted; what is queued stays in the spool,
   * or is dropped in memory-only mode. For afterEach, where a drain would only wait out retries
   * to a destination the test left refusing or hanging.
   */
  close(): Promise<Record<string, number>>;
}

export async function startApp(yaml: string, deps: Partial<AppDeps> & { extraPlugins?: AnyOutputPlugin[] } = {}): Promise<RunningApp> {
  // An extra plugin replaces a registered one of the same name (tests written before registration).
  const extra = deps.extraPlugins ?? [];
  const plugins = [...outputs.filter((p) => !extra.some((e) => e.name === p.name)), ...extra];
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-app-'));
  // The spool is on by default (in ./data); an in-process test that does not ask for it runs memory-only.
  const spool = /^spool:/m.test(yaml) ? '' : 'spool:\n  enabled: false\n';
  const file = join(dir, 'peregrine.yaml');
  const write = (text: string) => writeFileSync(file, `listenaddress: 127.0.0.1\nlistenport: 0\n${spool}${text}`);
  write(yaml);
  const load = () => loadConfig({ file, env: {}, plugins, cwd: dir });
  const { config } = load();
  const app = buildApp(config, {
    logger: pino({ level: process.env.PEREGRINE_TEST_LOG ?? 'silent' }),
    defaultMetrics: false,
    reload: { load, file, source: file },
    ...deps,
    plugins,
  });
  // The folder holds the config file (and ./data, a spool the test did not place): gone with the app.
  const shutdown = app.shutdown.bind(app);
  app.shutdown = async (drainMs) => {
    try {
      return await shutdown(drainMs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  app.startOutputs();
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  return Object.assign(app, {
    url,
    rewrite: write,
    async post(body: unknown, headers: Record<string, string> = {}) {
      const res = await request(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
      return { status: res.statusCode, body: await res.body.text() };
    },
    stop: () => app.shutdown(2000),
    close: () => app.shutdown(0),
  });
}

export function metricValue(app: App, name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricSum(app.metrics.registry, name, labels);
}
