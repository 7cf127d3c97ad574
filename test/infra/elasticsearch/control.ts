// Take the shared Elasticsearch (or OpenSearch) node down and bring it back with the same port,
// config, credentials and data — for "destination down for 30 s mid-stream, then back" tests:
//
//   await stopNode('elasticsearch');       // connections are refused from now on
//   await sleep(30_000);
//   await startNode('elasticsearch');      // resolves once the cluster is yellow again (~20-30 s ES, ~10 s OpenSearch)
//
// How: start.sh runs the node under test/infra/elasticsearch/supervise.sh and records the
// supervisor's pid, so while the node is stopped the component still counts as running for
// useInfra() (nobody restarts it on a new port behind your back) and stop.sh still ends everything.
// NOTE: the node is shared by every test file of the run; a test that stops it should not run
// concurrently with other files using the same component (or should tolerate the outage).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stateDir } from '../state.ts';
import type { ElasticsearchInfra } from './state.ts';
import type { OpenSearchInfra } from '../opensearch/state.ts';

export type SearchComponent = 'elasticsearch' | 'opensearch';

function readState(component: SearchComponent): ElasticsearchInfra | OpenSearchInfra {
  const file = join(stateDir, `${component}.json`);
  if (!existsSync(file)) throw new Error(`${component} is not running (no ${file}); call useInfra('${component}') first`);
  return JSON.parse(readFileSync(file, 'utf8')) as ElasticsearchInfra | OpenSearchInfra;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function supervisorPid(component: SearchComponent): number {
  const pid = Number(readFileSync(join(stateDir, `${component}.pid`), 'utf8').trim());
  if (!alive(pid)) throw new Error(`${component} supervisor (pid ${pid}) is not running; see ${readState(component).log}`);
  return pid;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Whether stopNode() is in effect (the node is, or is about to be, down). */
export function isNodeStopped(component: SearchComponent = 'elasticsearch'): boolean {
  return existsSync(join(readState(component).controlDir, 'paused'));
}

/**
 * Stops the node (graceful SIGTERM) and resolves once the supervisor has seen it stop on request
 * (it writes `stopped`; a start before that could race its check of `paused`, and it would take
 * the stop for a crash and exit) and its HTTP port refuses connections.
 */
export async function stopNode(component: SearchComponent = 'elasticsearch', timeoutMs = 60_000): Promise<void> {
  const state = readState(component);
  supervisorPid(component);
  const childFile = join(state.controlDir, 'child.pid');
  writeFileSync(join(state.controlDir, 'paused'), `${new Date().toISOString()}\n`);
  const deadline = Date.now() + timeoutMs;
  const signalled = new Set<number>();
  for (;;) {
    const child = existsSync(childFile) ? Number(readFileSync(childFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(child) && child > 0 && alive(child)) {
      if (!signalled.has(child)) {
        process.kill(child, 'SIGTERM');
        signalled.add(child);
      }
    } else if (existsSync(join(state.controlDir, 'stopped')) && !(await portOpen(state.port))) {
      return;
    } else {
      supervisorPid(component); // throws if the supervisor exited instead
    }
    if (Date.now() > deadline) throw new Error(`${component} did not stop within ${timeoutMs} ms; see ${state.log}`);
    await sleep(100);
  }
}

/** Starts the node again (same port, config and data) and resolves once the cluster is yellow. */
export async function startNode(component: SearchComponent = 'elasticsearch', timeoutMs = 180_000): Promise<void> {
  const state = readState(component);
  const headers: Record<string, string> = {};
  if ('security' in state && state.security) {
    headers.authorization = `Basic ${Buffer.from(`${state.username}:${state.password}`).toString('base64')}`;
  }
  rmSync(join(state.controlDir, 'paused'), { force: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    supervisorPid(component); // throws if the node failed to start and the supervisor gave up
    try {
      const res = await fetch(`${state.url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
        headers,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${component} did not come back within ${timeoutMs} ms; see ${state.log}`);
    await sleep(250);
  }
}

/** stopNode, run `whileDown`, startNode (also when `whileDown` throws). */
export async function withNodeDown<T>(component: SearchComponent, whileDown: () => Promise<T>): Promise<T> {
  await stopNode(component);
  try {
    return await whileDown();
  } finally {
    await startNode(component);
  }
}
