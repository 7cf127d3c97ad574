import { describe, expect, it } from 'vitest';
import { classifyMailError } from './classify.ts';

describe('smtp classification', () => {
  it('4xx → retry, 5xx → dead letter, auth → wait for credentials, connection errors → retry', () => {
    expect(classifyMailError({ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 try later', command: 'RCPT TO' })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('SMTP 451 (temporary)') });
    expect(classifyMailError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.0 mailbox unavailable', command: 'RCPT TO' })).toEqual({
      kind: 'fail',
      reason: 'SMTP 550 (permanent, at RCPT TO): 550 5.1.0 mailbox unavailable',
    });
    expect(classifyMailError({ code: 'EMESSAGE', responseCode: 552, response: '552 too big' })).toMatchObject({ kind: 'fail' });
    expect(classifyMailError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' })).toMatchObject({ kind: 'retry', auth: true });
    expect(classifyMailError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('ECONNECTION') });
    expect(classifyMailError({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({ kind: 'retry' });
    expect(classifyMailError(new Error('odd'))).toMatchObject({ kind: 'retry' });
  });
});
