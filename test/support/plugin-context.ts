// The contexts the worker hands a plugin, for tests that call connect()/sendBatch() directly.
import pino from 'pino';
import { systemClock } from '../../src/dispatch/clock.ts';
import type { ConnectContext } from '../../src/plugin/types.ts';

const silent = pino({ level: 'silent' });

/** What connect() receives: no global TLS files, a silent logger, the real clock. */
export function connectContext(name: string, overrides: Partial<ConnectContext> = {}): ConnectContext {
  return {
    name,
    log: silent,
    tls: { cacertfile: '', certfile: '', keyfile: '', mutualcacertfile: '' },
    userAgent: 'peregrine/test',
    timeoutMs: 5000,
    concurrency: 1,
    clock: systemClock,
    shared: {},
    ...overrides,
  };
}

/** What sendBatch() receives, with a deadline of `timeoutMs`. */
export function sendContext<O, C>(options: O, client: C, timeoutMs = 5000) {
  return { options, client, signal: AbortSignal.timeout(timeoutMs), log: silent, clock: systemClock };
}
