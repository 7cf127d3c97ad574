// What a Redis answer or a connection error means for the alerts of a batch. A batch is one command
// (RPUSH or HSET), which Redis applies whole or not at all, so the outcome is the batch's. Nothing
// Redis answers is about one alert: every refusal is the server's state or its configuration, and
// is retried (the alerts wait in the queue until it changes, or their retry budget ends).
import { retry, type Outcome } from '../../src/plugin/index.ts';

/** What went wrong: the text of a Redis error reply (`reply`), or of a connection error. */
export interface RedisFailure {
  message: string;
  reply: boolean;
}

const HINTS: Record<string, { hint: string; auth?: boolean }> = {
  WRONGPASS: { hint: 'check redis.username and redis.password', auth: true },
  NOAUTH: { hint: 'the server requires a password: set redis.password (and redis.username for an ACL user)', auth: true },
  NOPERM: { hint: 'the ACL user may not write this key with this command: grant it (+rpush or +hset on the key) or use another user', auth: true },
  READONLY: { hint: 'redis.address is a read-only replica: point it at the primary (retried: a failover may promote it)' },
  OOM: { hint: 'the server is at maxmemory and evicts nothing it may: free memory, raise maxmemory or trim the key' },
  LOADING: { hint: 'the server is loading its dataset after a restart' },
  BUSY: { hint: 'the server is busy running a script' },
  MASTERDOWN: { hint: 'the replica lost its primary' },
  TRYAGAIN: { hint: 'the cluster is resharding' },
  CLUSTERDOWN: { hint: 'the cluster is down' },
  MOVED: { hint: 'redis.address is a Redis Cluster node that does not own the key: Peregrine, like falcosidekick, talks to one server; address the node that owns it, or a standalone server' },
  ASK: { hint: 'redis.address is a Redis Cluster node that is moving the key: Peregrine, like falcosidekick, talks to one server' },
  CROSSSLOT: { hint: 'Redis Cluster is not supported' },
};

/** A reply or a connection error as the batch's outcome; `what` names the command and key ("RPUSH falco"). */
export function classifyRedisError({ message, reply }: RedisFailure, what: string, storagetype: string): Outcome {
  // The error code starts a reply: "WRONGPASS invalid username-password pair or user is disabled."
  const code = reply ? /^([A-Z]+)\b/.exec(message)?.[1] : undefined;
  if (code === 'WRONGTYPE') {
    return retry(`${what}: ${message} (the key holds another type than a ${storagetype === 'hashmap' ? 'hash' : 'list'}: rename or delete it, or set redis.key or redis.storagetype)`);
  }
  if (code === 'ERR' && /^ERR AUTH .*without any password configured/i.test(message)) {
    return retry(`${what}: ${message} (the server has no password for this user: unset redis.password, or set it on the server)`, { auth: true });
  }
  if (code === 'ERR' && /DB index is out of range|invalid DB index/i.test(message)) {
    return retry(`${what}: ${message} (redis.database is beyond the server's databases setting)`);
  }
  const known = code === undefined ? undefined : HINTS[code];
  if (known) return retry(`${what}: ${message} (${known.hint})`, known.auth ? { auth: true } : undefined);
  return retry(`${what}: ${message}`);
}
