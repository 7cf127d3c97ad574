import { describe, expect, it } from 'vitest';
import { classifyNatsError } from './classify.ts';

const named = (name: string, message: string, cause?: Error) => Object.assign(new Error(message, cause ? { cause } : undefined), { name });

describe('classifyNatsError', () => {
  it.each([
    // What nats.js 3 throws, by name and text; the password of the hostport never in the reason.
    [named('AuthorizationError', 'Authorization Violation'), { kind: 'retry', auth: true, reason: 'nats://nats:4222: Authorization Violation (check the user and password, or the token, in nats.hostport)' }],
    [
      named('ConnectionError', 'connection closed', named('AuthorizationError', 'Authorization Violation')),
      { kind: 'retry', auth: true, reason: 'nats://nats:4222: connection closed: Authorization Violation (check the user and password, or the token, in nats.hostport)' },
    ],
    [named('UserAuthenticationExpiredError', 'User Authentication Expired'), { kind: 'retry', auth: true, reason: 'nats://nats:4222: User Authentication Expired (check the user and password, or the token, in nats.hostport)' }],
    [named('ConnectionError', 'connect ECONNREFUSED 127.0.0.1:4222'), { kind: 'retry', reason: 'nats://nats:4222: connect ECONNREFUSED 127.0.0.1:4222' }],
    [named('ClosedConnectionError', 'closed connection'), { kind: 'retry', reason: 'nats://nats:4222: closed connection' }],
    [named('ConnectionError', "server does not support 'tls'"), { kind: 'retry', reason: "nats://nats:4222: server does not support 'tls'" }],
  ])('%s', (err, outcome) => {
    expect(classifyNatsError(err, 'nats://falco:hunter2@nats:4222')).toEqual(outcome);
  });
});
