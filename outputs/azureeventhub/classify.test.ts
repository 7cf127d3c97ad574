// Every Event Hubs answer the producer can get, as the SDK hands it over (a MessagingError with the
// code core-amqp maps the AMQP condition to), and the errors of the credential and the network.
import { MessagingError } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { classifyEventHubError, type Target } from './classify.ts';

const sas: Target = { name: 'falco', namespace: 'ns.servicebus.windows.net', auth: 'connectionstring' };
const aad: Target = { ...sas, auth: 'defaultazurecredential' };
const answered = (code: string, description = `${code} text`) => Object.assign(new MessagingError(description), { code });

describe('classifyEventHubError', () => {
  const refusedSas = ' (the credentials were refused: check azure.eventhub.connectionstring; it needs the Send right on falco, the "Azure Event Hubs Data Sender" role for an identity)';
  it.each([
    ['UnauthorizedError', { kind: 'retry', auth: true, reason: `Event Hubs answered UnauthorizedError: UnauthorizedError text${refusedSas}` }],
    ['PublisherRevokedError', { kind: 'retry', auth: true, reason: `Event Hubs answered PublisherRevokedError: PublisherRevokedError text${refusedSas}` }],
    ['MessagingEntityNotFoundError', { kind: 'retry', auth: true, reason: 'Event Hubs answered MessagingEntityNotFoundError: MessagingEntityNotFoundError text (event hub falco does not exist in ns.servicebus.windows.net: create it or fix azure.eventhub.name)' }],
    ['MessagingEntityDisabledError', { kind: 'retry', auth: true, reason: 'Event Hubs answered MessagingEntityDisabledError: MessagingEntityDisabledError text (event hub falco is disabled: enable it)' }],
    ['ServiceCommunicationError', { kind: 'retry', reason: 'cannot reach the Event Hubs namespace ns.servicebus.windows.net: ServiceCommunicationError text (check azure.eventhub.namespace, DNS and that AMQP port 5671 is open)' }],
    ['ConnectionRedirectError', { kind: 'retry', reason: 'cannot reach the Event Hubs namespace ns.servicebus.windows.net: ConnectionRedirectError text (check azure.eventhub.namespace, DNS and that AMQP port 5671 is open)' }],
    ['ServerBusyError', { kind: 'retry', afterMs: 4000, reason: 'Event Hubs answered ServerBusyError: ServerBusyError text' }],
    ['QuotaExceededError', { kind: 'retry', afterMs: 4000, reason: 'Event Hubs answered QuotaExceededError: QuotaExceededError text' }],
    ['MessageTooLargeError', { kind: 'fail', reason: 'Event Hubs answered MessageTooLargeError: MessageTooLargeError text' }],
    ['ArgumentError', { kind: 'fail', reason: 'Event Hubs answered ArgumentError: ArgumentError text' }],
    ['ArgumentOutOfRangeError', { kind: 'fail', reason: 'Event Hubs answered ArgumentOutOfRangeError: ArgumentOutOfRangeError text' }],
    ['InvalidOperationError', { kind: 'fail', reason: 'Event Hubs answered InvalidOperationError: InvalidOperationError text' }],
    ['DecodeError', { kind: 'fail', reason: 'Event Hubs answered DecodeError: DecodeError text' }],
    ['InvalidFieldError', { kind: 'fail', reason: 'Event Hubs answered InvalidFieldError: InvalidFieldError text' }],
    ['NotImplementedError', { kind: 'fail', reason: 'Event Hubs answered NotImplementedError: NotImplementedError text' }],
    ['FrameSizeTooSmallError', { kind: 'fail', reason: 'Event Hubs answered FrameSizeTooSmallError: FrameSizeTooSmallError text' }],
    ['InternalServerError', { kind: 'retry', reason: 'Event Hubs answered InternalServerError: InternalServerError text' }],
    ['ServiceUnavailableError', { kind: 'retry', reason: 'Event Hubs answered ServiceUnavailableError: ServiceUnavailableError text' }],
    ['OperationTimeoutError', { kind: 'retry', reason: 'Event Hubs answered OperationTimeoutError: OperationTimeoutError text' }],
    ['SenderBusyError', { kind: 'retry', reason: 'Event Hubs answered SenderBusyError: SenderBusyError text' }],
    ['DetachForcedError', { kind: 'retry', reason: 'Event Hubs answered DetachForcedError: DetachForcedError text' }],
    ['ConnectionForcedError', { kind: 'retry', reason: 'Event Hubs answered ConnectionForcedError: ConnectionForcedError text' }],
    ['InsufficientCreditError', { kind: 'retry', reason: 'Event Hubs answered InsufficientCreditError: InsufficientCreditError text' }],
  ])('%s', (code, outcome) => {
    expect(classifyEventHubError(answered(code), sas)).toEqual(outcome);
  });

  it('a ServerBusy text that names its wait sets the delay', () => {
    const busy = answered('ServerBusyError', 'The request was terminated because the entity is being throttled. Error code : 50002. Sub error : 102. Please wait 10 seconds and try again.');
    expect(classifyEventHubError(busy, sas)).toMatchObject({ kind: 'retry', afterMs: 10_000 });
  });

  it('the credential hint follows the credential in use', () => {
    expect(classifyEventHubError(answered('UnauthorizedError', 'Unauthorized access.'), aad)).toEqual({
      kind: 'retry',
      auth: true,
      reason:
        'Event Hubs answered UnauthorizedError: Unauthorized access. (the credentials were refused: check the identity DefaultAzureCredential finds (environment, workload identity, managed identity, Azure CLI); it needs the Send right on falco, the "Azure Event Hubs Data Sender" role for an identity)',
    });
  });

  it.each(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError'])('%s (no Azure AD token) is a credential problem, its lines joined', (name) => {
    const err = Object.assign(new Error('DefaultAzureCredential failed to retrieve a token from the included credentials.\n- EnvironmentCredential is unavailable.\n- ManagedIdentityCredential: no response.'), { name });
    expect(classifyEventHubError(err, aad)).toEqual({
      kind: 'retry',
      auth: true,
      reason:
        'no Azure AD token: DefaultAzureCredential failed to retrieve a token from the included credentials. - EnvironmentCredential is unavailable. - ManagedIdentityCredential: no response. (set up an identity DefaultAzureCredential can use, or set azure.eventhub.connectionstring)',
    });
  });

  it('a namespace that does not resolve (Node races IPv4 and IPv6: an AggregateError) names the namespace', () => {
    const dns = new AggregateError([Object.assign(new Error('getaddrinfo ENOTFOUND nope.servicebus.windows.net'), { code: 'ENOTFOUND' })], '');
    expect(classifyEventHubError(dns, sas)).toEqual({
      kind: 'retry',
      reason: 'cannot reach the Event Hubs namespace ns.servicebus.windows.net: getaddrinfo ENOTFOUND nope.servicebus.windows.net (check azure.eventhub.namespace, DNS and that AMQP port 5671 is open)',
    });
  });

  it('an error without a code is retried with its first line; a long text is cut', () => {
    expect(classifyEventHubError(new Error('socket hang up\nat x'), sas)).toEqual({ kind: 'retry', reason: 'Event Hubs: socket hang up' });
    expect(classifyEventHubError(answered('InternalServerError', 'y'.repeat(700)), sas)).toEqual({ kind: 'retry', reason: `Event Hubs answered InternalServerError: ${'y'.repeat(599)}…` });
    expect(classifyEventHubError(undefined, sas)).toEqual({ kind: 'retry', reason: 'Event Hubs: undefined' });
  });
});
