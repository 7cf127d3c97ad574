// A template comparison used to parse any digit string as a BigInt: a 4-million-digit field cost
// 1.7 s per alert. Digit strings compare as integers only up to 40 digits (every 64-bit integer).
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
});

describe('template integer comparison', () => {
  it('stays exact for 64-bit integers and costs nothing for a huge digit string', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`ingest:\n  maxbodybytes: 16777216\ntemplatedfields:\n  big: '{{ if gt (index . "n") 1000 }}yes{{ else }}no{{ end }}'\nwebhook:\n  address: ${receiver.url()}\n`);
    const alert = (uuid: string, n: string) => `{"uuid":"${uuid}","rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"n":"${n}"}}`;
    expect((await app.post(alert('exact', '9223372036854775807'))).status).toBe(200);
    const huge = alert('huge', '9'.repeat(4_000_000));
    const started = performance.now();
    expect((await app.post(huge)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    await waitFor(() => (receiver as Receiver).received.length === 2);
    const big = receiver.received.map((r) => (JSON.parse(r.body) as { output_fields: { big: string } }).output_fields.big);
    expect(big).toEqual(['yes', '']); // a 4M-digit string is no integer: the comparison fails, the field is '' (counted as a template error)
    expect(await app.metrics.registry.getSingleMetricAsString('peregrine_template_errors_total')).toContain('peregrine_template_errors_total{field="big"} 1');
  });
});
