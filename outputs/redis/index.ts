// falcosidekick's redis output: each alert's JSON appended to a list (RPUSH, storagetype list) or set
// as a field of a hash named by the alert uuid (HSET, storagetype hashmap), under `key`. A batch is
// one command, which Redis applies whole or not at all. node-redis, loaded in connect().
import { createRequire } from 'node:module';
import { defineOutput, loadTls, ok, type ConnectContext } from '../../src/plugin/index.ts';
import { classifyRedisError } from './classify.ts';
import { batchCommand } from './commands.ts';
import { RedisLink } from './link.ts';
import { redisSchema, target, type RedisOptions } from './options.ts';

export default defineOutput({
  name: 'redis',
  description: 'Append each alert\'s JSON to a Redis list (RPUSH) or set it in a hash by uuid (HSET), batched.',
  schema: redisSchema,
  example: { address: 'redis:6379', key: 'falco' },
  enabled: (options) => options.address !== '',
  // One command per batch; 1 MB keeps it far below Redis' 512 MB bulk limit and a slow client's
  // output buffer, and short enough not to stall a busy server.
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 100 },
  concurrency: 1,
  connect(options, ctx): RedisLink {
    // Loaded here, not at import: a daemon without Redis never pays for node-redis (~4 MiB).
    const mod = createRequire(import.meta.url)('redis') as ConstructorParameters<typeof RedisLink>[0];
    return new RedisLink(mod, { ...target(options.address), username: options.username, password: options.password, database: options.database, tls: tlsFor(options, ctx), connectTimeoutMs: ctx.timeoutMs });
  },
  async healthcheck({ client, options, signal }) {
    try {
      await client.send(['PING'], signal);
      return { ok: true };
    } catch (err) {
      const outcome = classifyRedisError({ message: (err as Error).message, reply: client.isReply(err) }, `PING ${options.address}`, options.storagetype);
      return { ok: false, message: outcome.kind === 'retry' ? outcome.reason : String(err) };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    const command = batchCommand(alerts, options.storagetype, options.key);
    try {
      await client.send(command, signal);
      return ok();
    } catch (err) {
      const what = `${command[0]} ${options.key} on ${options.address}`;
      if (signal.aborted) return classifyRedisError({ message: `no answer within the deadline (${(err as Error).message}); the command may still have been applied, so a duplicate is possible`, reply: false }, what, options.storagetype);
      return classifyRedisError({ message: (err as Error).message || (err as Error).name, reply: client.isReply(err) }, what, options.storagetype);
    }
  },
  close(client) {
    client.close();
  },
});

/** TLS when tls or mutualtls is set; mutualtls with redis.certfile/keyfile before the global client certificate (falcosidekick's order). */
function tlsFor(options: RedisOptions, ctx: ConnectContext) {
  if (!options.tls && !options.mutualtls) return undefined;
  return loadTls(options, { ...ctx.tls, certfile: options.certfile || ctx.tls.certfile, keyfile: options.keyfile || ctx.tls.keyfile });
}
