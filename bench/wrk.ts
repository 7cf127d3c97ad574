// The load generator: wrk (C, epoll, one thread), fed pre-built request bodies through a Lua script.
// Why wrk and not a Node client: Falco's http_output is libcurl, a C client, and on a 2-core machine
// the generator shares the CPU with Peregrine. An undici loop spent more CPU per request than the
// daemon did (bare node:http: 2,197 requests/s on one connection driven by undici, 5,570/s by wrk),
// so it measured itself. Install: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkResult {
  requests: number;
  seconds: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  p999: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
}

// Each thread cycles through the bodies; done() prints one JSON line the caller parses.
const SCRIPT = `
local bodies = {}
for line in io.lines(os.getenv("WRK_BODIES")) do bodies[#bodies + 1] = line end
local requests = {}
-- Built in init(), once wrk has set the Host header (Node answers 400 to HTTP/1.1 without one).
init = function(_)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/", { ["Content-Type"] = "application/json" }, body)
  end
end
local n = 0
request = function()
  n = n + 1
  return requests[(n % #requests) + 1]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"us":%d,"p50":%d,"p99":%d,"p999":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

export function assertWrk(): void {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error('the benchmark drives load with wrk, which is not installed: apt-get install wrk (Debian/Ubuntu) or brew install wrk');
  }
}

/** Runs wrk against `url` for `seconds` with `connections` keep-alive connections; each body is one request. */
/** `cpus`: a `taskset -c` CPU list to run wrk on (kept off the daemon's CPUs where the machine allows). */
export async function wrk(url: string, options: { connections: number; seconds: number; bodies: readonly string[]; cpus?: string }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-wrk-'));
  // One body per line: a raw newline can only be JSON whitespace, so a space replaces it.
  writeFileSync(join(dir, 'bodies.ndjson'), `${options.bodies.map((b) => b.replace(/\r?\n/g, ' ')).join('\n')}\n`);
  writeFileSync(join(dir, 'post.lua'), SCRIPT);
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', join(dir, 'post.lua'), url];
  const [command, ...rest] = options.cpus === undefined ? ['wrk', ...args] : ['taskset', '-c', options.cpus, 'wrk', ...args];
  const child = spawn(command as string, rest, { env: { ...process.env, WRK_BODIES: join(dir, 'bodies.ndjson') }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = /WRK_RESULT (\{.*\})/.exec(out)?.[1];
  if (code !== 0 || line === undefined) throw new Error(`wrk exited ${code}:\n${out}`);
  const r = JSON.parse(line) as { requests: number; us: number; p50: number; p99: number; p999: number; errors: number };
  return { requests: r.requests, seconds: r.us / 1e6, p50: r.p50 / 1000, p99: r.p99 / 1000, p999: r.p999 / 1000, errors: r.errors };
}
