// The dedupe side of the seeded restart test (test/pipeline/seeded-restart.test.ts): which rule
// each alert has, the output's window, and what it must therefore deliver (docs/noise-control.md).
import { prng } from './seeded-destination.ts';

/**
 * The third output, `paged`, pages once per rule per dedupe window (docs/noise-control.md): each
 * alert's rule is one of a few, and the window is never a multiple of the 100 ms the test posts
 * on, so no alert lands on a window's edge.
 */
export interface Noise {
  windowMs: number;
  rules: number[];
}

export function noise(seed: number, alerts: number): Noise {
  const rand = prng(seed ^ 0x1b873593);
  const pick = (n: number) => Math.floor(rand() * n);
  const keys = 1 + pick(4);
  return { windowMs: 1050 + 100 * pick(60), rules: Array.from({ length: alerts }, () => pick(keys)) };
}

/** What `paged` must deliver: the alert that opened each window, and a summary of each window that held repeats back (its rule, the alerts it counted). */
export function expectedPages(n: Noise, posted: { i: number; at: number }[]): { pages: string[]; summaries: string[] } {
  const pages: string[] = [];
  const summaries: string[] = [];
  const open = new Map<number, { from: number; count: number }>();
  const close = (rule: number) => {
    const w = open.get(rule);
    if (w && w.count > 1) summaries.push(`rule-${rule} ×${w.count}`);
  };
  for (const { i, at } of posted) {
    const rule = n.rules[i] as number;
    const w = open.get(rule);
    if (w && at < w.from + n.windowMs) {
      w.count++;
      continue;
    }
    close(rule);
    open.set(rule, { from: at, count: 1 });
    pages.push(`seeded-${i}`);
  }
  for (const rule of open.keys()) close(rule);
  return { pages: pages.sort(), summaries: summaries.sort() };
}
