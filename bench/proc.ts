// What the kernel says about a process: peak RSS and CPU time used so far (Linux /proc).
import { readFileSync } from 'node:fs';

/** Ticks are 1/100 s (USER_HZ); cpuTicks is user + system time. */
export function procStats(pid: number): { rssPeakKiB: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { rssPeakKiB: hwm, cpuTicks: Number(stat[11]) + Number(stat[12]) };
}
