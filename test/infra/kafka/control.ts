// Fault injection for Kafka output tests: take a broker down and bring it back on the SAME ports,
// config and data (so acknowledged messages survive and clients can reconnect to the same address).
//
//   const kafka = await startDedicatedBroker('kafka-outage');   // own broker, own ports
//   ... stream alerts ...
//   await pauseBroker(kafka);              // process killed: connections reset, new ones refused
//   await sleep(20_000);
//   await resumeBroker(kafka);             // same ports + data; resolves once every listener answers
//   ... assert nothing lost ...
//   await stopDedicatedBroker(kafka);      // (global teardown stops leftovers too)
//
// pauseBroker/resumeBroker also work on the shared broker from useInfra('kafka'), but other test
// files may be using it at the same time and useInfra() in another file would see it "not running"
// and start a fresh one, so outage tests should use a dedicated broker.
// freezeBroker/thawBroker (SIGSTOP/SIGCONT) simulate a hung broker instead: connections stay open
// and TCP connects succeed, but nothing is answered (timeouts rather than "connection refused").
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoDir, stateDir } from '../state.ts';
import type { KafkaInfra } from './state.ts';

const run = promisify(execFile);
const infraScript = join(repoDir, 'test/infra/infra.sh');

function instanceName(infra: KafkaInfra): string {
  return infra.instance === 'kafka' ? '' : infra.instance.replace(/^kafka-/, '');
}

function brokerPid(infra: KafkaInfra): number | undefined {
  if (!existsSync(infra.pidFile)) return undefined;
  const pid = Number(readFileSync(infra.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Running and not a zombie (an exited broker may linger unreaped for a moment). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Signals the broker's whole process group (start.sh runs it under setsid). */
function signalBroker(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

/** Runs `script` (bash) under the same lock useInfra('kafka') takes, so broker starts never overlap. */
async function runInfra(script: string, env: Record<string, string>, what: string): Promise<void> {
  try {
    await run('bash', ['-c', `mkdir -p "$PEREGRINE_IT_STATE" && flock "$PEREGRINE_IT_STATE/kafka.lock" bash -c "$0"`, script], {
      env: { ...process.env, PEREGRINE_IT_STATE: stateDir, ...env },
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kafka ${what} failed:\n${e.stderr ?? e.message}`, { cause: err });
  }
}

/** Whether the broker process of this instance is running (false while paused). */
export function brokerRunning(infra: KafkaInfra): boolean {
  const pid = brokerPid(infra);
  return pid !== undefined && alive(pid);
}

/**
 * Takes the broker down: SIGKILL (default, a crash: no controlled shutdown, open connections are
 * reset) or SIGTERM (graceful shutdown). Resolves once the process is gone and every listener
 * refuses connections. The run dir (config, certs, data) is kept for resumeBroker().
 */
export async function pauseBroker(infra: KafkaInfra, opts: { signal?: 'SIGKILL' | 'SIGTERM'; timeoutMs?: number } = {}): Promise<void> {
  const pid = brokerPid(infra);
  if (pid === undefined || !alive(pid)) throw new Error(`kafka broker ${infra.instance} is not running (pid file ${infra.pidFile})`);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  signalBroker(pid, opts.signal ?? 'SIGKILL');
  while (alive(pid)) {
    if (Date.now() > deadline) {
      signalBroker(pid, 'SIGKILL');
      if (Date.now() > deadline + 5_000) throw new Error(`kafka broker ${infra.instance} (pid ${pid}) did not exit`);
    }
    await sleep(100);
  }
  for (const port of Object.values(infra.ports)) {
    while (!(await portRefuses(port))) {
      if (Date.now() > deadline + 5_000) throw new Error(`port ${port} still accepts connections after the broker exited`);
      await sleep(100);
    }
  }
}

/**
 * Restarts a paused broker with the same server.properties (same ports), certificates and data
 * dir (no re-format), and resolves once every listener authenticates and answers metadata
 * (typically 5–10 s). Topics, messages, committed offsets and SCRAM users survive.
 */
export async function resumeBroker(infra: KafkaInfra): Promise<void> {
  await runInfra(`bash '${infraScript}' kafka start`, { KAFKA_INSTANCE: instanceName(infra), KAFKA_RESUME: '1' }, 'resume');
}

/** SIGSTOP the broker: it keeps its sockets but answers nothing (a hung broker). */
export function freezeBroker(infra: KafkaInfra): void {
  const pid = brokerPid(infra);
  if (pid === undefined || !alive(pid)) throw new Error(`kafka broker ${infra.instance} is not running`);
  signalBroker(pid, 'SIGSTOP');
}

/** SIGCONT a frozen broker. */
export function thawBroker(infra: KafkaInfra): void {
  const pid = brokerPid(infra);
  if (pid !== undefined) signalBroker(pid, 'SIGCONT');
}

/** pauseBroker, wait `downMs`, resumeBroker. */
export async function brokerOutage(infra: KafkaInfra, downMs: number, opts: { signal?: 'SIGKILL' | 'SIGTERM' } = {}): Promise<void> {
  await pauseBroker(infra, opts);
  await sleep(downMs);
  await resumeBroker(infra);
}

/**
 * Starts a broker of its own for this test (fresh ports, certs, data; ~10 s), independent of the
 * shared `useInfra('kafka')` broker. `name`: [a-z0-9][a-z0-9_-]*, unique per concurrently running
 * test file. Installs Kafka first if needed.
 */
export async function startDedicatedBroker(name: string): Promise<KafkaInfra> {
  const instance = name.replace(/^kafka-/, '');
  if (!/^[a-z0-9][a-z0-9_-]{0,40}$/.test(instance)) throw new Error(`bad kafka instance name "${name}"`);
  await runInfra(
    `bash '${infraScript}' kafka install && bash '${infraScript}' kafka start`,
    { KAFKA_INSTANCE: instance, KAFKA_RESUME: '' },
    `start of dedicated broker ${instance}`,
  );
  return JSON.parse(readFileSync(join(stateDir, `kafka-${instance}.json`), 'utf8')) as KafkaInfra;
}

/** Stops a dedicated broker (SIGTERM, then SIGKILL after 15 s) and removes its state file and run dir. */
export async function stopDedicatedBroker(infra: KafkaInfra): Promise<void> {
  if (infra.instance === 'kafka') throw new Error('stopDedicatedBroker: this is the shared broker; global teardown stops it');
  thawBroker(infra);
  const pid = brokerPid(infra);
  if (pid !== undefined && alive(pid)) {
    signalBroker(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    if (alive(pid)) signalBroker(pid, 'SIGKILL');
    while (alive(pid)) await sleep(50);
  }
  rmSync(infra.pidFile, { force: true });
  rmSync(join(stateDir, `${infra.instance}.json`), { force: true });
  rmSync(infra.runDir, { recursive: true, force: true });
}
