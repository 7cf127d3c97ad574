// Smoke test of the Loki push API test server (VictoriaLogs, see test/infra/victorialogs/state.ts).
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOKI_PUSH_PATH, timeNanos, type VictoriaLogsInfra, waitForLogs } from '../../infra/victorialogs/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('victorialogs'))('infra: victorialogs Loki push API', () => {
  let vl: VictoriaLogsInfra;
  beforeAll(async () => {
    vl = await useInfra<VictoriaLogsInfra>('victorialogs');
  });

  it('state file has the documented shape', () => {
    expect(vl).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), log: expect.any(String) });
  });

  it('a pushed JSON line comes back as sent, with its labels and its nanosecond time; a tenant is a numeric AccountID', async () => {
    const run = randomUUID();
    const line = '{"evt.time":1700000000167531875}';
    const push = { streams: [{ stream: { run, rule: 'R' }, values: [['1795170096167531875', line]] }] };
    const res = await request(`${vl.url}${LOKI_PUSH_PATH}`, { method: 'POST', body: JSON.stringify(push), headers: { 'content-type': 'application/json', 'x-scope-orgid': '7' } });
    expect(res.statusCode).toBe(204);
    await res.body.dump();
    const [got] = await waitForLogs(vl, `{run="${run}"}`, { tenant: '7' });
    expect(got?._msg).toBe(line);
    expect(got?._stream).toBe(`{rule="R",run="${run}"}`);
    expect(timeNanos(got?._time ?? '')).toBe(1795170096167531875n);
  });
});
