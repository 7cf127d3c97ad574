// `node bench/kafka-encode.ts`: what kafkajs spends grouping a send's messages by partition and
// encoding the produce request, per record, as patches/kafkajs+2.2.4.patch leaves it and as
// published. No broker: the requests the output sends (200 records of the output's own form: key =
// uuid, value = the alert JSON, three headers, one partition) are encoded and thrown away. The
// published code is a copy of the installed kafkajs in a temporary directory with the patch reversed
// (`git apply -R`); a third copy has only the Encoder patched, to tell the patch's two parts apart.
// Each variant runs in its own process, taking turns each round.
//   node bench/kafka-encode.ts [--seconds 4] [--rounds 3]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { toMessage } from '../outputs/kafka/messages.ts';
import { thawAlert } from '../src/alert/serialize.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

const RECORDS = 200; // the output's batch.maxevents
const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '4' }, rounds: { type: 'string', default: '3' }, child: { type: 'string' } } });

interface Figures {
  usPerRecord: number;
  gcUsPerRecord: number;
  frameBytes: number;
  /** Of the same request (correlation id 299) in every variant: the patch must not change a byte. */
  frameSha256: string;
}

/** Child: encodes produce requests with the kafkajs in `dir` for --seconds, after a warm-up. */
async function child(dir: string): Promise<Figures> {
  const require = createRequire(import.meta.url);
  const encodeRequest = require(join(dir, 'src/protocol/request.js')) as (r: { correlationId: number; clientId: string; request: object }) => Promise<{ buffer: Buffer }>;
  const produce = require(join(dir, 'src/protocol/requests/produce/v3/request.js')) as (r: object) => object;
  const group = require(join(dir, 'src/producer/groupMessagesPerPartition.js')) as (r: object) => Record<number, object[]>;
  const partitionMetadata = [{ partitionId: 0, leader: 0 }];
  // A fixed timestamp: kafkajs would take Date.now(), and the frames could not be compared.
  const messages = Array.from({ length: RECORDS }, (_, i) => ({ ...toMessage(thawAlert(falcoAlertJson(i)), { keyfield: '', partition: 0 }), timestamp: '1764979200000' }));
  let correlationId = 0;
  const encode = (): Promise<{ buffer: Buffer }> =>
    encodeRequest({
      correlationId: correlationId++,
      clientId: 'peregrine',
      request: produce({
        acks: -1,
        timeout: 30_000,
        // As the producer's sendMessages does first, for a topic of one partition.
        topicData: [{ topic: 'falco', partitions: [{ partition: 0, messages: group({ topic: 'falco', partitionMetadata, messages, partitioner: () => 0 })[0] }] }],
      }),
    });
  let frame: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 300; i++) frame = (await encode()).buffer;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const before = process.cpuUsage();
  const end = performance.now() + Number(values.seconds) * 1000;
  let requests = 0;
  while (performance.now() < end) {
    await encode();
    requests++;
    // A turn of the event loop per request, as the daemon's sends get: GC entries arrive in one.
    await new Promise(setImmediate);
  }
  const used = process.cpuUsage(before);
  await new Promise(setImmediate);
  gc.disconnect();
  const records = requests * RECORDS;
  return { usPerRecord: (used.user + used.system) / records, gcUsPerRecord: (gcMs * 1000) / records, frameBytes: frame.length, frameSha256: createHash('sha256').update(frame).digest('hex') };
}

if (values.child !== undefined) {
  console.log(JSON.stringify(await child(values.child)));
  process.exit(0);
}

const installed = join(repo, 'node_modules/kafkajs');
const published = join(mkdtempSync(join(tmpdir(), 'kafka-encode-')), 'kafkajs');
cpSync(installed, published, { recursive: true });
// The patch's paths start a/node_modules/kafkajs/: -p3 makes them relative to the package.
execFileSync('git', ['apply', '-R', '-p3', join(repo, 'patches/kafkajs+2.2.4.patch')], { cwd: published });
if (readFileSync(join(published, 'src/protocol/encoder.js'), 'utf8').includes('Peregrine')) throw new Error('the patch did not reverse');
if (!readFileSync(join(published, 'src/producer/groupMessagesPerPartition.js'), 'utf8').includes('[...current, message]')) throw new Error('the patch did not reverse');

// The round 31 patch alone: the Encoder patched, the grouping as published (round 32 patched it).
const encoderOnly = join(published, '..', 'encoder-only');
cpSync(installed, encoderOnly, { recursive: true });
cpSync(join(published, 'src/producer/groupMessagesPerPartition.js'), join(encoderOnly, 'src/producer/groupMessagesPerPartition.js'));

const variants = [
  { name: 'kafkajs 2.2.4 as published', dir: published },
  { name: 'the Encoder patched, the grouping as published', dir: encoderOnly },
  { name: 'kafkajs 2.2.4 patched (installed)', dir: installed },
];
console.log(`Node ${process.version}; produce requests of ${RECORDS} records (the output's form), ${values.seconds} s per run\n`);
console.log('| kafkajs | round | CPU µs per record | GC pauses µs per record | request bytes | steal % |');
console.log('|---|---|---|---|---|---|');
const frames = new Set<string>();
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const v of variants) {
    const machine = machineCpu();
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'kafka-encode.ts'), '--child', v.dir, '--seconds', values.seconds], { encoding: 'utf8' });
    const f = JSON.parse(out) as Figures;
    frames.add(f.frameSha256);
    console.log(`| ${v.name} | ${round} | ${f.usPerRecord.toFixed(2)} | ${f.gcUsPerRecord.toFixed(2)} | ${f.frameBytes.toLocaleString('en')} | ${(100 * stealShare(machine, machineCpu())).toFixed(1)} |`);
  }
}
rmSync(join(published, '..'), { recursive: true, force: true });
console.log(frames.size === 1 ? '\nThe same request encodes to the same bytes with each.' : '\nMISMATCH: the variants encoded the same request differently.');
if (frames.size !== 1) process.exitCode = 1;
