// Slow clients used to hold a connection for ever (no request timeout): a thousand slow bodies
// locked every client out under a 1,024 fd limit. Now headers and whole requests have deadlines
// (408 with the documented body), open connections are capped (ingest.maxconnections), and
// refusals are counted and logged once per interval.
import type { Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { openSocket, rawExchange, untilClosed } from '../../support/raw-http.ts';
import { waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.stop();
});

const portOf = (a: RunningApp) => Number(new URL(a.url).port);
const TIMEOUT_BODY = { error: { code: 'ERR_REQUEST_TIMEOUT', message: 'the request was not received in time (ingest.requesttimeoutms)' } };

describe('slow clients', () => {
  it('a slow body and slow headers get 408 with the documented body, within the deadline', async () => {
    app = await startApp('stdout:\n  enabled: false\ningest:\n  requesttimeoutms: 1000\n');
    const slowBody = await rawExchange(portOf(app), 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"rule":');
    expect(slowBody.status).toBe(408);
    expect(JSON.parse(slowBody.body)).toEqual(TIMEOUT_BODY);
    expect(slowBody.ms).toBeLessThan(4000);

    const slowHeaders = await rawExchange(portOf(app), 'POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(slowHeaders.status).toBe(408);
    expect(slowHeaders.ms).toBeLessThan(4000);
    expect(await metricValue(app, 'peregrine_ingest_rejected_total', { code: 'ERR_REQUEST_TIMEOUT' })).toBe(2);
  });

  it('caps open connections, counts and logs refusals once per interval, and serves again when they close', async () => {
    const lines: string[] = [];
    app = await startApp('stdout:\n  enabled: false\ningest:\n  maxconnections: 5\n', { logger: pino({ level: 'info' }, { write: (l: string) => lines.push(l) }) });
    const port = portOf(app);
    for (let i = 0; i < 5; i++) {
      const s = await openSocket(port);
      s.write('POST / HTTP/1.1\r\nHost: x\r\n'); // a slow client holding its connection
      sockets.push(s);
    }
    const refused = await Promise.all([1, 2, 3].map(async () => untilClosed(await openSocket(port), undefined, 5000)));
    for (const r of refused) expect(r.text).toBe(''); // closed at once, nothing answered
    expect(await metricValue(app, 'peregrine_ingest_connections_refused_total')).toBe(3);
    expect(lines.filter((l) => l.includes('ingest connections refused'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('ingest connections refused'))).toContain('"maxconnections":5');

    for (const s of sockets.splice(0)) s.destroy();
    await waitFor(async () => (await fetch(`${(app as RunningApp).url}/ping`).catch(() => undefined))?.ok === true, 5000, 'served again');
  });
});
