// vitest globalSetup of the `integration` project (vitest.config.ts).
//
// Servers are started lazily by useInfra() (test/infra/state.ts) the first time a test file asks for
// one. This file only cleans up:
//   setup    – stops leftovers of an interrupted earlier run, found through the pid/state files in
//              the state dir (never by process name), and says loudly which components
//              PEREGRINE_IT_SKIP skips.
//   teardown – stops every component that has a pid file, whether the tests passed or not.
//
// Several vitest runs may share one checkout (and so one state dir). Each run registers itself in
// <stateDir>/runs/<pid>; cleanup at setup and at teardown only happens when no other live run is
// registered, so one run never pulls servers out from under another.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allComponents, type Component, repoDir, skippedComponents, stateDir } from './state.ts';

const components: Component[] = allComponents();
const runsDir = join(stateDir, 'runs');
const ownRun = join(runsDir, String(process.pid));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Other vitest runs that are still alive and use this state dir (dead entries are removed). */
function otherLiveRuns(): number[] {
  if (!existsSync(runsDir)) return [];
  const others: number[] = [];
  for (const name of readdirSync(runsDir)) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (alive(pid)) others.push(pid);
    else rmSync(join(runsDir, name), { force: true });
  }
  return others;
}

/** Components with a pid or state file in the state dir (the `<c>.json`, `<c>.pid`, `<c>-*.pid` that lib.sh writes). */
function componentsWithState(): Component[] {
  if (!existsSync(stateDir)) return [];
  const files = readdirSync(stateDir);
  return components.filter((c) =>
    files.some((f) => f === `${c}.json` || f === `${c}.pid` || (f.startsWith(`${c}-`) && f.endsWith('.pid'))),
  );
}

/** `bash test/infra/infra.sh <c> stop` for every component that has state; failures are reported, not thrown. */
function stopAll(why: string): void {
  for (const c of componentsWithState()) {
    const script = join(repoDir, 'test/infra/infra.sh');
    console.log(`[infra] ${why}: stopping ${c}`);
    try {
      execFileSync('bash', [script, c, 'stop'], {
        env: { ...process.env, PEREGRINE_IT_STATE: stateDir },
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 60_000,
      });
    } catch (err) {
      console.error(`[infra] could not stop ${c}: ${(err as Error).message}\n` +
        `[infra] retry with: bash test/infra/infra.sh ${c} stop`);
    }
  }
}

function announceSkips(): void {
  const requested = (process.env.PEREGRINE_IT_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (requested.length === 0) return;
  const bar = '!'.repeat(78);
  if (process.env.CI === 'true') {
    console.warn(`\n${bar}\n[infra] PEREGRINE_IT_SKIP=${requested.join(',')} is IGNORED because CI=true: every component runs.\n${bar}\n`);
    return;
  }
  const skipped = [...skippedComponents()];
  const unknown = skipped.filter((c) => !components.includes(c));
  console.warn(
    `\n${bar}\n[infra] PEREGRINE_IT_SKIP: the tests of these components are SKIPPED in this run:\n` +
      `[infra]     ${skipped.join(', ')}\n` +
      (unknown.length ? `[infra] (not component names, ignored: ${unknown.join(', ')}; known: ${components.join(', ')})\n` : '') +
      `[infra] A green run does NOT cover them. CI ignores PEREGRINE_IT_SKIP.\n${bar}\n`,
  );
}

export function setup(): void {
  mkdirSync(runsDir, { recursive: true });
  const others = otherLiveRuns();
  if (others.length > 0) {
    console.log(`[infra] another integration run is using ${stateDir} (pid ${others.join(', ')}): sharing its servers, not cleaning up`);
  } else {
    stopAll('leftover of an interrupted run');
  }
  writeFileSync(ownRun, `${new Date().toISOString()}\n`);
  announceSkips();
}

export function teardown(): void {
  rmSync(ownRun, { force: true });
  const others = otherLiveRuns();
  if (others.length > 0) {
    console.log(`[infra] another integration run is still using ${stateDir} (pid ${others.join(', ')}): leaving its servers running`);
    return;
  }
  stopAll('end of run');
}
