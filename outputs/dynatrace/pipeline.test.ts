// dynatrace inside the real app against the Logs ingest API v2 stand-in (test/support/
// dynatrace-receiver.ts): each request valid by the API's documented schema, one record per alert
// with the token; a refused token holds the alerts; 429 waits its Retry-After; a record Dynatrace
// drops (the 200 partial success) and a 400 are dead-lettered with Dynatrace's words. And its keys.
import { afterEach, describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { startApp, type RunningApp } from '../../test/support/app.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { startDynatraceReceiver } from '../../test/support/dynatrace-receiver.ts';
import { FAST_RETRY, settled } from '../../test/support/json-post.ts';
import { waitFor } from '../../test/support/receiver.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';

const TOKEN = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.0123456789abcdef';
// The fixture alerts' time is 2026-11-20T10:21:36Z: "now" for the API is ten minutes later.
const NOW = Date.parse('2026-11-20T10:31:36Z');

let app: RunningApp | undefined;
let dt: SaasReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await dt?.stop();
  app = dt = undefined;
});

async function run(token = TOKEN, apiurlPath = '/api/'): Promise<{ a: RunningApp; r: SaasReceiver }> {
  dt = await startDynatraceReceiver(TOKEN, () => NOW);
  app = await startApp(`dynatrace:\n  apitoken: ${token}\n  apiurl: ${dt.url(apiurlPath)}\n${FAST_RETRY}`);
  return { a: app, r: dt };
}

const record = (i: number) =>
  '{"timestamp":"2026-11-20T10:21:36Z",' +
  `"event.id":"alert-${i}","event.name":"Terminal shell in container","event.provider":"Falco","severity":"Notice","host.name":"node-1","log.source":"syscall",` +
  '"content":{"output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",' +
  `"output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":${1700000000167531875n + BigInt(i)},"proc.cmdline":"sh -c id","k8s.ns.name":"default","k8s.pod.name":"web-7d9","user.name":"root","proc.aname[2]":null},` +
  '"tags":["T1059","container","mitre_execution","shell"]},' +
  '"mitre.technique":"T1059","mitre.tactic":"mitre_execution","container.id":"1f0a2e5c8d3b","k8s.namespace.name":"default","k8s.pod.name":"web-7d9"}';

const health = (a: RunningApp) => a.workers.find((w) => w.name === 'dynatrace')?.healthSnapshot();

describe('dynatrace in the app', () => {
  it('one request per alert to <apiurl>/v2/logs/ingest (trailing slash trimmed): a JSON array of its record, Api-Token, valid by the API', async () => {
    const { a, r } = await run();
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i));
    await settled(a, 'dynatrace', 3);
    expect(r.invalid).toEqual([]);
    expect(r.accepted.map((q) => q.url)).toEqual(['/api/v2/logs/ingest', '/api/v2/logs/ingest', '/api/v2/logs/ingest']);
    expect(r.accepted.map((q) => q.body).sort()).toEqual([0, 1, 2].map((i) => `[${record(i)}]`));
    expect(r.accepted[0]?.headers).toMatchObject({ authorization: `Api-Token ${TOKEN}`, 'content-type': 'application/json; charset=utf-8', 'user-agent': expect.stringMatching(/^peregrine\//) });
    expect(a.deadLetters.size()).toBe(0);
  });

  it('401 for a wrong token: the output is failing, the alert held (not dead-lettered), the token nowhere in the reason', async () => {
    const { a, r } = await run('dt0c01.WRONG.token');
    await a.post(falcoAlertJson(1));
    await waitFor(() => health(a)?.state === 'failing', 10_000, 'failing');
    expect(r.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
    expect(JSON.stringify(health(a))).not.toContain('dt0c01.WRONG.token');
  });

  it('429 with Retry-After: sent again after it, delivered once', async () => {
    const { a, r } = await run();
    r.failNext({ kind: 'throttle', retryAfter: '1' });
    await a.post(falcoAlertJson(4));
    await settled(a, 'dynatrace', 1);
    expect(r.requests.map((q) => q.url)).toEqual(['/api/v2/logs/ingest', '/api/v2/logs/ingest']);
    expect(r.accepted).toHaveLength(1);
    expect(a.deadLetters.size()).toBe(0);
  });

  it('a record Dynatrace drops (timestamp over 24 h old: its 200 partial success) is dead-lettered with its words, once', async () => {
    const { a, r } = await run();
    await a.post(falcoAlertJson(5).replace('"time":"2026-11-20T10:21:36.167531875Z"', '"time":"2026-11-18T10:21:36.167531875Z"'));
    await settled(a, 'dynatrace', 1);
    expect(r.requests).toHaveLength(1);
    expect(a.deadLetters.list().map((d) => [d.reason, d.detail])).toEqual([
      ['rejected', 'Dynatrace did not ingest the record whole (HTTP 200: Only a part of input events were ingested: 1 of 1 events have a timestamp more than 24 hours in the past)'],
    ]);
  });

  it('400 (the API refuses the input): dead-lettered with Dynatrace\'s message and violations', async () => {
    const { a, r } = await run();
    r.failNext({ kind: 'invalid', errors: ['content is too deep'] });
    await a.post(falcoAlertJson(6));
    await settled(a, 'dynatrace', 1);
    expect(a.deadLetters.list().map((d) => d.detail)).toEqual(['HTTP 400: The input is invalid; body: content is too deep']);
  });
});

describe('dynatrace options', () => {
  const env = { DYNATRACE_APITOKEN: TOKEN, DYNATRACE_APIURL: 'https://abc12345.live.dynatrace.com/api' };
  it('loads DYNATRACE_APITOKEN, DYNATRACE_APIURL, DYNATRACE_CHECKCERT into dynatrace.*, the token redacted', () => {
    const loaded = configFromEnv({ ...env, DYNATRACE_CHECKCERT: 'false' });
    expect(loaded.config).toMatchObject({ dynatrace: { apitoken: TOKEN, apiurl: 'https://abc12345.live.dynatrace.com/api', checkcert: false } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain(TOKEN);
  });
  it('apiurl without apitoken is a config error naming it (falcosidekick stays off silently); a token alone leaves it off', () => {
    expect(envProblems({ DYNATRACE_APIURL: env.DYNATRACE_APIURL })).toEqual(['dynatrace.apitoken: is required when apiurl is set (an access token with the logs.ingest scope)']);
    expect(envProblems({ DYNATRACE_APITOKEN: TOKEN })).toEqual([]);
    expect(configFromEnv({ DYNATRACE_APITOKEN: TOKEN }).config).toMatchObject({ dynatrace: { apiurl: '' } });
    expect(envProblems(env)).toEqual([]);
    expect(envProblems({ ...env, DYNATRACE_APIURL: 'abc12345.live.dynatrace.com' })).toEqual([expect.stringMatching(/^dynatrace\.apiurl: must be an http\(s\) URL/)]);
  });
});
