// Micro-benchmark of the alert JSON parser: `node bench/json.ts`.
import { parseJson } from '../src/alert/json.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';

const texts = Array.from({ length: 1000 }, (_, i) => falcoAlertJson(i));
const reviver = (_k: string, v: unknown, ctx: { source?: string }) =>
  typeof v === 'number' && !Number.isSafeInteger(v) && ctx.source !== undefined ? JSON.rawJSON(ctx.source) : v;

function time(name: string, fn: (t: string) => unknown): void {
  let us = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) for (const t of texts) fn(t);
    us = ((performance.now() - t0) * 1000) / (20 * texts.length);
  }
  console.log(`${name.padEnd(34)} ${us.toFixed(2)} µs per ${texts[0]?.length}-byte alert`);
}

time('JSON.parse (rounds evt.time)', (t) => JSON.parse(t));
time('JSON.parse + source reviver', (t) => JSON.parse(t, reviver as never));
time('parseJson (scanner + sentinels)', parseJson);
