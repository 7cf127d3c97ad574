// `node --expose-gc bench/packed-backlog.ts`: what a backlog (a destination down) costs per alert
// held: memory-only (spool off) with its JSON packed in deflated blocks (src/alert/packed.ts) and
// without, and with the spool on, where the queue keeps only each alert's spool id. It queues
// Falco-shaped alerts, each with a random uuid, its own container id, pid and time and one of 40
// hosts, behind the queue's hot depth, then takes them back in batches of 100 and parses each, as a
// worker does. Heap and external memory after a full GC, per alert held (the spool's own copy, on
// disk in the daemon, is not counted); CPU per alert for the push and for the take.
//   node --expose-gc bench/packed-backlog.ts [--alerts 50000] [--rounds 3]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freezeAlert, toAlert, type AlertInput } from '../src/alert/alert.ts';
import { parseJson } from '../src/alert/json.ts';
import { serializeAlert } from '../src/alert/serialize.ts';
import { PACK_ALERTS } from '../src/alert/packed.ts';
import { AlertQueue } from '../src/dispatch/queue.ts';
import { QueueEntry } from '../src/dispatch/queue-entry.ts';
import { afterPacking, variedAlertJson } from '../test/support/alerts.ts';
import { settledMemory } from './heap.ts';
import { stealShare, machineCpu } from './proc.ts';

const { values } = parseArgs({
  options: { alerts: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '3' }, pack: { type: 'string' }, spool: { type: 'boolean', default: false } },
});
const ALERTS = Number(values.alerts);
const HOT_DEPTH = 1024;

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function measure(packAlerts: number, spool: boolean): Promise<{ bytes: number; pushMicros: number; takeMicros: number }> {
  // The spool's copy of each alert, made before the baseline: the daemon's is on disk.
  // Made flat (a fresh string from a buffer): `replace` builds strings that V8 flattens, and frees
  // the parts of, only when they are first read, which would be counted here as less memory.
  const spooled = spool ? Array.from({ length: ALERTS }, (_, i) => Buffer.from(variedAlertJson(i)).toString()) : [];
  const queue = new AlertQueue({ maxalerts: Infinity, maxbytes: Infinity }, HOT_DEPTH, spool ? (id) => spooled[id] : undefined, packAlerts);
  const before = await settledMemory();
  const alerts = Array.from({ length: ALERTS }, (_, i) => freezeAlert(toAlert(parseJson(spooled[i] ?? variedAlertJson(i)) as AlertInput)));
  // Ingest serializes each alert once before it is queued (the spool's and the trail's JSON).
  for (const alert of alerts) serializeAlert(alert);
  let cpu = cpuMicros();
  // Arrival times as the daemon has them (ms since 1970): a small integer here would hide what the
  // entry pays to hold a time.
  const arrived = Date.now();
  alerts.forEach((alert, seq) => queue.push(new QueueEntry(alert, { bytes: 600, seq, receivedAt: arrived + seq, spoolId: spool ? seq : undefined })));
  // Full blocks are packed after the turn's I/O: that is part of the push's cost.
  await afterPacking();
  const pushMicros = cpuMicros() - cpu;
  // What the queue holds, the first HOT_DEPTH alerts parsed, the rest compact.
  alerts.length = 0;
  const bytes = ((await settledMemory()) - before) / ALERTS;
  cpu = cpuMicros();
  let taken = 0;
  while (queue.size > 0) for (const entry of queue.take(100, Infinity)) taken += entry.load().uuid.length > 0 ? 1 : 0;
  const takeMicros = cpuMicros() - cpu;
  if (taken !== ALERTS) throw new Error(`took ${taken} of ${ALERTS}`);
  return { bytes, pushMicros, takeMicros };
}

// Each measure in a process of its own: a full GC in one process does not give back at once all that
// an earlier measure left (ArrayBuffers are freed after the GC).
if (values.pack !== undefined) {
  console.log(JSON.stringify(await measure(Number(values.pack), values.spool)));
} else {
  const machine = machineCpu();
  console.log(`${ALERTS} alerts queued behind a hot depth of ${HOT_DEPTH}, ${variedAlertJson(0).length} bytes of JSON each`);
  console.log('');
  console.log('| round | held as | bytes per alert held | push µs per alert | take and parse µs per alert |');
  console.log('|---|---|---|---|---|');
  for (let round = 1; round <= Number(values.rounds); round++) {
    const ways = [
      ['its JSON (spool off)', 0, false],
      [`blocks of ${PACK_ALERTS} (spool off, the default)`, PACK_ALERTS, false],
      ['its spool id (spool on)', PACK_ALERTS, true],
    ] as const;
    for (const [label, packAlerts, spool] of ways) {
      const args = [...process.execArgv, fileURLToPath(import.meta.url), '--alerts', String(ALERTS), '--pack', String(packAlerts), ...(spool ? ['--spool'] : [])];
      const r = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as Awaited<ReturnType<typeof measure>>;
      console.log(`| ${round} | ${label} | ${r.bytes.toFixed(0)} | ${(r.pushMicros / ALERTS).toFixed(2)} | ${(r.takeMicros / ALERTS).toFixed(2)} |`);
    }
  }
  console.log('');
  console.log(`steal ${stealShare(machine, machineCpu()).toFixed(1)} %`);
}
