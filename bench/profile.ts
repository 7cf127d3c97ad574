// Where a daemon's CPU went: reads a .cpuprofile (BENCH_NODE_FLAGS='--cpu-prof --cpu-prof-dir=DIR')
// and prints self time per part of the data path, then the top functions. Given a .heapprofile
// from bench/alloc-sampler.ts it prints the bytes allocated the same way.
//   node bench/profile.ts DIR/CPU.…cpuprofile [top]
//   node bench/profile.ts DIR/alloc-….heapprofile [top]
// A sample is charged to the first part found walking from its frame up the stack (so a Node
// built-in called by the spool counts as the spool); frames of no listed part go to "other".
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}
// A sampling heap profile: a tree whose nodes carry the bytes allocated in that frame itself
// (V8 scales the samples to an estimate of all allocations).
interface HeapNode {
  id: number;
  callFrame: Node['callFrame'];
  selfSize: number;
  children: HeapNode[];
}

/** Each node of the call tree, its parent, and what it spent itself: µs of CPU, or bytes. */
function load(file: string): { nodes: Node[]; self: Map<number, number>; heap: boolean } {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Profile | { head: HeapNode };
  const self = new Map<number, number>();
  if ('head' in raw) {
    const nodes: Node[] = [];
    const walk = (n: HeapNode) => {
      nodes.push({ id: n.id, callFrame: n.callFrame, children: n.children.map((c) => c.id) });
      if (n.selfSize) self.set(n.id, n.selfSize);
      n.children.forEach(walk);
    };
    walk(raw.head);
    return { nodes, self, heap: true };
  }
  raw.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (raw.timeDeltas[i] ?? 0)));
  return { nodes: raw.nodes, self, heap: false };
}

// First match wins, in this order, for each frame from the leaf up.
const PARTS: [string, RegExp][] = [
  ['spool (SQLite writes)', /\/src\/spool\//],
  ['trail', /\/src\/trail\//],
  ['noise control', /\/src\/noise\//],
  ['enrich', /\/src\/enrich\//],
  ['validate (ajv)', /\/src\/ingest\/validate|\/ajv\//],
  ['alert model, JSON parse/serialise', /\/src\/alert\//],
  ['ingest body decode', /\/src\/ingest\/body/],
  ['ingest routes', /\/src\/ingest\//],
  ['metrics (prom-client)', /\/src\/telemetry\/|prom-client/],
  ['outputs (plugins)', /\/outputs\//],
  ['AWS SDK', /@smithy|@aws-sdk|@aws-crypto/],
  ['Elasticsearch client', /@elastic\//],
  ['kafkajs', /kafkajs/],
  ['dispatch (queues, workers)', /\/src\/dispatch\//],
  ['undici (sending)', /undici|\/src\/plugin\//],
  ['fastify', /fastify|find-my-way|avvio|light-my-request/],
  ['pino', /pino|sonic-boom/],
  ['node:http (parse, write)', /node:_http|node:http/],
  ['node:net, streams', /node:net|node:internal\/streams|node:stream|node:internal\/stream_base/],
];

function main(file: string, top: number): void {
  const { nodes, self: selfUs, heap } = load(file);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = partOf.get(id);
    if (known) return known;
    const node = byId.get(id) as Node;
    const name = node.callFrame.functionName;
    let part: string | undefined;
    if (name === '(garbage collector)') part = 'GC';
    else if (name === '(idle)' || name === '(program)') part = name;
    else part = PARTS.find(([, re]) => re.test(node.callFrame.url))?.[0];
    if (!part) {
      const up = parent.get(id);
      part = up === undefined ? 'other' : classify(up);
    }
    partOf.set(id, part);
    return part;
  };
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const part = classify(id);
    parts.set(part, (parts.get(part) ?? 0) + us);
    if (part !== '(idle)') total += us;
    const f = (byId.get(id) as Node).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const outputOf = new Map<number, string | null>();
  const output = (id: number): string | null => {
    if (outputOf.has(id)) return outputOf.get(id) as string | null;
    const name = /\/outputs\/([^/]+)\//.exec((byId.get(id) as Node).callFrame.url)?.[1];
    const up = parent.get(id);
    const found = name ?? (up === undefined ? null : output(up));
    outputOf.set(id, found);
    return found;
  };
  const perOutput = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = output(id);
    if (name) perOutput.set(name, (perOutput.get(name) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  // Microseconds shown as ms, bytes as MiB.
  const amount = (v: number) => (heap ? `${(v / 2 ** 20).toFixed(1).padStart(8)} MiB` : `${(v / 1e3).toFixed(0).padStart(7)} ms`);
  if (heap) console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MiB allocated on the main thread's heap\n`);
  else console.log(`${file}: ${(total / 1e6).toFixed(2)} s busy (idle ${(((parts.get('(idle)') ?? 0) as number) / 1e6).toFixed(2)} s)\n`);
  for (const [part, us] of [...parts].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${amount(us)}  ${part}`);
  console.log('\nper output (samples under its frames):');
  for (const [name, us] of [...perOutput].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${amount(us)}  ${name}`);
  console.log(`\ntop ${top} functions (${heap ? 'bytes allocated in the frame itself' : 'self time'}):`);
  for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${key}`);
}

main(process.argv[2] as string, Number(process.argv[3] ?? 25));
