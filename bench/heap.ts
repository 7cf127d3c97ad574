// What a bench holds in memory, measured the same way everywhere.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Heap and external memory in use (a packed block's bytes are external), after a full GC and a
 * pause for the ArrayBuffers it freed to go. Needs `node --expose-gc`.
 */
export async function settledMemory(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  await sleep(100);
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
