// Shape of $PEREGRINE_IT_STATE/redis.json, written by test/infra/redis/start.sh.
// Usage: const redis = await useInfra<RedisInfra>('redis'); then dedupe.redis.address: redis.address.
// The server is Debian's redis-server, no persistence (--save "" --appendonly no), no password.
export interface RedisInfra {
  /** "127.0.0.1" */
  host: string;
  port: number;
  /** "127.0.0.1:<port>": the value of dedupe.redis.address. */
  address: string;
  /** redis-server's log. */
  log: string;
  /** A read-only replica of it (answers READONLY to writes): the redis output's READONLY test. */
  replica: { port: number; address: string; log: string };
}
