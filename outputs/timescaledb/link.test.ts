// PgLink's "prefer" (pgx's default sslmode): the TLS pool first; a server that answers it does not do
// TLS gets the plain pool from then on; any other connect error is the send's.
import { describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { PgLink } from './link.ts';

/** A pool whose connect() rejects with `refusal`, or hands out a client that records its queries. */
function fakePool(refusal?: string): Pool & { queries: string[]; ended: boolean } {
  const queries: string[] = [];
  const client = { query: async (text: string) => void queries.push(text), on() {}, removeListener() {}, release() {} };
  const pool = {
    queries,
    ended: false,
    connect: () => (refusal ? Promise.reject(new Error(refusal)) : Promise.resolve(client)),
    end: async () => void (pool.ended = true),
  };
  return pool as unknown as Pool & { queries: string[]; ended: boolean };
}
const statement = { text: 'INSERT INTO t VALUES ($1)', values: ['x'] };

describe('timescaledb PgLink', () => {
  it('a server without TLS: the plain pool from then on, the TLS pool ended', async () => {
    const tls = fakePool('The server does not support SSL connections');
    const plain = fakePool();
    let made = 0;
    const link = new PgLink(tls, () => (made++, plain));
    await link.run([statement], new AbortController().signal);
    await link.run([statement], new AbortController().signal);
    expect(made).toBe(1);
    expect(tls.ended).toBe(true);
    expect(plain.queries).toEqual([statement.text, statement.text]);
  });

  it('another connect error is thrown as it is, and TLS stays', async () => {
    let made = 0;
    const link = new PgLink(fakePool('connect ECONNREFUSED 127.0.0.1:5432'), () => (made++, fakePool()));
    await expect(link.run([statement], new AbortController().signal)).rejects.toThrow('ECONNREFUSED');
    expect(made).toBe(0);
  });
});
