// Shared by the elasticsearch output's integration tests: alerts to post, raw-text reads from the
// cluster (so big integers are compared as written, not through JS numbers), and a counting plugin.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { expect } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import type { RunningApp } from '../../support/app.ts';
import plugin from '../../../outputs/elasticsearch/index.ts';
import type { AnyOutputPlugin } from '../../../src/plugin/types.ts';

export const unique = (what: string) => `peregrine-it-${what}-${randomUUID().slice(0, 8)}`;

/** Falco-shaped alert i with uuid `<prefix>-<i>`, optionally another time and extra output_fields. */
export function alertJson(prefix: string, i: number, opts: { time?: string; fields?: string } = {}): string {
  let text = falcoAlertJson(i).replace(`"uuid":"alert-${i}"`, `"uuid":"${prefix}-${i}"`);
  if (opts.time) text = text.replace('"time":"2026-11-20T10:21:36.167531875Z"', `"time":"${opts.time}"`);
  if (opts.fields) text = text.replace('"output_fields":{', `"output_fields":{${opts.fields},`);
  return text;
}

/** Posts alerts [from, to) as JSON arrays of `per` alerts. */
export async function postRange(app: RunningApp, prefix: string, from: number, to: number, per = 500, opts: Parameters<typeof alertJson>[2] = {}) {
  for (let start = from; start < to; start += per) {
    const batch: string[] = [];
    for (let i = start; i < Math.min(to, start + per); i++) batch.push(alertJson(prefix, i, opts));
    const res = await app.post(`[${batch.join(',')}]`);
    expect(res.status, res.body).toBe(200);
  }
}

export interface Cluster {
  url: string;
  auth?: string;
}

export async function call(c: Cluster, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.auth) headers.authorization = c.auth;
  const res = await request(`${c.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, text: await res.body.text() };
}

export async function count(c: Cluster, index: string): Promise<number> {
  await call(c, 'POST', `/${index}/_refresh`);
  const res = await call(c, 'GET', `/${index}/_count`);
  expect(res.status, res.text).toBe(200);
  return (JSON.parse(res.text) as { count: number }).count;
}

/** The `_source` of a document as the raw text the cluster holds. */
export async function rawSource(c: Cluster, index: string, id: string): Promise<string> {
  const res = await call(c, 'GET', `/${index}/_doc/${id}`);
  expect(res.status, res.text).toBe(200);
  const at = res.text.indexOf('"_source":');
  expect(at).toBeGreaterThan(0);
  return res.text.slice(at + '"_source":'.length, res.text.lastIndexOf('}'));
}

/** Compares a stored document with the alert that was posted, field by field, big integers as text. */
export function expectSameAlert(raw: string, posted: string, flat = false) {
  const sent = JSON.parse(posted) as Alert & { output_fields: Record<string, unknown> };
  const got = JSON.parse(raw) as Record<string, unknown> & { output_fields: Record<string, unknown> };
  expect(got['@timestamp']).toBe(sent.time);
  for (const key of ['uuid', 'output', 'priority', 'rule', 'time', 'source', 'tags', 'hostname'] as const) expect(got[key], key).toEqual(sent[key]);
  const bigText = /"evt\.time":(\d+)/.exec(posted)?.[1] as string;
  expect(raw).toContain(`"${flat ? 'evt_time' : 'evt.time'}":${bigText}`);
  for (const [k, v] of Object.entries(sent.output_fields)) {
    if (k === 'evt.time') continue;
    expect(got.output_fields[flat ? k.replaceAll('.', '_') : k], k).toEqual(v);
  }
}

/** The plugin, counting _bulk requests. */
export function countingPlugin(): { plugin: AnyOutputPlugin; requests: () => number } {
  let n = 0;
  const base = plugin as AnyOutputPlugin;
  const counted: AnyOutputPlugin = {
    ...base,
    sendBatch(alerts, ctx) {
      n++;
      return base.sendBatch(alerts, ctx);
    },
  };
  return { plugin: counted, requests: () => n };
}

/** A pino logger whose lines are kept for assertions. */
export function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

export async function deliveredAll(app: RunningApp, n: number, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = app.workers[0]?.healthSnapshot();
    if (h && h.delivered + h.deadLettered >= n && h.queued === 0) return;
    if (Date.now() > deadline) throw new Error(`not delivered in time: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
