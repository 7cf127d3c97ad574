// An alert with 200k keys used to block the event loop for seconds. ingest.maxfields bounds the
// keys (and list items) of one alert, with a clear 400; it is configurable.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
});

const alertWith = (n: number) =>
  JSON.stringify({ rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i])) });

describe('keys per alert', () => {
  it('are limited by ingest.maxfields (default 1000) with a clear 400, fast', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    const huge = alertWith(200_000);
    // CPU time of this process (client and app), not wall time: a loaded machine slows the wall clock,
    // a loop over 200k keys costs CPU seconds either way.
    const started = process.cpuUsage();
    const res = await app.post(huge);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'ERR_ALERT_INVALID', message: 'more than 1000 keys and list items in one alert (ingest.maxfields): Falco alerts carry a few dozen fields', path: 'output_fields' },
    });
    expect((await app.post(alertWith(990))).status).toBe(200);
  });

  it('takes its limit from the config', async () => {
    app = await startApp('stdout:\n  enabled: false\ningest:\n  maxfields: 20\n');
    expect((await app.post(alertWith(10))).status).toBe(200);
    const res = await app.post(alertWith(25));
    expect(res.status).toBe(400);
    expect(res.body).toContain('more than 20 keys');
  });
});
