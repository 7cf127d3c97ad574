// What the kernel says about a process: peak RSS and CPU time used so far; and about the machine:
// how much CPU time the hypervisor took from it (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** Ticks are 1/100 s (USER_HZ); cpuTicks is user + system time. */
export function procStats(pid: number): { rssKiB: number; rssPeakKiB: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssKiB: rss, rssPeakKiB: hwm, cpuTicks: cpuTicksOf(`/proc/${pid}/stat`) };
}

/** user + system ticks from a process's or a thread's `stat` file (fields 14 and 15, after the name). */
function cpuTicksOf(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * The daemon's threads, by what they do: the main thread (the event loop that answers Falco and runs
 * the outputs), the spool's and the trail's SQLite writers, V8's helper threads (concurrent marking,
 * parallel scavenges, background compiles) and the rest (libuv's pool, the inspector).
 */
export const THREAD_GROUPS = ['main', 'V8 helpers', 'spool writer', 'trail writer', 'other'] as const;
export type ThreadGroup = (typeof THREAD_GROUPS)[number];

const GROUP_OF_NAME: Record<string, ThreadGroup> = { V8Worker: 'V8 helpers', 'spool-writer': 'spool writer', 'trail-writer': 'trail writer' };

/** CPU ticks (1/100 s, user + system) so far of each group of a process's threads; a thread that ended is no longer counted. */
export function threadTicks(pid: number): Record<ThreadGroup, number> {
  const ticks = Object.fromEntries(THREAD_GROUPS.map((g) => [g, 0])) as Record<ThreadGroup, number>;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const group = tid === String(pid) ? 'main' : (GROUP_OF_NAME[readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()] ?? 'other');
      ticks[group] += cpuTicksOf(`/proc/${pid}/task/${tid}/stat`);
    } catch {
      // the thread ended in between
    }
  }
  return ticks;
}

/**
 * Seconds so far that a process's main thread was ready to run but waited for a CPU (the second field
 * of /proc/PID/task/PID/schedstat, ns; 0 where the kernel keeps no schedstats).
 */
export function mainThreadRunQueueSeconds(pid: number): number {
  try {
    return runQueueSecondsOf(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8'));
  } catch {
    return 0;
  }
}

/** The run-queue wait in a schedstat line ("on-CPU ns, waiting ns, timeslices"), in seconds; 0 when unreadable. */
export function runQueueSecondsOf(schedstat: string): number {
  return Number(schedstat.split(' ')[1]) / 1e9 || 0;
}

/** What each group of threads used between two readings, per 1,000 alerts (ms), as "main 165, V8 helpers 65, …". */
export function perThreadText(before: Record<ThreadGroup, number>, after: Record<ThreadGroup, number>, alerts: number): string {
  return THREAD_GROUPS.map((g) => `${g} ${Math.round(((after[g] - before[g]) * 10) / (alerts / 1000))}`).join(', ');
}

export interface MachineCpu {
  /** user, nice, system, idle, iowait, irq, softirq and steal ticks, all CPUs. */
  totalTicks: number;
  /** Time the hypervisor ran something else while this machine's vCPUs wanted to run. */
  stealTicks: number;
  /** idle and iowait ticks: no vCPU had anything to run. */
  idleTicks: number;
}

/** The machine's CPU counters so far (the first line of /proc/stat); undefined off Linux. */
export function machineCpu(): MachineCpu | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  const ticks = (line ?? '').split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  return { totalTicks: ticks.reduce((a, b) => a + b, 0), stealTicks: ticks[7] as number, idleTicks: (ticks[3] as number) + (ticks[4] as number) };
}

/** The share (0..1) of the machine's CPU time that was stolen between two readings; NaN without them. */
export function stealShare(before: MachineCpu | undefined, after: MachineCpu | undefined): number {
  if (!before || !after || after.totalTicks === before.totalTicks) return NaN;
  return (after.stealTicks - before.stealTicks) / (after.totalTicks - before.totalTicks);
}

/** vCPUs busy on average between two readings (every process, this machine's view); NaN without them. */
export function busyCores(before: MachineCpu | undefined, after: MachineCpu | undefined, seconds: number): number {
  if (!before || !after) return NaN;
  const busy = after.totalTicks - before.totalTicks - (after.idleTicks - before.idleTicks) - (after.stealTicks - before.stealTicks);
  return busy / 100 / seconds;
}
