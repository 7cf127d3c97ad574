// Protocol errors (bad chunking, Transfer-Encoding with Content-Length, a header flood) used to get
// Fastify's own error body and be counted inconsistently; the auth scheme was matched
// case-sensitively; numbers beyond double range became null with a 200. Now: the documented body,
// counted once in peregrine_ingest_rejected_total and inputs_total; "bearer" in any case; 1e400 refused.
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { rawExchange } from '../../support/raw-http.ts';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
});

const portOf = (a: RunningApp) => Number(new URL(a.url).port);
const ALERT = '{"rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"a":1}}';

describe('protocol errors', () => {
  it('get the documented error body and are counted once each', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    const port = portOf(app);
    const cases = [
      { name: 'bad chunking', data: `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${ALERT}\r\n0\r\n\r\n`, status: 400, code: 'ERR_HTTP_MALFORMED' },
      { name: 'TE + CL', data: `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: ${ALERT.length}\r\n\r\n${ALERT}`, status: 400, code: 'ERR_HTTP_MALFORMED' },
      { name: 'header flood', data: `POST / HTTP/1.1\r\nHost: x\r\n${'X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(2000)}\r\n`, status: 431, code: 'ERR_HEADERS_TOO_LARGE' },
    ];
    for (const c of cases) {
      const reply = await rawExchange(port, c.data);
      expect(reply.status, c.name).toBe(c.status);
      const body = JSON.parse(reply.body) as { error: { code: string; message: string } };
      expect(body.error.code, c.name).toBe(c.code);
      expect(Object.keys(body)).toEqual(['error']);
    }
    expect(await metricValue(app, 'peregrine_ingest_rejected_total', { code: 'ERR_HTTP_MALFORMED' })).toBe(2);
    expect(await metricValue(app, 'peregrine_ingest_rejected_total', { code: 'ERR_HEADERS_TOO_LARGE' })).toBe(1);
    expect(await metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { source: 'requests', status: 'rejected' })).toBe(3);
  });

  it('reads the body as JSON when Content-Type names no media type ("", ","), as falcosidekick does', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    for (const type of ['', ',', ' ;']) {
      const reply = await rawExchange(portOf(app), `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${ALERT.length}\r\nConnection: close\r\n\r\n${ALERT}`);
      expect(reply.status, JSON.stringify(type)).toBe(200);
    }
    expect(await metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { source: 'requests', status: 'accepted' })).toBe(3);
  });

  it('matches the Bearer scheme case-insensitively (RFC 9110)', async () => {
    app = await startApp('stdout:\n  enabled: false\ningest:\n  token: s3cret\n');
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR  ']) expect((await app.post(ALERT, { authorization: `${scheme} s3cret` })).status, scheme).toBe(200);
    expect((await app.post(ALERT, { authorization: 'Basic s3cret' })).status).toBe(401);
    expect((await app.post(ALERT, { authorization: 'bearer wrong' })).status).toBe(401);
  });

  it('refuses numbers beyond the range of a double, saying what to do (falcosidekick keeps their text: a documented difference)', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    const res = await app.post(ALERT.replace('"a":1', '"a":1e400'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'ERR_ALERT_INVALID', message: 'a number beyond the range of a 64-bit float (e.g. 1e400) cannot be held (it would be sent as null); send it as a string', path: 'output_fields.a' },
    });
    expect((await app.post(ALERT.replace('"a":1', '"a":-1e400'))).status).toBe(400);
    expect((await app.post(ALERT.replace('"a":1', '"a":1.7976931348623157e308'))).status).toBe(200);
  });

  it('refuses an integer beyond 2^53 where an object belongs (the alert, output_fields); keeps it as a field', async () => {
    app = await startApp('stdout:\n  enabled: false\n');
    const asFields = await app.post(ALERT.replace('{"a":1}', '123456789012345678901'));
    expect(asFields.status).toBe(400);
    expect(JSON.parse(asFields.body)).toEqual({ error: { code: 'ERR_ALERT_INVALID', message: 'output_fields must be an object of fields, not a number', path: 'output_fields' } });
    const asAlert = await app.post('123456789012345678901');
    expect(asAlert.status).toBe(400);
    expect(JSON.parse(asAlert.body)).toMatchObject({ error: { code: 'ERR_ALERT_INVALID', message: 'an alert is a JSON object of fields, not a number' } });
    expect((await app.post(ALERT.replace('"a":1', '"a":123456789012345678901'))).status).toBe(200);
  });
});
