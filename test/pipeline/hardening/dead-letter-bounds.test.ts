// The in-memory dead-letter store was bounded by count only: 400 refused 1 MiB alerts held
// 1.37 GiB and GET /dlq answered 420 MB. It is bounded by bytes too (deadletter.maxbytes), and /dlq
// is paginated (limit ≤ 1000, pages ≤ 8 MiB, a `before` cursor in `next`).
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
});

interface Page {
  total: number;
  next?: number;
  entries: { id: number; alert: { uuid: string } }[];
}

describe('dead letters in memory', () => {
  it('are bounded by bytes, and /dlq pages through them', async () => {
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'status', status: 400, body: 'refused' }));
    // One request at a time: the alerts are refused, and dead-lettered, in the order they came.
    app = await startApp(`deadletter:\n  maxbytes: 10485760\nwebhook:\n  address: ${receiver.url()}\n  maxconcurrency: 1\n`);
    const big = 'x'.repeat(1024 * 1024);
    const n = 30;
    for (let i = 0; i < n; i++) {
      expect((await app.post({ uuid: `big-${i}`, rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: { big } })).status).toBe(200);
    }
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_dead_lettered_total')) === n, 15_000, 'all dead-lettered');
    const kept = app.deadLetters.size();
    expect(kept).toBe(9); // 10 MiB holds nine alerts of 1 MiB and their details
    expect(await metricValue(app, 'peregrine_dead_letter_evicted_total')).toBe(n - kept);

    // A page holds at most 8 MiB, whatever the limit: the cursor walks back to the oldest.
    const seen: string[] = [];
    let url = `${app.url}/dlq?limit=1000`;
    for (let pages = 0; pages < 10; pages++) {
      const res = await request(url);
      const text = await res.body.text();
      expect(text.length).toBeLessThan(9 * 1024 * 1024);
      const page = JSON.parse(text) as Page;
      expect(page.total).toBe(kept);
      seen.unshift(...page.entries.map((e) => e.alert.uuid));
      if (page.next === undefined) break;
      url = `${app.url}/dlq?limit=1000&before=${page.next}`;
    }
    expect(seen).toEqual(Array.from({ length: kept }, (_, i) => `big-${n - kept + i}`));

    const small = JSON.parse(await (await request(`${app.url}/dlq?limit=2`)).body.text()) as Page;
    expect(small.entries.map((e) => e.alert.uuid)).toEqual([`big-${n - 2}`, `big-${n - 1}`]);
    expect(small.next).toBe(small.entries[0]?.id);
    expect((await request(`${app.url}/dlq?before=abc`)).statusCode).toBe(400);
    const twice = await request(`${app.url}/dlq?output=webhook&output=other`);
    expect(twice.statusCode).toBe(400);
    expect(await twice.body.json()).toMatchObject({ error: { message: 'output is given 2 times; give it once', path: 'output' } });
  });
});
