// `node --expose-gc bench/trail-memory.ts`: what a record of the in-memory trail (spool off) costs
// the heap, its packed JSON included, against what the store charges it under
// trail.memorymaxbytes. Per shape (outputs routed, attempts per output), it fills a store with
// 20,000 Falco-shaped alerts and compares the memory used per record (after a full GC) with the
// bytes the store counts per record.
//   node --expose-gc bench/trail-memory.ts [--alerts 20000]
import { parseArgs } from 'node:util';
import { thawAlert } from '../src/alert/serialize.ts';
import { MemoryTrailStore } from '../src/trail/memory-store.ts';
import { afterPacking, variedAlertJson } from '../test/support/alerts.ts';
import { settledMemory } from './heap.ts';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '20000' } } });
const ALERTS = Number(values.alerts);
const OUTPUTS = ['webhook', 'elasticsearch', 'splunk', 'kafka', 'awssecurityhub'];

async function measure(outputs: string[], attempts: number): Promise<{ heap: number; counted: number }> {
  const store = new MemoryTrailStore({ maxalerts: 10_000_000, maxbytes: 1024 ** 4, outputs, explain: () => 'not routed' });
  const before = await settledMemory();
  for (let i = 0; i < ALERTS; i++) {
    const json = variedAlertJson(i);
    const alert = thawAlert(json);
    // A list of its own per alert, as the recorder makes it.
    store.received(alert, Date.now(), '127.0.0.1', [...outputs], json.length);
    for (const output of outputs) {
      for (let a = 0; a < attempts; a++) store.attempt([alert.uuid], output, { at: Date.now(), latencyMs: 1.2, outcome: 'ok', detail: 'ok', batch: 1 }, 'delivered');
    }
  }
  // The store packs its records' JSON after the turn that added them.
  await afterPacking();
  const heap = ((await settledMemory()) - before) / ALERTS;
  const counted = store.size().bytes / ALERTS;
  return { heap, counted };
}

console.log(`${ALERTS} alerts per row, varied as a cluster's are (test/support/alerts.ts), ~${variedAlertJson(0).length} bytes of JSON each`);
console.log('');
console.log('| outputs | attempts per output | heap bytes per record | charged bytes per record | heap / charged |');
console.log('|---|---|---|---|---|');
for (const [n, attempts] of [[1, 0], [1, 1], [1, 3], [5, 1], [5, 2]] as const) {
  const { heap, counted } = await measure(OUTPUTS.slice(0, n), attempts);
  console.log(`| ${n} | ${attempts} | ${heap.toFixed(0)} | ${counted.toFixed(0)} | ${(heap / counted).toFixed(2)} |`);
}
