import { describe, expect, it } from 'vitest';
import { classifyRedisError } from './classify.ts';

const WHAT = 'RPUSH falco on redis:6379';
const reply = (message: string) => ({ message, reply: true });

describe('classifyRedisError', () => {
  it.each([
    // What Redis 7 answers, verbatim.
    [reply('WRONGPASS invalid username-password pair or user is disabled.'), 'list', { kind: 'retry', auth: true, reason: `${WHAT}: WRONGPASS invalid username-password pair or user is disabled. (check redis.username and redis.password)` }],
    [reply('NOAUTH Authentication required.'), 'list', { kind: 'retry', auth: true, reason: `${WHAT}: NOAUTH Authentication required. (the server requires a password: set redis.password (and redis.username for an ACL user))` }],
    [
      reply('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
      'list',
      { kind: 'retry', auth: true, reason: `${WHAT}: ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct? (the server has no password for this user: unset redis.password, or set it on the server)` },
    ],
    [
      reply("NOPERM this user has no permissions to run the 'rpush' command"),
      'list',
      { kind: 'retry', auth: true, reason: `${WHAT}: NOPERM this user has no permissions to run the 'rpush' command (the ACL user may not write this key with this command: grant it (+rpush or +hset on the key) or use another user)` },
    ],
    [reply("READONLY You can't write against a read only replica."), 'list', { kind: 'retry', reason: `${WHAT}: READONLY You can't write against a read only replica. (redis.address is a read-only replica: point it at the primary (retried: a failover may promote it))` }],
    [reply("OOM command not allowed when used memory > 'maxmemory'."), 'list', { kind: 'retry', reason: `${WHAT}: OOM command not allowed when used memory > 'maxmemory'. (the server is at maxmemory and evicts nothing it may: free memory, raise maxmemory or trim the key)` }],
    [reply('LOADING Redis is loading the dataset in memory'), 'list', { kind: 'retry', reason: `${WHAT}: LOADING Redis is loading the dataset in memory (the server is loading its dataset after a restart)` }],
    [reply('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT.'), 'list', { kind: 'retry', reason: `${WHAT}: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSCRIPT. (the server is busy running a script)` }],
    [reply('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.'), 'list', { kind: 'retry', reason: `${WHAT}: MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'. (the replica lost its primary)` }],
    [reply('CLUSTERDOWN The cluster is down'), 'list', { kind: 'retry', reason: `${WHAT}: CLUSTERDOWN The cluster is down (the cluster is down)` }],
    [reply('TRYAGAIN Multiple keys request during rehashing of slot'), 'list', { kind: 'retry', reason: `${WHAT}: TRYAGAIN Multiple keys request during rehashing of slot (the cluster is resharding)` }],
    [
      reply('MOVED 3999 127.0.0.1:6381'),
      'list',
      { kind: 'retry', reason: `${WHAT}: MOVED 3999 127.0.0.1:6381 (redis.address is a Redis Cluster node that does not own the key: Peregrine, like falcosidekick, talks to one server; address the node that owns it, or a standalone server)` },
    ],
    [
      reply('WRONGTYPE Operation against a key holding the wrong kind of value'),
      'list',
      { kind: 'retry', reason: `${WHAT}: WRONGTYPE Operation against a key holding the wrong kind of value (the key holds another type than a list: rename or delete it, or set redis.key or redis.storagetype)` },
    ],
    [
      reply('WRONGTYPE Operation against a key holding the wrong kind of value'),
      'hashmap',
      { kind: 'retry', reason: `${WHAT}: WRONGTYPE Operation against a key holding the wrong kind of value (the key holds another type than a hash: rename or delete it, or set redis.key or redis.storagetype)` },
    ],
    [reply('ERR DB index is out of range'), 'list', { kind: 'retry', reason: `${WHAT}: ERR DB index is out of range (redis.database is beyond the server's databases setting)` }],
    [reply('ERR max number of clients reached'), 'list', { kind: 'retry', reason: `${WHAT}: ERR max number of clients reached` }],
    // Connection errors: the text is the code's, never read as a reply.
    [{ message: 'connect ECONNREFUSED 127.0.0.1:6379', reply: false }, 'list', { kind: 'retry', reason: `${WHAT}: connect ECONNREFUSED 127.0.0.1:6379` }],
    [{ message: 'Socket closed unexpectedly', reply: false }, 'list', { kind: 'retry', reason: `${WHAT}: Socket closed unexpectedly` }],
    [{ message: 'WRONGPASS looks like a reply but is not one', reply: false }, 'list', { kind: 'retry', reason: `${WHAT}: WRONGPASS looks like a reply but is not one` }],
  ] as const)('%o (%s)', (failure, storagetype, outcome) => {
    expect(classifyRedisError(failure, WHAT, storagetype)).toEqual(outcome);
  });
});
