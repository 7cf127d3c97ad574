// The datadog output inside the real app against the Events API stand-in (test/support/
// datadog-receiver.ts): every request valid by the Events API v1 schema, and each documented
// answer classified: retried (429 with X-RateLimit-Reset, 5xx), dead-lettered with Datadog's errors
// (400, 404), or held while the key is refused (403).
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { startDatadogEventsReceiver } from '../../test/support/datadog-receiver.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';
import type { SaasReceiver } from '../../test/support/saas-receiver.ts';

const KEY = '0123456789abcdef0123456789abcdef';
let app: RunningApp | undefined;
let dd: SaasReceiver | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await dd?.stop();
  app = dd = undefined;
});

async function run(apikey = KEY): Promise<{ app: RunningApp; dd: SaasReceiver }> {
  clock = new FakeClock();
  dd = await startDatadogEventsReceiver(KEY, () => clock.now());
  app = await startApp(`datadog:\n  apikey: ${apikey}\n  host: ${dd.url('/')}\n  timeoutms: 10000\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`, { healthIntervalMs: 100, clock });
  settle = settler(clock, app);
  return { app, dd };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'datadog' });
const OUTPUT = '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)';

describe('datadog: Events API v1 answers', () => {
  it("202: falcosidekick's event, one request per alert, to /api/v1/events?api_key=<key>", async () => {
    const { app: a, dd: r } = await run();
    await a.post(falcoAlertJson(1, 'Critical'));
    await a.post(falcoAlertJson(2, 'Warning'));
    await settle(async () => (await delivered(a)) === 2, '2 delivered');
    expect(r.invalid).toEqual([]);
    expect(r.accepted.map((q) => q.url)).toEqual([`/api/v1/events?api_key=${KEY}`, `/api/v1/events?api_key=${KEY}`]);
    expect(r.accepted[0]?.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'user-agent': expect.stringMatching(/^peregrine\//) });
    expect(r.accepted[0]?.headers['dd-api-key']).toBeUndefined();
    const tags = '"tags":["container.id:1f0a2e5c8d3b","k8s.ns.name:default","k8s.pod.name:web-7d9","proc.cmdline:sh -c id","user.name:root","source:syscall","source:falco","hostname:node-1","T1059","container","mitre_execution","shell"]';
    expect(r.accepted.map((q) => q.body)).toEqual([
      `{"title":"Terminal shell in container","text":"${OUTPUT}","alert_type":"error","source_type_name":"falco",${tags}}`,
      `{"title":"Terminal shell in container","text":"${OUTPUT}","alert_type":"warning","source_type_name":"falco",${tags}}`,
    ]);
  });

  it('403 for a key Datadog does not know: the output is failing, the alert held (not dead-lettered)', async () => {
    const { app: a, dd: r } = await run('ffffffffffffffffffffffffffffffff');
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers.find((w) => w.name === 'datadog')?.healthSnapshot().state === 'failing', 'failing');
    expect(r.accepted).toHaveLength(0);
    expect(a.deadLetters.size()).toBe(0);
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'datadog', reason: 'auth' })).toBeGreaterThan(0);
  });

  it("400: dead-lettered at once with Datadog's errors", async () => {
    const { app: a, dd: r } = await run();
    r.failNext({ kind: 'invalid', errors: ['Event title is required'] });
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'datadog', reason: 'rejected', attempts: 1, detail: 'HTTP 400: Event title is required' });
    expect(r.requests).toHaveLength(1);
  });

  it('429 with X-RateLimit-Reset: the next attempt waits for the window (maxbackoffms bounds it)', async () => {
    const { app: a, dd: r } = await run();
    r.failNext({ kind: 'throttle', retryAfter: '0.4' });
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(r.requests).toHaveLength(2);
    expect((r.requests[1]?.clockAt ?? 0) - (r.requests[0]?.clockAt ?? 0)).toBeGreaterThanOrEqual(400);
  });
});

saasFaultMatrix({
  output: 'datadog',
  start: async () => {
    const { app: a, dd: r } = await run();
    app = dd = undefined; // the matrix stops them
    return { app: a, receiver: r, clock };
  },
  goneHint: '(no Datadog API here: check datadog.host)',
});
