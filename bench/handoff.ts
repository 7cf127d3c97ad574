// `node bench/handoff.ts`: what handing an alert to another thread costs the event loop that answers
// Falco, by each way a worker thread can be told, before any delivery thread is built on one.
//
// The main thread plays Falco-like ingest: one alert per turn of the event loop, with a fixed spin
// standing in for the ingest work (`--work`, µs), so the other thread has idle time between alerts
// and sleeps, as a delivery thread would under Falco's load. The other thread plays delivery: it
// parses each alert's JSON and answers "done" for it. Per variant, the main thread's own CPU per alert
// above the variant that hands nothing over (process.threadCpuUsage: user + system), alerts/s, the
// other thread's CPU per alert, and the time from hand-over to the other thread holding the alert.
//
//   none          the main thread's work alone (the reference)
//   message       postMessage per alert, "done" back by postMessage per alert (round 8's HTTP thread)
//   message/10ms  postMessage per alert, "done" back once per 10 ms
//   ring+notify   the alert's bytes copied into a SharedArrayBuffer ring, Atomics.notify only when
//                 the other thread sleeps (Atomics.waitAsync); "done" as a shared counter read every 10 ms
//   ring/1ms      the same ring, never notified: the other thread looks every 1 ms (setTimeout)
//
//   node bench/handoff.ts [--alerts 40000] [--work 150] [--rounds 3]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

type Variant = 'none' | 'message' | 'message/10ms' | 'ring+notify' | 'ring/1ms';
const VARIANTS: Variant[] = ['none', 'message', 'message/10ms', 'ring+notify', 'ring/1ms'];

// Ring header (Int32 slots) and layout: each record is a 4-byte length then the alert's UTF-8 bytes;
// a length of -1 means "go back to the start".
const WRITE = 0;
const READ = 1;
const SLEEPING = 2;
const DONE = 3;
const HEADER_BYTES = 64;
const RING_BYTES = 8 * 1024 * 1024;

interface Shared {
  header: Int32Array;
  data: Buffer;
  /** When each alert was handed over: epoch ms (performance.timeOrigin + now()), by sequence. */
  sentAt: Float64Array;
}

function shared(sab: SharedArrayBuffer, sentAtSab: SharedArrayBuffer): Shared {
  return { header: new Int32Array(sab, 0, HEADER_BYTES / 4), data: Buffer.from(sab, HEADER_BYTES, RING_BYTES), sentAt: new Float64Array(sentAtSab) };
}

const epochMs = () => performance.timeOrigin + performance.now();

/** Copies one alert into the ring; false when it is full (the bench sizes it never to be). */
function ringWrite(s: Shared, text: string): boolean {
  const bytes = Buffer.byteLength(text);
  let at = Atomics.load(s.header, WRITE);
  const read = Atomics.load(s.header, READ);
  const free = read > at ? read - at : RING_BYTES - at + read;
  if (bytes + 8 >= free) return false;
  if (at + 4 + bytes > RING_BYTES) {
    s.data.writeInt32LE(-1, at);
    at = 0;
  }
  s.data.writeInt32LE(bytes, at);
  s.data.write(text, at + 4, bytes, 'utf8');
  Atomics.store(s.header, WRITE, at + 4 + bytes);
  return true;
}

/** Everything written since the last call. */
function* ringRead(s: Shared): Generator<string> {
  let at = Atomics.load(s.header, READ);
  const end = Atomics.load(s.header, WRITE);
  while (at !== end) {
    let length = s.data.readInt32LE(at);
    if (length === -1) {
      at = 0;
      length = s.data.readInt32LE(0);
    }
    yield s.data.toString('utf8', at + 4, at + 4 + length);
    at += 4 + length;
    Atomics.store(s.header, READ, at);
  }
}

function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

function threadCpuUs(): number {
  const u = process.threadCpuUsage();
  return u.user + u.system;
}

// ---- the other thread ----

interface Init {
  variant: Variant;
  sab: SharedArrayBuffer;
  sentAtSab: SharedArrayBuffer;
}

function otherThread(init: Init): void {
  const port = parentPort as NonNullable<typeof parentPort>;
  const s = shared(init.sab, init.sentAtSab);
  const lags: number[] = [];
  let seq = 0;
  let pending = 0;
  const take = (text: string) => {
    lags.push(epochMs() - (s.sentAt[seq] as number));
    JSON.parse(text);
    seq++;
  };
  const report = () => port.postMessage({ type: 'report', cpuUs: threadCpuUs(), lags });
  port.on('message', (m: { type: 'alert'; text: string } | { type: 'stop' }) => {
    if (m.type === 'stop') {
      for (const text of ringRead(s)) take(text);
      return report();
    }
    take(m.text);
    if (init.variant === 'message') port.postMessage({ type: 'done', n: 1 });
    else pending++;
  });
  if (init.variant === 'message/10ms') {
    setInterval(() => {
      if (pending > 0) port.postMessage({ type: 'done', n: pending });
      pending = 0;
    }, 10).unref();
  }
  const drain = () => {
    for (const text of ringRead(s)) take(text);
    Atomics.store(s.header, DONE, seq);
  };
  if (init.variant === 'ring+notify') {
    const wait = (): void => {
      drain();
      Atomics.store(s.header, SLEEPING, 1);
      // Anything written between the drain and SLEEPING is seen now; otherwise wait to be told.
      const seen = Atomics.load(s.header, WRITE);
      if (seen !== Atomics.load(s.header, READ)) {
        Atomics.store(s.header, SLEEPING, 0);
        return void setImmediate(wait);
      }
      const result = Atomics.waitAsync(s.header, WRITE, seen);
      const woke = () => {
        Atomics.store(s.header, SLEEPING, 0);
        wait();
      };
      if (result.async) void result.value.then(woke);
      else setImmediate(woke);
    };
    wait();
  }
  if (init.variant === 'ring/1ms') {
    const look = () => {
      drain();
      setTimeout(look, 1).unref();
    };
    look();
  }
}

// ---- the main thread ----

interface Result {
  variant: Variant;
  mainCpuUsPerAlert: number;
  alertsPerSecond: number;
  otherCpuUsPerAlert: number;
  lagP50: number;
  lagP99: number;
  /** Answers the main thread had taken when its last alert went: how far "done" lags. */
  answered: number;
  steal: number;
}

async function runVariant(variant: Variant, alerts: number, workUs: number): Promise<Result> {
  const sab = new SharedArrayBuffer(HEADER_BYTES + RING_BYTES);
  const sentAtSab = new SharedArrayBuffer(8 * alerts);
  const s = shared(sab, sentAtSab);
  const worker = new Worker(new URL(import.meta.url), { workerData: { variant, sab, sentAtSab } satisfies Init });
  await new Promise((resolve) => setTimeout(resolve, 200)); // let it start
  const texts = Array.from({ length: 64 }, (_, i) => falcoAlertJson(i));
  let done = 0;
  worker.on('message', (m: { type: string; n?: number }) => {
    if (m.type === 'done') done += m.n as number;
  });
  const poll = variant.startsWith('ring') ? setInterval(() => (done = Atomics.load(s.header, DONE)), 10) : undefined;

  const machineBefore = machineCpu();
  const cpuBefore = threadCpuUs();
  const started = performance.now();
  for (let i = 0; i < alerts; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    spin(workUs);
    const text = texts[i % texts.length] as string;
    s.sentAt[i] = epochMs();
    if (variant === 'message' || variant === 'message/10ms') worker.postMessage({ type: 'alert', text });
    else if (variant !== 'none') {
      if (!ringWrite(s, text)) throw new Error('ring full: raise RING_BYTES');
      if (variant === 'ring+notify' && Atomics.load(s.header, SLEEPING) === 1) Atomics.notify(s.header, WRITE);
    }
  }
  const elapsed = performance.now() - started;
  const answered = done;
  const mainCpu = threadCpuUs() - cpuBefore;
  const steal = stealShare(machineBefore, machineCpu());
  clearInterval(poll);
  const report = await new Promise<{ cpuUs: number; lags: number[] }>((resolve) => {
    worker.on('message', (m: { type: string; cpuUs: number; lags: number[] }) => m.type === 'report' && resolve(m));
    worker.postMessage({ type: 'stop' });
  });
  await worker.terminate();
  if (variant !== 'none' && report.lags.length !== alerts) throw new Error(`${variant}: the other thread took ${report.lags.length} of ${alerts}`);
  const lags = report.lags.sort((a, b) => a - b);
  const q = (p: number) => (lags.length ? (lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] as number) : NaN);
  return {
    variant,
    mainCpuUsPerAlert: mainCpu / alerts,
    alertsPerSecond: alerts / (elapsed / 1000),
    otherCpuUsPerAlert: variant === 'none' ? 0 : report.cpuUs / alerts,
    lagP50: q(0.5),
    lagP99: q(0.99),
    answered,
    steal,
  };
}

if (!isMainThread) {
  otherThread(workerData as Init);
} else {
  const { values } = parseArgs({ options: { alerts: { type: 'string', default: '40000' }, work: { type: 'string', default: '150' }, rounds: { type: 'string', default: '3' } } });
  const alerts = Number(values.alerts);
  const workUs = Number(values.work);
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${alerts} alerts per run, one per turn, ${workUs} µs of ingest work each`);
  console.log('');
  console.log('| round | variant | main thread µs / alert | over none | alerts/s | other thread µs / alert | hand-over to taken p50 / p99 ms | answered by the end | steal % |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (let round = 1; round <= Number(values.rounds); round++) {
    let reference = NaN;
    for (const variant of VARIANTS) {
      const r = await runVariant(variant, alerts, workUs);
      if (variant === 'none') reference = r.mainCpuUsPerAlert;
      const over = variant === 'none' ? '—' : `+${(r.mainCpuUsPerAlert - reference).toFixed(1)}`;
      const lag = variant === 'none' ? '—' : `${r.lagP50.toFixed(3)} / ${r.lagP99.toFixed(3)}`;
      const other = variant === 'none' ? '—' : r.otherCpuUsPerAlert.toFixed(1);
      console.log(`| ${round} | ${variant} | ${r.mainCpuUsPerAlert.toFixed(1)} | ${over} | ${Math.round(r.alertsPerSecond).toLocaleString('en')} | ${other} | ${lag} | ${variant === 'none' ? '—' : r.answered.toLocaleString('en')} | ${(r.steal * 100).toFixed(1)} |`);
    }
  }
}
