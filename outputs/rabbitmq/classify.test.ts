// What each RabbitMQ answer means for the alerts (amqplib's error texts as it writes them).
import { describe, expect, it } from 'vitest';
import { classifyError, NACKED, unroutable } from './classify.ts';

const withCode = (message: string, code: number) => Object.assign(new Error(message), { code });

describe('rabbitmq classify', () => {
  it.each([
    [
      'a refused login (connection handshake)',
      new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."'),
      { kind: 'retry', auth: true },
      'check the user, its password and its permissions on the vhost',
    ],
    ['an unknown vhost', new Error('Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost falco not found"'), { kind: 'retry', auth: true }, 'check the vhost in the URL'],
    [
      'no write permission (a channel error with its code)',
      withCode("Channel closed by server: 403 (ACCESS-REFUSED) with message \"ACCESS_REFUSED - access to exchange 'amq.default' in vhost '/' refused for user 'falco'\"", 403),
      { kind: 'retry', auth: true },
      'permissions',
    ],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5672'), { code: 'ECONNREFUSED' }), { kind: 'retry' }, 'ECONNREFUSED'],
    ['a broker shutting down', new Error('Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - broker forced connection closure with reason \'shutdown\'"'), { kind: 'retry' }, 'CONNECTION_FORCED'],
    ['not an Error', 'socket hang up', { kind: 'retry' }, 'socket hang up'],
  ])('%s', (_, err, expected, reason) => {
    const outcome = classifyError(err);
    expect(outcome).toMatchObject(expected);
    if (!('auth' in expected)) expect(outcome).not.toMatchObject({ auth: true });
    expect((outcome as { reason: string }).reason).toContain(reason);
  });

  it('an unroutable message (no such queue) is held as the destination\'s state, naming the queue; a nack is the destination\'s too', () => {
    expect(unroutable('falco')).toMatchObject({ kind: 'retry', auth: true, notOwn: true });
    expect((unroutable('falco') as { reason: string }).reason).toContain('no queue "falco" in this vhost');
    expect(NACKED).toMatchObject({ kind: 'retry', notOwn: true });
  });
});
