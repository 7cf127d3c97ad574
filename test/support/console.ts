// Helpers for console and trail tests: an output whose outcome per alert the test scripts, and a
// small client for the console API.
import { z } from 'zod';
import { request } from 'undici';
import type { Alert } from '../../src/alert/alert.ts';
import type { Outcome } from '../../src/dispatch/result.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { fixtureText } from './fixtures.ts';

export const ADMIN = 'admin-secret-token';
export const READER = 'read-only-token';

/** The console section of a test config: on, both tokens. */
export const CONSOLE_YAML = `console:\n  enabled: true\n  token: ${ADMIN}\n  readtoken: ${READER}\n  ratelimit: 1000\n`;

/**
 * An output named `name` that answers each alert with what `decide` says (ok by default); a
 * promise from `decide` holds the request until it settles.
 */
export function scriptedOutput(name = 'scripted'): { plugin: AnyOutputPlugin; decide: (fn: (alert: Alert, attempt: number) => Outcome | Promise<Outcome>) => void; sent: Alert[] } {
  let decide: (alert: Alert, attempt: number) => Outcome | Promise<Outcome> = () => ({ kind: 'ok' });
  const attempts = new Map<string, number>();
  const sent: Alert[] = [];
  const plugin: AnyOutputPlugin = {
    name,
    description: 'test output with scripted outcomes',
    schema: z.object({ enabled: z.boolean().default(false).describe('on') }),
    example: { enabled: true },
    enabled: (o) => (o as { enabled: boolean }).enabled,
    batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
    sendBatch: async (alerts) => {
      const outcomes = await Promise.all(
        alerts.map((a) => {
          const n = (attempts.get(a.uuid) ?? 0) + 1;
          attempts.set(a.uuid, n);
          sent.push(a);
          return decide(a, n);
        }),
      );
      return { kind: 'partial', items: outcomes };
    },
  };
  return { plugin, decide: (fn) => (decide = fn), sent };
}

/** The fixture alert with some fields replaced (uuid, priority, rule, hostname, namespace, output). */
export function alertJson(fields: { uuid: string; priority?: string; rule?: string; hostname?: string; namespace?: string; output?: string; source?: string }): string {
  const alert = JSON.parse(fixtureText('alerts/falco-shell.json')) as Record<string, unknown> & { output_fields: Record<string, unknown> };
  alert.uuid = fields.uuid;
  if (fields.priority) alert.priority = fields.priority;
  if (fields.rule) alert.rule = fields.rule;
  if (fields.hostname) alert.hostname = fields.hostname;
  if (fields.output) alert.output = fields.output;
  if (fields.source) alert.source = fields.source;
  if (fields.namespace) alert.output_fields['k8s.ns.name'] = fields.namespace;
  return JSON.stringify(alert);
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** Calls the console API; `token` undefined sends no Authorization header. */
export async function api<T = Record<string, unknown>>(
  base: string,
  path: string,
  options: { token?: string; method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const res = await request(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}
